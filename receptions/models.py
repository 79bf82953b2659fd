"""Market-day duty rota, the reception log, residents' requests (诉求) with their audit trail, and deputies'
formal suggestions (代表建议)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from residents.models import Resident
from stations.models import Deputy, LiaisonRoom, LiaisonStation


class DutyShift(models.Model):
    """One person on duty at a station on a market day: a deputy or a member of staff (exactly one)."""

    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="duty_shifts")
    day = models.DateField(_("day"), db_index=True)
    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="duty_shifts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="duty_shifts")
    note = models.CharField(_("note"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(deputy__isnull=False) & Q(staff__isnull=True)) | (Q(deputy__isnull=True) & Q(staff__isnull=False)),
                name="duty_shift_one_person",
            ),
            models.UniqueConstraint(fields=["station", "day", "deputy"], name="duty_shift_deputy_once_a_day"),
            models.UniqueConstraint(fields=["station", "day", "staff"], name="duty_shift_staff_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.person_name}"

    @property
    def person_name(self) -> str:
        if self.deputy_id:
            return self.deputy.name
        return self.staff.get_full_name() or self.staff.username


class Reception(models.Model):
    """One person received at the station (on a market day, usually): who, about what, by whom."""

    class Topic(models.TextChoices):
        JOB = "job", _("a job")
        TRAINING = "training", _("a training")
        OTHER = "other", _("another matter")

    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="receptions")
    room = models.ForeignKey(LiaisonRoom, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="receptions")
    day = models.DateField(_("day"), db_index=True)
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="receptions")
    topic = models.CharField(_("asked about"), max_length=8, choices=Topic.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT,
                                    related_name="+")
    request = models.OneToOneField("Request", verbose_name=_("request"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="reception")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["station", "day"], name="reception_station_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.resident}"


class Suggestion(models.Model):
    """A deputy's formal suggestion (代表建议), raised from several related requests and tracked to its answer."""

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("drafted")
        SUBMITTED = "submitted", _("submitted")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="suggestions")
    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="suggestions")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=5000)
    addressed_to = models.CharField(_("addressed to"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFTED)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True, max_length=5000)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deputy suggestion")
        verbose_name_plural = _("deputy suggestions")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="suggestion_title_required")]

    def __str__(self) -> str:
        return self.title


class Request(models.Model):
    """A resident's request (诉求) or opinion: received, handled, answered, resolved — with deadlines."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")  # 受理
        IN_PROGRESS = "in_progress", _("being handled")  # 办理中
        ANSWERED = "answered", _("answered")  # 已答复
        RESOLVED = "resolved", _("resolved")  # 已办结

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", _("employment")  # 就业
        TRAINING = "training", _("training")  # 培训
        LIVELIHOOD = "livelihood", _("livelihood")  # 民生
        OTHER = "other", _("other")  # 其他

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("a problem to solve")
        OPINION = "opinion", _("an opinion or proposal")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("public page")
        RESIDENT = "resident", _("resident's phone page")
        DESK = "desk", _("station desk")
        RECEPTION = "reception", _("market-day reception")

    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="requests")
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="requests")
    contact_name = models.CharField(_("name"), max_length=40)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=11, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PROBLEM)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("request"), max_length=2000)
    posting_id_of_interest = models.PositiveBigIntegerField(_("job of interest"), null=True, blank=True)
    session_id_of_interest = models.PositiveBigIntegerField(_("session of interest"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    assigned_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to (staff)"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="assigned_requests")
    assigned_deputy = models.ForeignKey(Deputy, verbose_name=_("assigned to (deputy)"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="assigned_requests")
    answer_due = models.DateField(_("answer due"))
    resolve_due = models.DateField(_("resolve due"))
    handling = models.TextField(_("handling"), blank=True, max_length=5000)
    reply = models.TextField(_("reply"), blank=True, max_length=5000)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the reply"), max_length=500, blank=True)
    suggestion = models.ForeignKey(Suggestion, verbose_name=_("deputy suggestion"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    # The anonymous submitter's tracking code is a secret shown once: only its keyed hash is kept.
    tracking_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="request_rating_1_to_5"),
            models.CheckConstraint(condition=~Q(status="answered") | Q(answered_at__isnull=False),
                                   name="request_answered_has_time"),
            models.CheckConstraint(condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                                   name="request_resolved_has_time"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(answered_at__isnull=False),
                                   name="request_rated_after_answer"),
            models.CheckConstraint(condition=Q(resolve_due__gte=models.F("answer_due")),
                                   name="request_due_order"),
            models.CheckConstraint(condition=~Q(text=""), name="request_text_required"),
            models.UniqueConstraint(fields=["tracking_hash"], condition=~Q(tracking_hash=""),
                                    name="request_tracking_hash_unique"),
        ]
        indexes = [models.Index(fields=["station", "status"], name="request_station_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:20]}"


class RequestEvent(models.Model):
    """The audit trail of a request: every change of state, assignment, reply or rating, by whom and when."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("received")
        CLASSIFIED = "classified", _("classified")
        ASSIGNED = "assigned", _("assigned")
        HANDLING = "handling", _("handling recorded")
        ANSWERED = "answered", _("answered")
        RESOLVED = "resolved", _("resolved")
        RATED = "rated", _("rated")
        REOPENED = "reopened", _("reopened")
        SUGGESTION = "suggestion", _("raised into a suggestion")

    request = models.ForeignKey(Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class StationNotice(models.Model):
    """What the station publishes about itself: opening hours, address, a contact number, a short introduction."""

    station = models.OneToOneField(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                   related_name="notice")
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("station notice")
        verbose_name_plural = _("station notices")

    def __str__(self) -> str:
        return str(self.station)


class DeputyNotice(models.Model):
    """What a deputy agreed to publish: duties, and a contact phone only if they said yes."""

    deputy = models.OneToOneField(Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="notice")
    duties = models.CharField(_("duties"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    phone_public = models.BooleanField(_("agreed to publish the phone"), default=False)

    class Meta:
        verbose_name = _("deputy notice")
        verbose_name_plural = _("deputy notices")

    def __str__(self) -> str:
        return str(self.deputy)
