"""Recommendations of residents to postings and how each one moved; placements come from hires."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import JobPosting
from residents.models import Resident


class RecommendationBatch(models.Model):
    """Recommendations made together by one bulk action (accepting a batch-assignment proposal): they can be
    withdrawn together, within a day, as long as nobody has worked on them yet."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    run = models.ForeignKey("AssignmentRun", verbose_name=_("assignment run"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="batches")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batch of recommendations")
        verbose_name_plural = _("batches of recommendations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="recommendation_batch_withdrawn_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} #{self.pk}"


class Recommendation(models.Model):
    """A liaison worker's recommendation of a resident to a posting, with the match as it was then, and what
    came of it: hired, rejected by the employer, declined by the resident or no answer, on a date."""

    class State(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        CONTACTED = "contacted", _("contacted")
        INTERVIEWING = "interviewing", _("interviewing")
        HIRED = "hired", _("hired")
        REJECTED = "rejected", _("rejected by employer")
        DECLINED = "declined", _("declined by resident")
        NO_ANSWER = "no_answer", _("no answer")
        WITHDRAWN = "withdrawn", _("withdrawn by the station")

    class Origin(models.TextChoices):
        DESK = "desk", _("recorded here")
        IMPORT = "import", _("imported history")

    OPEN_STATES = (State.RECOMMENDED, State.CONTACTED, State.INTERVIEWING)
    # What came of a recommendation: the outcomes the station counts and the models learn from. (A
    # withdrawn recommendation was taken back, not answered: it is neither.)
    OUTCOME_STATES = (State.HIRED, State.REJECTED, State.DECLINED, State.NO_ANSWER)
    TRANSITIONS = {
        State.RECOMMENDED: {State.CONTACTED, State.INTERVIEWING, State.REJECTED, State.DECLINED, State.NO_ANSWER},
        State.CONTACTED: {State.INTERVIEWING, State.HIRED, State.REJECTED, State.DECLINED, State.NO_ANSWER},
        State.INTERVIEWING: {State.HIRED, State.REJECTED, State.DECLINED, State.NO_ANSWER},
        State.HIRED: set(),
        State.REJECTED: set(),
        State.DECLINED: set(),
        State.NO_ANSWER: set(),
        State.WITHDRAWN: set(),
    }

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="recommendations")
    posting = models.ForeignKey(JobPosting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="recommendations")
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECOMMENDED, db_index=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recommended by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    # The day the resident was recommended: today for one made here, the historical day for imported history.
    recommended_on = models.DateField(_("recommended on"), default=timezone.localdate, db_index=True)
    # The day of its outcome (hired, rejected, declined, no answer); null while open, or when history does
    # not say.
    decided_on = models.DateField(_("outcome on"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.DESK)
    # The bulk action that made it, if any: withdrawn together with the rest of its batch.
    batch = models.ForeignKey(RecommendationBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="recommendations")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "posting"],
                condition=Q(state__in=["recommended", "contacted", "interviewing", "hired"]),
                name="recommendation_one_live_per_pair",
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="recommendation_score_0_1"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("recommended_on")),
                name="recommendation_decided_after_recommended",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(state__in=["hired", "rejected", "declined", "no_answer", "withdrawn"]),
                name="recommendation_decided_only_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["resident", "posting", "recommended_on"], name="recommendation_pair_day")]

    def __str__(self) -> str:
        return f"{self.resident} → {self.posting} ({self.get_state_display()})"


