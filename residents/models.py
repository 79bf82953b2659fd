"""Households and residents, with their skills and job preferences; personal data kept encrypted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Occupation, Place, Skill
from taxonomy.validators import no_bidi_controls


class PovertyStatus(models.TextChoices):
    NONE = "none", _("not registered")
    LIFTED = "lifted", _("lifted out of poverty (脱贫户)")
    MONITORED = "monitored", _("monitored household (监测户)")


class Household(models.Model):
    """A relocated household, living at a resettlement site or community."""

    number = models.CharField(_("household number"), max_length=30, unique=True)
    site = models.ForeignKey(Place, verbose_name=_("site"), on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("address"), max_length=200, blank=True)
    poverty_status = models.CharField(
        _("poverty status"), max_length=10, choices=PovertyStatus.choices, default=PovertyStatus.NONE
    )
    relocated_on = models.DateField(_("relocated on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Resident(models.Model):
    """A relocated resident: identity (protected), situation, and what work they look for."""

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Education(models.TextChoices):
        NONE = "none", _("no schooling")
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior middle school")
        SENIOR = "senior", _("senior middle school")
        VOCATIONAL = "vocational", _("vocational school")
        COLLEGE = "college", _("college or above")

    class EmploymentStatus(models.TextChoices):
        SEEKING = "seeking", _("looking for work")
        EMPLOYED = "employed", _("employed")
        SELF_EMPLOYED = "self_employed", _("self-employed")
        NOT_SEEKING = "not_seeking", _("not looking for work")
        STUDENT = "student", _("in school")
        RETIRED = "retired", _("retired")

    class CareDuties(models.TextChoices):
        NONE = "none", _("none")
        CHILDREN = "children", _("young children")
        ELDERLY = "elderly", _("elderly or sick relatives")
        BOTH = "both", _("children and elderly")

    class WorkTime(models.TextChoices):
        FULL = "full", _("full-time")
        PART = "part", _("part-time")
        ANY = "any", _("either")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
    )
    name = models.CharField(_("name"), max_length=40, db_index=True, validators=[no_bidi_controls])
    name_initials = models.CharField(_("pinyin initials"), max_length=40, blank=True, db_index=True)
    # Personal data: ciphertext, keyed hash for lookup/uniqueness, and a masked form for display.
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=11, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, default=Education.JUNIOR)
    employment_status = models.CharField(
        _("employment status"), max_length=14, choices=EmploymentStatus.choices, default=EmploymentStatus.SEEKING
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    disability_note = models.CharField(_("disability note"), max_length=200, blank=True)
    care_duties = models.CharField(_("care duties"), max_length=10, choices=CareDuties.choices, default=CareDuties.NONE)
    consent_share_with_employers = models.BooleanField(_("consents to share profile with employers"), default=False)
    # Preferences
    wanted_occupations = models.ManyToManyField(
        Occupation, verbose_name=_("occupations wanted"), blank=True, related_name="+"
    )
    min_monthly_wage = models.DecimalField(
        _("minimum monthly wage (CNY)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    max_commute_km = models.DecimalField(_("maximum commute (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    accepts_home_based = models.BooleanField(_("accepts home-based work"), default=True)
    accepts_outside_county = models.BooleanField(_("accepts work outside the county"), default=False)
    work_time = models.CharField(_("full-time or part-time"), max_length=4, choices=WorkTime.choices, default=WorkTime.ANY)
    unresolved_skill_texts = models.JSONField(_("skills not recognised"), default=list, blank=True)
    # Work wanted in the resident's own words that the title coder did not know ("刮腻子"): kept as typed for
    # staff to map (`own_word_map`), never refused.
    unresolved_occupation_texts = models.JSONField(_("occupations not recognised"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    skills = models.ManyToManyField(Skill, through="ResidentSkill", verbose_name=_("skills"), related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household__number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_monthly_wage__isnull=True) | Q(min_monthly_wage__gte=0), name="resident_min_wage_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(max_commute_km__isnull=True) | Q(max_commute_km__gte=0), name="resident_commute_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"

    @property
    def has_care_duties(self) -> bool:
        return self.care_duties != self.CareDuties.NONE

    @property
    def place(self) -> Place:
        return self.household.site


class ResidentSkill(models.Model):
    """A skill a resident has, at a level 1–5, and where we know it from."""

    class Source(models.TextChoices):
        SELF = "self", _("self-reported")
        TRAINING = "training", _("training")
        VERIFIED = "verified", _("verified")

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), default=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SELF)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resident skill")
        verbose_name_plural = _("resident skills")
        constraints = [
            models.UniqueConstraint(fields=["resident", "skill"], name="resident_skill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="resident_skill_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"


class PiiRevealLog(models.Model):
    """An audit row for every time someone saw a resident's full ID number or phone."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("phone")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="reveals")
    field = models.CharField(_("field"), max_length=10, choices=Field.choices)
    reason = models.CharField(_("reason"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-revealed_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="pii_reveal_reason_required")]

    def __str__(self) -> str:
        return f"{self.actor} → {self.resident_id}.{self.field}"


__all__ = ["Household", "PiiRevealLog", "PovertyStatus", "Resident", "ResidentSkill"]
