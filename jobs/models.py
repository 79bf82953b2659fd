"""Employers and their job postings, with the skills each posting asks for."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Occupation, Place, Skill
from taxonomy.validators import contact_phone_validator, no_bidi_controls, uscc_validator


class Employer(models.Model):
    """A company, cooperative or workshop that posts jobs."""

    name = models.CharField(_("name"), max_length=120, db_index=True, validators=[no_bidi_controls])
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[uscc_validator])
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="employers")
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True, validators=[no_bidi_controls])
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[contact_phone_validator],
        help_text=_("A mobile number or a landline with its area code, such as 0856-3221234."),
    )
    is_poverty_workshop = models.BooleanField(_("poverty-alleviation workshop (扶贫车间)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WageUnit(models.TextChoices):
    MONTH = "month", _("per month")
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    PIECE = "piece", _("per piece")


class JobPosting(models.Model):
    """A job offer: what, where, how many, for what pay, and its state."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    class WorkMode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        HOME_BASED = "home_based", _("home-based (居家就业)")

    class WorkTime(models.TextChoices):
        FULL = "full", _("full-time")
        PART = "part", _("part-time")
        FLEXIBLE = "flexible", _("flexible hours")

    employer = models.ForeignKey(Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="postings")
    title = models.CharField(_("title"), max_length=120, validators=[no_bidi_controls])
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation_confidence = models.FloatField(_("occupation coding confidence"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    openings = models.PositiveIntegerField(_("openings"), default=1)
    filled = models.PositiveIntegerField(_("filled"), default=0)
    wage_min = models.DecimalField(_("minimum wage (CNY)"), max_digits=9, decimal_places=2, null=True, blank=True)
    wage_max = models.DecimalField(_("maximum wage (CNY)"), max_digits=9, decimal_places=2, null=True, blank=True)
    wage_unit = models.CharField(_("wage unit"), max_length=6, choices=WageUnit.choices, default=WageUnit.MONTH)
    piece_monthly_estimate = models.DecimalField(
        _("estimated monthly earnings (piece rate)"), max_digits=9, decimal_places=2, null=True, blank=True,
        help_text=_("Piece-rate work only: what a worker typically earns a month at this piece rate, in CNY."),
    )
    work_mode = models.CharField(_("work mode"), max_length=10, choices=WorkMode.choices, default=WorkMode.ON_SITE)
    work_time = models.CharField(_("working time"), max_length=8, choices=WorkTime.choices, default=WorkTime.FULL)
    place = models.ForeignKey(
        Place, verbose_name=_("work place"), null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    hours_per_day = models.DecimalField(_("hours per day"), max_digits=4, decimal_places=1, null=True, blank=True)
    hours_note = models.CharField(_("working hours"), max_length=100, blank=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    unresolved_skill_texts = models.JSONField(_("skills not recognised"), default=list, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    skills = models.ManyToManyField(Skill, through="JobSkill", verbose_name=_("skills"), related_name="+")

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "valid_until"], name="posting_status_valid")]
        constraints = [
            models.CheckConstraint(condition=Q(filled__lte=F("openings")), name="posting_filled_lte_openings"),
            models.CheckConstraint(condition=Q(openings__gte=0) & Q(filled__gte=0), name="posting_counts_gte_0"),
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True) | Q(wage_max__isnull=True) | Q(wage_min__lte=F("wage_max")),
                name="posting_wage_min_lte_max",
            ),
            models.CheckConstraint(
                condition=(Q(wage_min__isnull=True) | Q(wage_min__gte=0)) & (Q(wage_max__isnull=True) | Q(wage_max__gte=0)),
                name="posting_wage_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(piece_monthly_estimate__isnull=True) | Q(piece_monthly_estimate__gte=0),
                name="posting_piece_estimate_gte_0",
                violation_error_message=_("The estimated monthly earnings cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(piece_monthly_estimate__isnull=True) | Q(wage_unit="piece"),
                name="posting_piece_estimate_only_piece",
                violation_error_message=_("An estimate of monthly earnings is only for piece-rate postings."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="posting_age_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__isnull=True) | Q(hours_per_day__gt=0, hours_per_day__lte=24),
                name="posting_hours_per_day_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.employer}"

    @property
    def openings_remaining(self) -> int:
        return max(self.openings - self.filled, 0)

    # Shown instead of the status of an open posting past its last valid day, until `postings_expire` closes it.
    EXPIRED = "expired"
    EXPIRED_LABEL = _("expired")
    SHOWN_STATUS_CHOICES = [*Status.choices, (EXPIRED, EXPIRED_LABEL)]  # for status filters

    @property
    def is_expired(self) -> bool:
        """Still stored as open but its last valid day has passed (the nightly `postings_expire` closes it)."""
        return (self.status == self.Status.OPEN and self.valid_until is not None
                and self.valid_until < timezone.localdate())

    @property
    def shown_status(self) -> str:
        """The status as pages and filters show it: "expired" for an expired open posting, else the stored one."""
        return self.EXPIRED if self.is_expired else self.status

    @property
    def shown_status_label(self) -> str:
        return str(self.EXPIRED_LABEL) if self.is_expired else self.get_status_display()


class JobSkill(models.Model):
    """A skill a posting asks for: required or preferred; a mandatory one excludes those without it."""

    class Kind(models.TextChoices):
        REQUIRED = "required", _("required")
        PREFERRED = "preferred", _("preferred")

    posting = models.ForeignKey(JobPosting, verbose_name=_("posting"), on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    kind = models.CharField(_("kind"), max_length=9, choices=Kind.choices, default=Kind.REQUIRED)
    mandatory = models.BooleanField(_("mandatory"), default=False)

    class Meta:
        verbose_name = _("posting skill")
        verbose_name_plural = _("posting skills")
        constraints = [
            models.UniqueConstraint(fields=["posting", "skill"], name="job_skill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="job_skill_level_1_5"),
            models.CheckConstraint(
                condition=Q(mandatory=False) | Q(kind="required"), name="job_skill_mandatory_is_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"