class RecommendationEvent(models.Model):
    """One move of a recommendation from a state to another, with who made it and a note."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=12, choices=Recommendation.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=Recommendation.State.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class Placement(models.Model):
    """A resident hired into a posting: it took one opening when it was recorded."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in work")
        ENDED = "ended", _("ended")

    class EndReason(models.TextChoices):
        QUIT = "quit", _("resident left")
        DISMISSED = "dismissed", _("dismissed")
        CONTRACT_ENDED = "contract_ended", _("contract or season ended")
        EMPLOYER_CLOSED = "employer_closed", _("employer closed")
        OTHER = "other", _("other")

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="placements")
    posting = models.ForeignKey(JobPosting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="placements")
    recommendation = models.OneToOneField(
        Recommendation, verbose_name=_("recommendation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="placement",
    )
    start_date = models.DateField(_("start date"), db_index=True)
    wage = models.DecimalField(_("agreed wage (CNY)"), max_digits=9, decimal_places=2, null=True, blank=True)
    wage_unit = models.CharField(_("wage unit"), max_length=6, choices=JobPosting._meta.get_field("wage_unit").choices)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("end note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "posting"], condition=Q(status="active"), name="placement_one_active_per_pair"
            ),
            models.CheckConstraint(condition=Q(wage__isnull=True) | Q(wage__gte=0), name="placement_wage_gte_0"),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True) | Q(status="ended", ended_on__isnull=False),
                name="placement_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="placement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.posting}"


