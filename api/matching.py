"""Ranked matches and candidates with their reasons; recommendations, placements and follow-ups.

A resident sees only their own matches; liaison staff the residents of their station; candidate
lists never carry ID numbers or phones.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from config.roles import Role, has_role
from config.tasks import fire
from jobs.models import JobPosting
from jobs.wages import wage_text
from matching import services
from matching.engine import Exclusion
from matching.explain import for_resident
from matching.models import (
    FollowUp,
    FollowUpCall,
    Interest,
    Placement,
    RankingRun,
    Recommendation,
    RecommendationBatch,
)
from matching.selectors import (
    candidates_for_posting,
    explain_match,
    explanation_as_dict,
    followups_due,
    interest_list,
    interest_posting_ids,
    matches_for_resident,
    pair_detail,
    recommendation_batch_list,
    recommendation_list,
)
from matching.training_advice import course_advice_for_resident, course_priorities
from residents.models import Resident
from stations.selectors import resident_place_scope, residents_visible_to

from .errors import ApplicationError
from .filters import IdFilter
from .mixins import ApiViewMixin
from .query import flag_parameter, query_flag
from .serializers import MAX_ID, IdField

LIMIT = OpenApiParameter("limit", OpenApiTypes.INT, description=str(_("How many results (1–200).")))
ANY_JSON = inline_serializer("MatchList", {"results": serializers.ListField(child=serializers.DictField())})


def _limit(request, default: int) -> int:
    raw = request.query_params.get("limit", default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise serializers.ValidationError({"limit": [_("A whole number from 1 to 200.")]}) from None
    if not 1 <= value <= 200:
        raise serializers.ValidationError({"limit": [_("A whole number from 1 to 200.")]})
    return value


def _visible_resident(user, pk) -> Resident:
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    return get_object_or_404(residents_visible_to(user), pk=int(pk))


def _posting(pk) -> JobPosting:
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    return get_object_or_404(JobPosting.objects.select_related("employer"), pk=int(pk))


class ResidentMatchesView(ApiViewMixin, APIView):
    """The open postings that fit a resident best, each with the reasons behind its score."""

    read_roles = (Role.LIAISON, Role.RESIDENT)

    @extend_schema(parameters=[LIMIT], responses=ANY_JSON)
    def get(self, request, pk):
        resident = _visible_resident(request.user, pk)
        results = matches_for_resident(resident, limit=_limit(request, 20))
        if resident.user_id == request.user.pk:  # a resident reads about themself as on the pages: no odds
            results = [for_resident(match) for match in results]
        wanted = interest_posting_ids(resident)
        for match in results:
            match["interested"] = match["job_id"] in wanted
        return Response({"results": results})


class InterestSerializer(serializers.ModelSerializer):
    """A resident's "我想试试这个" on a job."""

    resident_name = serializers.CharField(source="resident.name", read_only=True)
    posting_title = serializers.CharField(source="posting.title", read_only=True)
    employer = serializers.CharField(source="posting.employer.name", read_only=True)
    interested = serializers.SerializerMethodField(help_text=_("False once taken back."))
    recommended = serializers.SerializerMethodField(
        help_text=_("In the list: whether the station already recommended the resident to the job."))

    class Meta:
        model = Interest
        fields = ["id", "resident", "resident_name", "posting", "posting_title", "employer", "interested",
                  "recommended", "expressed_at", "withdrawn_at"]
        read_only_fields = fields

    def get_interested(self, interest) -> bool:
        return interest.withdrawn_at is None

    def get_recommended(self, interest) -> bool | None:
        return getattr(interest, "recommended", None)


class ResidentInterestView(ApiViewMixin, APIView):
    """"我想试试这个": the resident says they want to try a job picked for them (POST), or takes it back
    (DELETE). Only the resident themself, only for an open job among their matches or the station's
    recommendations to them; saying it twice, or taking back twice, changes nothing."""

    write_roles = (Role.RESIDENT,)
    filter_backends: list = []

    def _pair(self, request, pk, posting_pk) -> tuple[Resident, JobPosting]:
        resident = _visible_resident(request.user, pk)
        if resident.user_id != request.user.pk:
            raise Http404
        return resident, _posting(posting_pk)

    @extend_schema(request=None, responses={200: InterestSerializer}, operation_id="v1_residents_match_interest_create",
                   summary=_("Say “I want to try this” about a job picked for me"),
                   description=_("400 on `posting` when the job is not open or not among the jobs picked for the "
                                 "resident; another resident's record is a 404."))
    def post(self, request, pk, posting_pk):
        resident, posting = self._pair(request, pk, posting_pk)
        interest = services.interest_express(resident=resident, posting=posting, actor=request.user)
        return Response(InterestSerializer(interest).data)

    @extend_schema(request=None, responses={200: InterestSerializer, 204: None},
                   operation_id="v1_residents_match_interest_destroy",
                   summary=_("Take back “I want to try this”"),
                   description=_("200 with the interest, now taken back; 204 when there was none to take back."))
    def delete(self, request, pk, posting_pk):
        resident, posting = self._pair(request, pk, posting_pk)
        interest = services.interest_withdraw(resident=resident, posting=posting, actor=request.user)
        if interest is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(InterestSerializer(interest).data)


class InterestFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")
    posting = IdFilter(field_name="posting_id")

    class Meta:
        model = Interest
        fields = ["resident", "posting"]


class InterestViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Standing “我想试试这个” (not taken back), newest first: liaison staff their station's residents' (each with
    `recommended` when the station already recommended that pair), a resident their own."""

    read_roles = (Role.LIAISON, Role.RESIDENT)
    filterset_class = InterestFilter
    search_fields = ["resident__name", "posting__title", "posting__employer__name"]
    ordering_fields = ["expressed_at"]
    ordering = ["-expressed_at"]
    serializer_class = InterestSerializer

    def get_queryset(self):
        return interest_list(residents=residents_visible_to(self.request.user))


PAIR = inline_serializer("MatchPair", {
    "resident_id": serializers.IntegerField(),
    "posting_id": serializers.IntegerField(),
    "eligible": serializers.BooleanField(),
    "score": serializers.FloatField(help_text=str(_("The value the rankings use."))),
    "rule_score": serializers.FloatField(),
    "hire_probability": serializers.FloatField(allow_null=True),
    "retention_probability": serializers.FloatField(allow_null=True),
    "components": serializers.ListField(child=serializers.DictField()),
    "exclusions": serializers.ListField(child=serializers.DictField()),
    "notes": serializers.ListField(child=serializers.DictField()),
    "learned": serializers.ListField(child=serializers.DictField()),
})


class ResidentPairView(ApiViewMixin, APIView):
    """One resident–posting pair, eligible or not: the score the rankings use, the rules' score, the learned
    probabilities (null while no model is active; never shown to the resident themself), the components, and
    every rule that rules it out with a message naming the values."""

    read_roles = (Role.LIAISON, Role.RESIDENT)

    @extend_schema(responses=PAIR, operation_id="v1_residents_match_pair_retrieve")
    def get(self, request, pk, posting_pk):
        resident = _visible_resident(request.user, pk)
        posting = _posting(posting_pk)
        return Response(pair_detail(resident, posting, for_resident=resident.user_id == request.user.pk))


class ResidentCourseAdviceView(ApiViewMixin, APIView):
    """The courses that would unlock the most (and best-paid) open postings for a resident."""

    read_roles = (Role.LIAISON, Role.RESIDENT)

    @extend_schema(responses=ANY_JSON)
    def get(self, request, pk):
        resident = _visible_resident(request.user, pk)
        return Response({"results": [a.as_dict() for a in course_advice_for_resident(resident)]})


class PostingCandidatesView(ApiViewMixin, APIView):
    """The residents who fit a posting best: liaison staff see their station's, bureau staff the county's.

    No ID numbers or phones: a candidate list is shared with employers' contacts.
    """

    read_roles = (Role.LIAISON, Role.BUREAU)

    @extend_schema(parameters=[LIMIT], responses=ANY_JSON)
    def get(self, request, pk):
        posting = _posting(pk)
        user = request.user
        sites = None if has_role(user, Role.BUREAU) else resident_place_scope(user)
        return Response({"results": candidates_for_posting(posting, site_ids=sites, limit=_limit(request, 50))})


class RecommendationInputSerializer(serializers.Serializer):
    resident = IdField(queryset=Resident.objects.none())
    posting = IdField(queryset=JobPosting.objects.all())
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_visible_to(user) if user else Resident.objects.none()


class MoveInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Recommendation.State.choices)
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    wage = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True,
                                    default=None)
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text=_("The day of the outcome (today when not given)."))


class RecommendationEventSerializer(serializers.Serializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()


class RecommendationSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    posting_title = serializers.CharField(source="posting.title", read_only=True)
    employer = serializers.CharField(source="posting.employer.name", read_only=True)
    recommended_by = serializers.CharField(source="recommended_by.username", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    next_states = serializers.SerializerMethodField()
    events = RecommendationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "resident", "resident_name", "posting", "posting_title", "employer", "score", "explanation",
                  "state", "state_display", "next_states", "note", "recommended_by", "recommended_on", "decided_on",
                  "origin", "created_at", "updated_at",
                  "events"]

    def get_next_states(self, obj) -> list[str]:
        return sorted(str(s) for s in Recommendation.TRANSITIONS[Recommendation.State(obj.state)])


class RecommendationFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")
    posting = IdFilter(field_name="posting_id")
    state = filters.MultipleChoiceFilter(choices=Recommendation.State.choices)

    class Meta:
        model = Recommendation
        fields = ["resident", "posting", "state"]


class RecommendationViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Recommendations of the caller's residents; creating one stores the match as it is now."""

    serializer_class = RecommendationSerializer
    read_roles = (Role.LIAISON, Role.RESIDENT)
    write_roles = (Role.LIAISON,)
    filterset_class = RecommendationFilter
    ordering_fields = ["created_at", "score", "updated_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return recommendation_list(residents=residents_visible_to(self.request.user))

    @extend_schema(request=RecommendationInputSerializer, responses={201: RecommendationSerializer})
    def create(self, request, *args, **kwargs):
        data = RecommendationInputSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        resident, posting = data.validated_data["resident"], data.validated_data["posting"]
        outcome = explain_match(resident, posting)
        explanation = explanation_as_dict(outcome)
        if isinstance(outcome, Exclusion):
            raise ApplicationError(
                str(_("This resident does not match the posting: %(reasons)s")
                    % {"reasons": "；".join(r["text"] for r in explanation["reasons"])}),
                code="not_a_match", fields={"posting": [r["text"] for r in explanation["reasons"]]},
            )
        recommendation = services.recommendation_create(
            resident=resident, posting=posting, recommended_by=request.user, score=outcome.score,
            explanation=explanation, note=data.validated_data["note"],
        )
        return Response(self.get_serializer(recommendation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveInputSerializer, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move to the next state (contacted, interviewing, hired, rejected, declined, no answer), with a note; an
        outcome is dated `on` (today by default)."""
        recommendation = self.get_object()
        data = MoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recommendation = services.recommendation_move(recommendation=recommendation, actor=request.user,
                                                      to_state=data.validated_data["state"],
                                                      note=data.validated_data["note"],
                                                      start_date=data.validated_data["start_date"],
                                                      wage=data.validated_data["wage"], on=data.validated_data["on"])
        return Response(self.get_serializer(recommendation).data)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "months", "due_date", "done_at", "still_employed", "note"]


class PlacementSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    posting_title = serializers.CharField(source="posting.title", read_only=True)
    employer = serializers.CharField(source="posting.employer.name", read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    wage_display = serializers.SerializerMethodField(help_text=_("The agreed wage as people write it: 35元/小时."))

    class Meta:
        model = Placement
        fields = ["id", "resident", "resident_name", "posting", "posting_title", "employer", "recommendation",
                  "start_date", "wage", "wage_unit", "wage_display", "status", "ended_on", "end_reason", "end_note", "created_at",
                  "follow_ups"]


    def get_wage_display(self, placement: Placement) -> str:
        return wage_text(placement.wage, None, placement.wage_unit)


class PlacementInputSerializer(serializers.Serializer):
    resident = IdField(queryset=Resident.objects.none())
    posting = IdField(queryset=JobPosting.objects.all())
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    wage = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True,
                                    default=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_visible_to(user) if user else Resident.objects.none()


class PlacementEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=Placement.EndReason.choices)
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class FollowUpInputSerializer(serializers.Serializer):
    still_employed = serializers.BooleanField()
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class FollowUpCallInputSerializer(serializers.Serializer):
    """What came of one call, in one step (the desk's form): still in work, left with the reason, or can't reach."""

    outcome = serializers.ChoiceField(choices=FollowUpCall.Outcome.choices)
    end_reason = serializers.ChoiceField(choices=Placement.EndReason.choices, required=False, default="",
                                         help_text=_("Required when the outcome is “left”."))
    called_on = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text=_("The day of the call (today when not given)."))
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class FollowUpCallSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    end_reason_display = serializers.CharField(source="get_end_reason_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    placement_status = serializers.CharField(source="placement.status", read_only=True)

    class Meta:
        model = FollowUpCall
        fields = ["id", "placement", "follow_up", "outcome", "outcome_display", "end_reason", "end_reason_display",
                  "note", "called_on", "recorded_by", "placement_status", "created_at"]
        read_only_fields = fields


def _call_record(request, *, placement: Placement, follow_up: FollowUp | None = None) -> Response:
    """Validate a call's body and record it with the desk's service: 201 with the call."""
    data = FollowUpCallInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    call = services.followup_call_record(placement=placement, follow_up=follow_up, actor=request.user,
                                         **data.validated_data)
    call = FollowUpCall.objects.select_related("placement", "recorded_by").get(pk=call.pk)
    return Response(FollowUpCallSerializer(call).data, status=status.HTTP_201_CREATED)


class PlacementFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")
    posting = IdFilter(field_name="posting_id")
    status = filters.ChoiceFilter(choices=Placement.Status.choices)
    start_after = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Placement
        fields = ["resident", "posting", "status"]


class PlacementViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Hires of the caller's residents; recording one takes an opening (or is refused when none are left)."""

    serializer_class = PlacementSerializer
    read_roles = (Role.LIAISON, Role.RESIDENT)
    write_roles = (Role.LIAISON,)
    action_roles = {"calls": (Role.LIAISON,)}  # staff's notes of their calls: not the resident's to read
    filterset_class = PlacementFilter
    ordering_fields = ["start_date", "created_at"]
    ordering = ["-start_date"]

    def get_queryset(self):
        return (Placement.objects.filter(resident__in=residents_visible_to(self.request.user))
                .select_related("resident", "posting__employer").prefetch_related("follow_ups"))

    @extend_schema(request=PlacementInputSerializer, responses={201: PlacementSerializer})
    def create(self, request, *args, **kwargs):
        data = PlacementInputSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        placement = services.placement_record(recorded_by=request.user, **data.validated_data)
        return Response(self.get_serializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementEndSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a placement with its reason; the opening it took stays taken."""
        placement = self.get_object()
        data = PlacementEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_end(placement=placement, actor=request.user,
                                           ended_on=data.validated_data["ended_on"],
                                           reason=data.validated_data["reason"], note=data.validated_data["note"])
        return Response(self.get_serializer(placement).data)

    @extend_schema(methods=["GET"], responses=FollowUpCallSerializer(many=True),
                   summary=_("Every call about the placement, newest first"))
    @extend_schema(methods=["POST"], request=FollowUpCallInputSerializer, responses={201: FollowUpCallSerializer},
                   summary=_("Record an unscheduled follow-up call"),
                   description=_("One step: still in work; left, with the reason (ends the placement and answers "
                                 "its open checks “no”); or could not be reached (kept as an attempt). Every rule "
                                 "is checked at once: 400 names each wrong field."))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def calls(self, request, pk=None):
        placement = self.get_object()
        if request.method == "GET":
            calls = placement.calls.select_related("placement", "recorded_by")
            return Response(FollowUpCallSerializer(calls, many=True).data)
        return _call_record(request, placement=placement)


@extend_schema_view(list=extend_schema(parameters=[flag_parameter("due", "Only checks due and not done.")]))
class FollowUpViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Retention checks of the caller's placements; `?due=1` lists those due and not done."""

    serializer_class = FollowUpSerializer
    read_roles = (Role.LIAISON,)
    write_roles = (Role.LIAISON,)
    ordering = ["due_date"]
    ordering_fields = ["due_date"]

    def get_queryset(self):
        residents = residents_visible_to(self.request.user)
        if self.action == "list" and query_flag(self.request, "due"):
            return followups_due(residents=residents, until=timezone.localdate(), active_only=True)
        return FollowUp.objects.filter(placement__resident__in=residents).select_related("placement")

    @extend_schema(request=FollowUpInputSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record whether the person is still in work."""
        follow_up = self.get_object()
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up = services.followup_record(follow_up=follow_up, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(follow_up).data)

    @extend_schema(request=FollowUpCallInputSerializer, responses={201: FollowUpCallSerializer},
                   summary=_("Answer a scheduled follow-up with a call, in one step"),
                   description=_("Still in work answers the check “yes”; left, with the reason, ends the placement "
                                 "and answers its open checks “no”; could not be reached keeps the check open. A "
                                 "check already answered or not yet due is a 400 on `follow_up`."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def call(self, request, pk=None):
        follow_up = self.get_object()
        return _call_record(request, placement=follow_up.placement, follow_up=follow_up)


class BatchWithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False, default="",
                                   help_text=_("Why (optional): kept on each withdrawn recommendation's history."))


class RecommendationBatchSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True, help_text=_("How many recommendations the batch made."))
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    withdrawn_by = serializers.CharField(source="withdrawn_by.username", read_only=True, allow_null=True,
                                         default=None)
    withdrawable_until = serializers.SerializerMethodField()
    withdrawable = serializers.SerializerMethodField()

    class Meta:
        model = RecommendationBatch
        fields = ["id", "run", "size", "created_by", "created_at", "withdrawable_until", "withdrawable",
                  "withdrawn_at", "withdrawn_by", "withdraw_reason"]
        read_only_fields = fields

    def get_withdrawable_until(self, batch) -> dt.datetime:
        return services.batch_withdrawable_until(batch)

    def get_withdrawable(self, batch) -> bool:
        return batch.withdrawn_at is None and timezone.now() <= services.batch_withdrawable_until(batch)


class BatchWithdrawResultSerializer(serializers.Serializer):
    batch = RecommendationBatchSerializer()
    withdrawn = serializers.ListField(child=serializers.IntegerField(),
                                      help_text=_("Ids of the recommendations withdrawn."))
    kept = serializers.ListField(child=serializers.IntegerField(),
                                 help_text=_("Ids of those kept: already worked on (contacted, interviewing, "
                                             "decided)."))


class RecommendationBatchViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                 viewsets.GenericViewSet):
    """The caller's bulk recommendations (accepted batch-assignment proposals), newest first; a batch can be
    withdrawn within `BATCH_WITHDRAW_HOURS` of being made."""

    serializer_class = RecommendationBatchSerializer
    read_roles = (Role.LIAISON,)
    write_roles = (Role.LIAISON,)
    filter_backends: list = []
    queryset = RecommendationBatch.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RecommendationBatch.objects.none()
        return recommendation_batch_list(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=BatchWithdrawInputSerializer, responses=BatchWithdrawResultSerializer,
                   summary=_("Withdraw a batch of recommendations"),
                   description=_("Each recommendation of the batch nobody has worked on yet becomes “withdrawn” "
                                 "(kept on record, no longer counted as recommended); those already contacted, "
                                 "interviewing or decided are kept and listed. A batch already withdrawn, or "
                                 "older than the time allowed, is a 400 on `batch`."))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        batch = self.get_object()
        data = BatchWithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.recommendation_batch_withdraw(batch=batch, actor=request.user,
                                                         reason=data.validated_data["reason"])
        batch = self.get_queryset().get(pk=batch.pk)
        return Response(BatchWithdrawResultSerializer({"batch": batch, **outcome}).data)


class StationCoursePrioritiesView(ApiViewMixin, APIView):
    """The courses most worth running next for a station: openings that need what each course teaches,
    against the station's residents seeking work who lack it."""

    read_roles = (Role.LIAISON, Role.BUREAU, Role.DEPUTY)

    @extend_schema(responses=ANY_JSON)
    def get(self, request, pk):
        from stations.models import LiaisonStation
        from stations.selectors import station_place_ids, user_stations

        user = request.user
        stations = LiaisonStation.objects.all() if (user.is_superuser or has_role(user, Role.BUREAU)) else \
            user_stations(user)
        station = get_object_or_404(stations, pk=pk)
        residents = Resident.objects.filter(household__site_id__in=station_place_ids(station))
        return Response({"station": station.name,
                         "results": [p.as_dict() for p in course_priorities(residents)]})


class RankingRunInputSerializer(serializers.Serializer):
    k = serializers.IntegerField(min_value=1, max_value=50, default=10)
    chunk_size = serializers.IntegerField(min_value=100, max_value=20000, default=2000)


class RankingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RankingRun
        fields = ["id", "status", "k", "ranked_on", "chunks_total", "chunks_done", "residents_ranked", "created_at",
                  "finished_at", "failure"]


class RankingRunViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Rank every resident seeking work against the open postings, in chunks across the workers; poll
    `chunks_done` / `chunks_total` for progress."""

    queryset = RankingRun.objects.all()
    serializer_class = RankingRunSerializer
    read_roles = (Role.BUREAU, Role.LIAISON)
    write_roles = (Role.BUREAU,)
    filter_backends: list = []

    @extend_schema(request=RankingRunInputSerializer, responses={202: RankingRunSerializer})
    def create(self, request, *args, **kwargs):
        data = RankingRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run, _chunks = services.ranking_run_create(created_by=request.user, **data.validated_data)
        fire("matching.tasks.ranking_run_dispatch", run.pk)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)
