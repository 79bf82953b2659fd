"""Job postings at /jobs/: the bureau writes, publishes and closes them; everyone with a role reads.

Residents see open postings only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.roles import Role, has_role
from jobs import selectors
from jobs.models import Employer, JobPosting, JobSkill, WageUnit
from jobs.services import (
    SkillRequirementInput,
    posting_close,
    posting_create,
    posting_delete,
    posting_publish,
    posting_update,
)
from jobs.wages import monthly_estimate_text, wage_text
from matching.profiles import posting_monthly_estimate
from stations.selectors import place_ids_with_descendants
from taxonomy.models import Place, Skill

from .filters import IdFilter
from .mixins import ApiViewMixin
from .permissions import EVERY_ROLE
from .serializers import (
    IdField,
    OccupationRefField,
    OccupationSummarySerializer,
    PlaceSummarySerializer,
    SkillSummarySerializer,
    reject_fields,
    skill_texts_field,
)


@extend_schema_serializer(component_name="PostingSkill")
class SkillRequirementInputSerializer(serializers.Serializer):
    skill = IdField(queryset=Skill.objects.all())
    level = serializers.IntegerField(min_value=1, max_value=5, default=1)
    kind = serializers.ChoiceField(choices=JobSkill.Kind.choices, default=JobSkill.Kind.REQUIRED)
    mandatory = serializers.BooleanField(default=False,
                                         help_text=_("A mandatory skill excludes candidates without it."))


@extend_schema_serializer(component_name="Posting")
class PostingInputSerializer(serializers.Serializer):
    employer = IdField(queryset=Employer.objects.all(), help_text=_("Set when creating; cannot change later."))
    title = serializers.CharField(max_length=120)
    occupation = OccupationRefField(allow_null=True, required=False,
                                    help_text=_("Occupation code (or id), an occupation or a minor group."))
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    openings = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    wage_min = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, allow_null=True, required=False)
    wage_max = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, allow_null=True, required=False)
    wage_unit = serializers.ChoiceField(choices=WageUnit.choices, required=False)
    piece_monthly_estimate = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, allow_null=True, required=False,
        help_text=_("Piece-rate work only: what a worker typically earns a month at this piece rate, in CNY."),
    )
    work_mode = serializers.ChoiceField(choices=JobPosting.WorkMode.choices, required=False)
    work_time = serializers.ChoiceField(choices=JobPosting.WorkTime.choices, required=False)
    place = IdField(queryset=Place.objects.all(), allow_null=True, required=False,
                    help_text=_("Where the work is; the employer's place when left out."))
    hours_per_day = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, allow_null=True,
                                             required=False)
    hours_note = serializers.CharField(max_length=100, allow_blank=True, required=False)
    age_min = serializers.IntegerField(min_value=0, max_value=200, allow_null=True, required=False)
    age_max = serializers.IntegerField(min_value=0, max_value=200, allow_null=True, required=False)
    valid_until = serializers.DateField(allow_null=True, required=False)
    skills = SkillRequirementInputSerializer(many=True, required=False, max_length=50,
                                             help_text=_("Replaces the posting's skills."))
    skill_texts = skill_texts_field(_("Skills in free words; recognised ones are added (required, level 1), "
                                      "the others kept in unresolved_skill_texts."))
    publish = serializers.BooleanField(required=False, default=False, write_only=True,
                                       help_text=_("Publish at once (creation only)."))

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["employer"]
            del self.fields["publish"]

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        if "skills" in data:
            data["skills"] = [SkillRequirementInput(**item) for item in data["skills"]]
        return data


class EmployerSummarySerializer(serializers.ModelSerializer):
    place = PlaceSummarySerializer(read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "is_poverty_workshop", "place"]


class PostingSkillSerializer(serializers.ModelSerializer):
    skill = SkillSummarySerializer(read_only=True)

    class Meta:
        model = JobSkill
        fields = ["skill", "level", "kind", "mandatory"]


class PostingSerializer(serializers.ModelSerializer):
    employer = EmployerSummarySerializer(read_only=True)
    occupation = OccupationSummarySerializer(read_only=True, allow_null=True)
    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    openings_remaining = serializers.IntegerField(read_only=True)
    is_expired = serializers.BooleanField(
        read_only=True, help_text=_("Still open but past its last valid day: not matched, closed overnight."))
    skills = PostingSkillSerializer(source="skill_links", many=True, read_only=True)
    wage_display = serializers.SerializerMethodField(
        help_text=_("The wage as people write it, e.g. 3,200–4,500元/月, 280–330元/天, 45–60元/件."))
    monthly_estimate_display = serializers.SerializerMethodField(
        help_text=_("For a wage not paid by the month, the monthly figure matching uses, e.g. 约6,000元/月; "
                    "empty otherwise."))

    class Meta:
        model = JobPosting
        fields = [
            "id", "title", "status", "is_expired",
            "employer", "occupation", "occupation_confidence", "description", "openings",
            "filled", "openings_remaining", "wage_min", "wage_max", "wage_unit", "piece_monthly_estimate",
            "wage_display", "monthly_estimate_display", "work_mode",
            "work_time", "place", "hours_per_day", "hours_note", "age_min", "age_max", "valid_until", "skills",
            "unresolved_skill_texts", "published_at", "created_at", "updated_at",
        ]

    def get_wage_display(self, posting: JobPosting) -> str:
        return wage_text(posting.wage_min, posting.wage_max, posting.wage_unit)

    def get_monthly_estimate_display(self, posting: JobPosting) -> str:
        if posting.wage_unit == WageUnit.MONTH:
            return ""
        return monthly_estimate_text(posting_monthly_estimate(posting))


class PostingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=JobPosting.SHOWN_STATUS_CHOICES, method="filter_status",
        label=_("Status: open leaves out postings past their last valid day; expired lists only those."),
    )
    employer = IdFilter(field_name="employer_id")
    occupation = filters.CharFilter(method="filter_occupation", max_length=20,
                                    label=_("Occupation code or group prefix, e.g. 4-10 or 4-10-01-06"))
    work_mode = filters.ChoiceFilter(choices=JobPosting.WorkMode.choices)
    work_time = filters.ChoiceFilter(choices=JobPosting.WorkTime.choices)
    wage_unit = filters.ChoiceFilter(choices=WageUnit.choices)
    place = IdFilter(method="filter_place", label=_("Id of a place; postings there or anywhere below it"))
    is_poverty_workshop = filters.BooleanFilter(field_name="employer__is_poverty_workshop")
    valid_until = filters.DateFromToRangeFilter()
    min_wage = filters.NumberFilter(method="filter_min_wage", min_value=0, max_value=10**7,
                                    label=_("Postings paying at least this much (in their wage unit)"))

    class Meta:
        model = JobPosting
        fields = ["status", "employer", "occupation", "work_mode", "work_time", "wage_unit", "place",
                  "is_poverty_workshop", "valid_until", "min_wage"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.postings_in_shown_status(value))

    def filter_occupation(self, queryset, name, value):
        return queryset.filter(selectors.postings_in_occupation(value))

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_id__in=place_ids_with_descendants({value}))

    def filter_min_wage(self, queryset, name, value):
        return queryset.filter(selectors.postings_paying_at_least(value))


@extend_schema_view(
    list=extend_schema(summary=_("Job postings"), description=_("Residents see open postings only.")),
    retrieve=extend_schema(summary=_("One job posting")),
    create=extend_schema(summary=_("Add a job posting"), request=PostingInputSerializer,
                         responses={201: PostingSerializer}),
    update=extend_schema(summary=_("Change a job posting"), request=PostingInputSerializer),
    partial_update=extend_schema(summary=_("Change some fields of a job posting"), request=PostingInputSerializer),
    destroy=extend_schema(summary=_("Delete a draft posting (close a published one instead)")),
)
@extend_schema(tags=["jobs"])
class JobPostingViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Bureau writes; every role reads (residents only open postings)."""

    serializer_class = PostingSerializer
    read_roles = EVERY_ROLE
    write_roles = (Role.BUREAU,)
    filterset_class = PostingFilter
    search_fields = ["title", "employer__name"]
    ordering_fields = ["created_at", "wage_max", "wage_min", "valid_until", "published_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        user = self.request.user
        only_open = not user.is_superuser and not has_role(user, Role.BUREAU, Role.LIAISON, Role.DEPUTY)
        return selectors.posting_list(only_open=only_open)

    def _output(self, posting, status_code=status.HTTP_200_OK):
        return Response(PostingSerializer(self.get_queryset().get(pk=posting.pk)).data, status=status_code)

    def create(self, request):
        serializer = PostingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posting = posting_create(posted_by=request.user, **serializer.service_data())
        return self._output(posting, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        posting = self.get_object()
        if isinstance(request.data, dict) and request.data.get("employer", posting.employer_id) != posting.employer_id:
            reject_fields(request.data, ["employer"], _("The employer of a posting cannot be changed."))
        serializer = PostingInputSerializer(data=request.data, partial=partial, creating=False)
        serializer.is_valid(raise_exception=True)
        return self._output(posting_update(posting=posting, data=serializer.service_data(), changed_by=request.user))

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        posting_delete(posting=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Publish a posting (open it to matching)"), request=None, responses=PostingSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._output(posting_publish(posting=self.get_object()))

    @extend_schema(summary=_("Close a posting"), request=None, responses=PostingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._output(posting_close(posting=self.get_object()))