class FollowUp(models.Model):
    """A retention check at 1, 3 or 6 months after a placement started."""

    MONTHS = (1, 3, 6)

    placement = models.ForeignKey(Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after start"))
    due_date = models.DateField(_("due date"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    still_employed = models.BooleanField(_("still in work"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="followup_one_per_milestone"),
            models.CheckConstraint(condition=Q(months__in=[1, 3, 6]), name="followup_months_1_3_6"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, still_employed__isnull=True)
                | Q(done_at__isnull=False, still_employed__isnull=False),
                name="followup_done_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} +{self.months}m"


class FollowUpCall(models.Model):
    """One call (or visit) to a placed resident: the answer to a scheduled follow-up, or an unscheduled one.

    "In work" and "left" answer the follow-up it was made for (and "left" ends the placement with its
    reason); "can't reach" is kept as an attempt and leaves the follow-up open."""

    class Outcome(models.TextChoices):
        IN_WORK = "in_work", _("still in work")
        LEFT = "left", _("has left the job")
        UNREACHABLE = "unreachable", _("could not be reached")

    placement = models.ForeignKey(Placement, verbose_name=_("placement"), on_delete=models.CASCADE,
                                  related_name="calls")
    follow_up = models.ForeignKey(FollowUp, verbose_name=_("scheduled follow-up"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="calls")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    end_reason = models.CharField(_("why they left"), max_length=16, choices=Placement.EndReason.choices,
                                  blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    called_on = models.DateField(_("called on"), db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["-called_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=["in_work", "left", "unreachable"]),
                                   name="followup_call_outcome_known"),
            models.CheckConstraint(condition=~Q(outcome="left") | ~Q(end_reason=""),
                                   name="followup_call_left_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.called_on} {self.outcome}"


class Interest(models.Model):
    """A resident saying "我想试试这个" about a job picked for them: staff see it on their desk, and it counts in the
    statistics. One row per resident and posting: taking it back stamps `withdrawn_at` (kept on record), saying it
    again clears the stamp and dates it anew."""

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.CASCADE,
                                 related_name="interests")
    posting = models.ForeignKey(JobPosting, verbose_name=_("posting"), on_delete=models.CASCADE,
                                related_name="interests")
    expressed_at = models.DateTimeField(_("said at"), db_index=True)
    withdrawn_at = models.DateTimeField(_("taken back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interest in a job")
        verbose_name_plural = _("interests in jobs")
        ordering = ["-expressed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "posting"], name="interest_one_per_pair"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("expressed_at")),
                                   name="interest_withdrawn_after_expressed"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} ♡ {self.posting}"


class RankingRun(models.Model):
    """A ranking of many residents at once (a county or province), split into chunks across workers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    k = models.PositiveSmallIntegerField(_("matches kept per resident"), default=10)
    ranked_on = models.DateField(_("ranked on"))
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    residents_ranked = models.PositiveIntegerField(_("residents ranked"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When a chunk last finished (or the chunks were last sent): a run idle too long lost its workers.
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("times its chunks were sent"), default=1)
    failure = models.TextField(_("why the run failed"), blank=True)

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(chunks_done__lte=models.F("chunks_total")), name="ranking_chunks_done_lte_total"),
        ]

    def __str__(self) -> str:
        return f"{self.ranked_on} ({self.get_status_display()})"


class RankingChunk(models.Model):
    """One chunk of a ranking run: the residents it ranks, and when it was done (each chunk counts once)."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField(_("chunk"))
    resident_ids = models.JSONField(_("residents"), default=list)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ranking chunk")
        verbose_name_plural = _("ranking chunks")
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="ranking_chunk_unique_index")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.index}"


class TopMatch(models.Model):
    """A resident's k best open postings as last ranked (kept fresh by tasks; the API ranks live)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="top_matches")
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    computed_at = models.DateTimeField(_("computed at"))
    run = models.ForeignKey(RankingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("top match")
        verbose_name_plural = _("top matches")
        ordering = ["resident", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "rank"], name="top_match_rank_unique"),
            models.UniqueConstraint(fields=["resident", "posting"], name="top_match_pair_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="top_match_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} #{self.rank} → {self.posting_id}"


class AssignmentRun(models.Model):
    """A proposed assignment of many residents to limited openings, for liaison staff to review.

    Nothing is hired: accepted pairs become recommendations.
    """

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", _("optimal (most households in work, then best fit)")
        STABLE = "stable", _("stable (no resident and employer would both rather swap)")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.OPTIMAL)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    k = models.PositiveSmallIntegerField(_("candidates per resident"), default=50)
    resident_ids = models.JSONField(_("residents considered"), default=list, blank=True)
    proposal = models.JSONField(_("proposal"), default=list, blank=True)  # [[resident, posting, score], …]
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(k__gte=1, k__lte=200), name="assignment_k_1_200")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.created_at:%Y-%m-%d %H:%M}"


class AssignmentAcceptance(models.Model):
    """Liaison staff accepting pairs of an assignment run: recommended by a task, in chunks, with progress.

    The pairs are fixed when it is asked for (the caller's scope). Each chunk commits with the offset it
    reached and the recommendations it made, so a run after a crash resumes where it stopped and never
    recommends a pair twice; if it cannot finish, the recommendations it made are taken back: all or
    nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="acceptances")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The batch its recommendations form, withdrawn together within a day (see RecommendationBatch).
    batch = models.OneToOneField(RecommendationBatch, verbose_name=_("batch of recommendations"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="acceptance")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    pairs = models.JSONField(_("pairs to accept"), default=list, blank=True)  # [[resident, posting, score], …]
    total = models.PositiveIntegerField(_("pairs"), default=0)
    done = models.PositiveIntegerField(_("pairs done"), default=0)
    created = models.JSONField(_("recommendations made"), default=list, blank=True)
    skipped = models.JSONField(_("pairs not recommended"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("acceptance of an assignment run")
        verbose_name_plural = _("acceptances of assignment runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="acceptance_done_lte_total"),
            models.CheckConstraint(condition=Q(status__in=["pending", "running", "finished", "failed"]),
                                   name="acceptance_status_valid"),
            # One acceptance at a time per run: a second click while one runs is refused, not doubled.
            models.UniqueConstraint(fields=["run"], condition=Q(status__in=["pending", "running"]),
                                    name="acceptance_one_unfinished_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.done}/{self.total} ({self.get_status_display()})"


class MatchModel(models.Model):
    """A fitted version of the hiring and retention models, with what it was trained on and how it did in its
    back-test. At most one is active; rankings use it (no active version: the rules alone)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CANDIDATE = "candidate", _("not activated")
        RETIRED = "retired", _("retired")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE,
                              db_index=True)
    trained_from = models.DateField(_("outcomes from"), null=True, blank=True)
    trained_until = models.DateField(_("outcomes until"))
    counts = models.JSONField(_("sample counts"), default=dict)
    features = models.JSONField(_("features"), default=list)
    # The fitted numbers (coefficients, scaling, employers' record, score weights) as plain JSON: safe to load.
    parameters = models.JSONField(_("parameters"), default=dict)
    backtest = models.JSONField(_("back-test"), default=dict)
    decision = models.TextField(_("why it was or was not activated"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("trained by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ranking model version")
        verbose_name_plural = _("ranking model versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="match_model_one_active"),
        ]

    def __str__(self) -> str:
        return f"v{self.pk} ({self.get_status_display()}, {self.trained_until})"
