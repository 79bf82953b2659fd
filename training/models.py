"""Training courses, their sessions, and residents' enrolments (completing one grants skills)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from residents.models import Resident
from taxonomy.models import Place, Skill
from taxonomy.validators import no_bidi_controls


class Course(models.Model):
    """A course the bureau and the station run, e.g. 藤椅加工; completing it grants skills."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True, validators=[no_bidi_controls])
    description = models.TextField(_("description"), blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=40)
    skills = models.ManyToManyField(Skill, through="CourseSkill", verbose_name=_("skills granted"), related_name="courses")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_gt_0")]

    def __str__(self) -> str:
        return self.name


class CourseSkill(models.Model):
    """A skill a course grants, at a level."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), default=2)

    class Meta:
        verbose_name = _("skill granted")
        verbose_name_plural = _("skills granted")
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="course_skill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="course_skill_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"


class TrainingSession(models.Model):
    """One run of a course: dates, place, capacity and who teaches it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open for enrolment")
        CANCELLED = "cancelled", _("cancelled")
        FINISHED = "finished", _("finished")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0)
    hours = models.PositiveSmallIntegerField(_("hours"), default=40)
    trainer = models.CharField(_("trainer"), max_length=60, blank=True)
    partner_department = models.CharField(_("partner department"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="session_end_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_gt_0"),
            models.CheckConstraint(
                condition=Q(enrolled_count__gte=0) & Q(enrolled_count__lte=F("capacity")),
                name="session_enrolled_within_capacity",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.start_date:%Y-%m-%d}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)


class Enrollment(models.Model):
    """A resident's place (or waiting place) in a session, and how it ended."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    ACTIVE = (Status.ENROLLED, Status.WAITLISTED, Status.COMPLETED)

    session = models.ForeignKey(TrainingSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="enrollments")
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    hours_attended = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=1, default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resident"],
                condition=Q(status__in=["enrolled", "waitlisted", "completed"]),
                name="enrollment_one_active_per_session",
            ),
            models.CheckConstraint(condition=Q(hours_attended__gte=0), name="enrollment_hours_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.session}"


class Attendance(models.Model):
    """Hours a resident attended on one day of a session."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "date"], name="attendance_one_per_day"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="attendance_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.date}: {self.hours}h"
