"""Shared vocabularies: occupations (national classification 2022), skills and places."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """One node of the 2022 national occupational classification (大类 → 职业)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("major group")
        MIDDLE = 2, _("middle group")
        MINOR = 3, _("minor group")
        OCCUPATION = 4, _("occupation")

    code = models.CharField(_("code"), max_length=12, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    definition = models.TextField(_("definition"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_digital = models.BooleanField(_("digital occupation"), default=False)
    is_green = models.BooleanField(_("green occupation"), default=False)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OccupationCorrection(models.Model):
    """A clerk's choice of occupation for a job title, kept as a labelled title the title coder learns from.

    Made when a posting's occupation is changed by hand, or when a clerk picks one of the coder's
    alternatives (on a posting page or through the API). `coded_as` is what the coder had said.
    """

    class Source(models.TextChoices):
        POSTING_EDIT = "posting_edit", _("occupation changed on a posting")
        ALTERNATIVE = "alternative", _("picked among the coder's alternatives")
        OWN_WORDS = "own_words", _("a resident's own words, mapped by staff")

    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+")
    coded_as = models.CharField(_("coded as"), max_length=12, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("occupation correction")
        verbose_name_plural = _("occupation corrections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="occupation_correction_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.occupation_id}"


class SkillGroup(models.Model):
    """A family of related skills (handicraft, housekeeping …); related skills earn partial credit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill people have or need, with everyday aliases used to resolve free text."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    group = models.ForeignKey(SkillGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="skills")
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    occupations = models.ManyToManyField(Occupation, verbose_name=_("related occupations"), blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["group__code", "name"]

    def __str__(self) -> str:
        return self.name


class CoordinatesSource(models.TextChoices):
    """Where a place's coordinates come from, so that distances built on them can be trusted or caveated."""

    SURVEYED = "surveyed", _("surveyed or official")
    ESTIMATED = "estimated", _("estimated from the town it belongs to")
    UNKNOWN = "unknown", _("unknown")


class Place(models.Model):
    """An administrative division or a resettlement site, with town-level coordinates (GCJ-02)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        TOWN = "town", _("town / street")
        VILLAGE = "village", _("village / community")
        SITE = "site", _("resettlement site")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=60, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_source = models.CharField(
        _("coordinates from"), max_length=10, choices=CoordinatesSource.choices, default=CoordinatesSource.UNKNOWN
    )
    is_resettlement_site = models.BooleanField(_("resettlement site"), default=False)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
            # Coordinates come in pairs, and only an unknown place has none.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True, coordinates_source="unknown")
                | Q(latitude__isnull=False, longitude__isnull=False, coordinates_source__in=["surveyed", "estimated"]),
                name="place_coordinates_source_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def county_code(self) -> str:
        return self.code[:6]

    @property
    def coordinates_estimated(self) -> bool:
        return self.coordinates_source == CoordinatesSource.ESTIMATED


class ImportJob(models.Model):
    """A spreadsheet import of job postings or residents, with its file and its outcome.

    It lives in taxonomy, the lowest shared app, so that both `jobs` and `residents` (one layer up)
    can run imports through it without importing each other. The file is small (at most a few MB)
    and kept in the row, so an import is one transaction with what it imports. The file holds
    personal data: it is kept encrypted (`taxonomy.sealed`) only while the import waits or runs, and
    erased when it finishes or fails (a constraint holds it). While it runs its progress (rows
    processed) is in the cache under `import-progress:<id>`, and the final counts and the row errors
    ({"row", "field", "message"}, identifiers masked) are written here when it finishes.
    """

    class Kind(models.TextChoices):
        POSTINGS = "postings", _("job postings")
        RESIDENTS = "residents", _("residents")
        OUTCOMES = "outcomes", _("recommendation outcomes")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    # Encrypted with the personal-data keys; empty once the import has ended.
    content = models.BinaryField(_("file content (encrypted)"), editable=False, blank=True, default=b"")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    duplicate_rows = models.JSONField(_("rows skipped as duplicates"), default=list, blank=True)
    # For each row skipped as a duplicate, the record it duplicates: {"row", "kind", "id"} (never an identifier;
    # the importing app names it when the report is read, as the reader may see it).
    duplicate_records = models.JSONField(_("records the duplicates repeat"), default=list, blank=True)
    # The upload form's one-time key: the same form submitted twice finds the import the first submission stored.
    submission_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)
    failure = models.TextField(_("why the import failed"), blank=True)
    # Residents only: the places the importing user may register residents at (None: anywhere).
    place_scope = models.JSONField(_("place scope"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Times a worker started it (a worker that dies mid-import leaves it to be started again, a few times).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["postings", "residents", "outcomes"]), name="import_job_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "finished", "failed"]), name="import_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(imported__gte=0) & Q(duplicates__gte=0) & Q(total_rows__gte=0),
                name="import_job_counts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(imported__lte=F("total_rows") - F("duplicates")), name="import_job_counts_lte_total"
            ),
            models.UniqueConstraint(fields=["created_by", "submission_key"], condition=~Q(submission_key=""),
                                    name="import_job_submission_once"),
            # The uploaded file (personal data) lives only as long as the import waits or runs.
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running"]) | Q(content=b""), name="import_job_file_erased_at_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"
