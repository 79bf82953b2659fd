"""Residents: liaison staff keep their station's; a resident reads and partly edits their own.

Personal data leaves only masked (`id_number_masked`, `phone_masked`); the full value comes from
`POST /residents/{id}/reveal/`, which writes an audit row.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from config.http import RevealThrottle, client_ip
from config.roles import Role
from residents import selectors
from residents.models import Household, PiiRevealLog, PovertyStatus, Resident, ResidentSkill
from residents.services import SkillLevel, resident_age, resident_create, resident_pii_reveal, resident_update
from stations.selectors import households_visible_to, residents_visible_to

from .filters import IdFilter, search_terms
from .mixins import ApiViewMixin
from .permissions import manages_residents
from .serializers import (
    IdField,
    OccupationRefField,
    OccupationSummarySerializer,
    PlaceSummarySerializer,
    SkillLevelInputSerializer,
    SkillSummarySerializer,
    reject_fields,
    skill_texts_field,
)


class ResidentSelfInputSerializer(serializers.Serializer):
    """What a resident may change in their own profile: phone, job preferences, self-reported skills."""

    phone = serializers.CharField(max_length=32, allow_blank=True, required=False,
                                  help_text=_("11-digit mobile number; empty to remove."))
    min_monthly_wage = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, allow_null=True,
                                                required=False)
    max_commute_km = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, allow_null=True,
                                              required=False)
    accepts_home_based = serializers.BooleanField(required=False)
    accepts_outside_county = serializers.BooleanField(required=False)
    work_time = serializers.ChoiceField(choices=Resident.WorkTime.choices, required=False)
    skills = SkillLevelInputSerializer(many=True, required=False, max_length=50,
                                       help_text=_("Replaces the self-reported skills; trained levels are kept."))
    wanted_occupations = serializers.ListField(child=OccupationRefField(), required=False, max_length=20,
                                               help_text=_("Occupation codes (or ids); replaces the list."))
    skill_texts = skill_texts_field(_("Skills in free words; recognised ones are added (level 2), the others "
                                      "kept in unresolved_skill_texts for the station to review."))

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        if "skills" in data:
            data["skills"] = [SkillLevel(skill=item["skill"], level=item["level"]) for item in data["skills"]]
        return data


@extend_schema_serializer(component_name="Resident")
class ResidentInputSerializer(ResidentSelfInputSerializer):
    """The whole profile, as liaison staff enter it; `id_number` is required when registering."""

    household = IdField(queryset=Household.objects.none(), help_text=_("Id of a household the station serves."))
    name = serializers.CharField(max_length=40)
    id_number = serializers.CharField(max_length=32, help_text=_("18-character resident ID number."))
    ethnicity = serializers.CharField(max_length=20, allow_blank=True, required=False)
    education = serializers.ChoiceField(choices=Resident.Education.choices, required=False)
    employment_status = serializers.ChoiceField(choices=Resident.EmploymentStatus.choices, required=False)
    has_disability = serializers.BooleanField(required=False)
    disability_note = serializers.CharField(max_length=200, allow_blank=True, required=False)
    care_duties = serializers.ChoiceField(choices=Resident.CareDuties.choices, required=False)
    consent_share_with_employers = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=2000, allow_blank=True, required=False)

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            self.fields["id_number"].required = False
        request = self.context.get("request")
        if request is not None:
            self.fields["household"].queryset = households_visible_to(request.user)


STAFF_ONLY_FIELDS = sorted(set(ResidentInputSerializer().fields) - set(ResidentSelfInputSerializer().fields))


class HouseholdSummarySerializer(serializers.ModelSerializer):
    site = PlaceSummarySerializer(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "number", "site", "poverty_status"]


class ResidentSkillSerializer(serializers.ModelSerializer):
    skill = SkillSummarySerializer(read_only=True)

    class Meta:
        model = ResidentSkill
        fields = ["skill", "level", "source"]


class ResidentSerializer(serializers.ModelSerializer):
    """A resident's profile; the ID number and phone only masked."""

    household = HouseholdSummarySerializer(read_only=True)
    age = serializers.SerializerMethodField(help_text=_("Age in years today, from the ID number's birth date."))
    skills = ResidentSkillSerializer(source="skill_links", many=True, read_only=True)
    wanted_occupations = OccupationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id", "name", "name_initials", "id_number_masked", "phone_masked", "sex", "age", "ethnicity",
            "education", "employment_status", "has_disability", "disability_note", "care_duties",
            "consent_share_with_employers", "household", "min_monthly_wage", "max_commute_km",
            "accepts_home_based", "accepts_outside_county", "work_time", "skills", "wanted_occupations",
            "unresolved_skill_texts", "unresolved_occupation_texts", "notes", "created_at", "updated_at",
        ]

    def get_age(self, resident) -> int:
        return resident_age(resident, timezone.localdate())


class RevealInputSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=PiiRevealLog.Field.choices)
    reason = serializers.CharField(max_length=200, help_text=_("Why you need the full value; it is logged."))


class RevealOutputSerializer(serializers.Serializer):
    value = serializers.CharField()


IDENTIFIER_IN_URL_MESSAGE = _("A full ID number or phone must not be put in a web address, where logs keep it; "
                              "search for it with POST /api/v1/residents/search/.")


class ResidentSearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, trim_whitespace=True,
                              help_text=_("Name, pinyin initials, household number, last 4 of the ID number, or a "
                                          "full ID number or phone (full-width digits allowed)."))


class ResidentFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        label=_("Name, pinyin initials, household number or last 4 of the ID number. A full ID number or phone "
                "is refused here (it would be written to access logs): use POST /api/v1/residents/search/."),
    )
    household = IdFilter(field_name="household_id")
    site = IdFilter(field_name="household__site_id")
    employment_status = filters.ChoiceFilter(choices=Resident.EmploymentStatus.choices)
    education = filters.ChoiceFilter(choices=Resident.Education.choices)
    has_disability = filters.BooleanFilter()
    skill = IdFilter(method="filter_skill", label=_("Id of a skill the resident has"))
    poverty_status = filters.ChoiceFilter(field_name="household__poverty_status", choices=PovertyStatus.choices)

    class Meta:
        model = Resident
        fields = ["q", "household", "site", "employment_status", "education", "has_disability", "skill",
                  "poverty_status"]

    def filter_q(self, queryset, name, value):
        terms = search_terms(value)
        if any(selectors.identifier_in(term) for term in terms):
            raise serializers.ValidationError({"q": [IDENTIFIER_IN_URL_MESSAGE]})
        return queryset.filter(selectors.resident_search(terms, identifiers=False))

    def filter_skill(self, queryset, name, value):
        return queryset.filter(selectors.resident_with_skill(value))


@extend_schema_view(
    list=extend_schema(summary=_("Residents you may see"),
                       description=_("Liaison staff: their station's residents. A resident: only themself.")),
    retrieve=extend_schema(summary=_("One resident")),
    create=extend_schema(summary=_("Register a resident"), request=ResidentInputSerializer,
                         responses={201: ResidentSerializer}),
    update=extend_schema(summary=_("Change a resident's profile"), request=ResidentInputSerializer),
    partial_update=extend_schema(
        summary=_("Change some fields of a resident's profile"),
        description=_("A resident may change only phone, preferences, wanted occupations and skills."),
        request=ResidentInputSerializer,
    ),
)
@extend_schema(tags=["residents"])
class ResidentViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Liaison staff (their station), admin, and a resident for their own profile; others 403."""

    queryset = Resident.objects.none()
    serializer_class = ResidentSerializer
    read_roles = (Role.LIAISON, Role.RESIDENT)
    write_roles = (Role.LIAISON,)
    action_roles = {
        "partial_update": (Role.LIAISON, Role.RESIDENT),
        "me": (Role.RESIDENT,),
        "reveal": (Role.LIAISON, Role.RESIDENT),
    }
    filterset_class = ResidentFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["name", "created_at", "updated_at", "household__number"]
    ordering = ["household__number", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.resident_list(visible=residents_visible_to(self.request.user))

    def _output(self, resident, status_code=status.HTTP_200_OK):
        resident = self.get_queryset().get(pk=resident.pk)
        return Response(ResidentSerializer(resident).data, status=status_code)

    def create(self, request):
        serializer = ResidentInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        resident = resident_create(**serializer.service_data())
        return self._output(resident, status.HTTP_201_CREATED)

    def _change(self, request, resident, *, partial: bool):
        if manages_residents(request.user):
            serializer = ResidentInputSerializer(data=request.data, partial=partial, creating=False,
                                                 context=self.get_serializer_context())
        else:
            reject_fields(request.data, STAFF_ONLY_FIELDS,
                          _("You cannot change this yourself; please ask the liaison station."))
            serializer = ResidentSelfInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        resident = resident_update(resident=resident, data=serializer.service_data())
        return self._output(resident)

    def update(self, request, pk=None):
        return self._change(request, self.get_object(), partial=False)

    def partial_update(self, request, pk=None):
        return self._change(request, self.get_object(), partial=True)

    def _own_profile(self, request):
        resident = self.get_queryset().filter(user=request.user).first()
        if resident is None:
            raise Http404
        return resident

    @extend_schema(methods=["GET"], summary=_("My own profile (a resident)"), responses=ResidentSerializer)
    @extend_schema(methods=["PATCH"], summary=_("Change my phone, preferences or skills (a resident)"),
                   description=_("Only phone, preferences, wanted occupations and skills may be sent."),
                   request=ResidentInputSerializer, responses=ResidentSerializer)
    @action(detail=False, methods=["get", "patch"], pagination_class=None, filter_backends=[])
    def me(self, request):
        resident = self._own_profile(request)
        if request.method == "PATCH":
            return self._change(request, resident, partial=True)
        return Response(ResidentSerializer(resident).data)

    @extend_schema(
        summary=_("Search residents, by a full ID number or phone too"),
        description=_("The words go in the body, so a full ID number or phone never reaches a web address or an "
                      "access log. The list filters, ordering and pagination work as for the list, in the query."),
        request=ResidentSearchInputSerializer,
        responses=ResidentSerializer(many=True),
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        serializer = ResidentSearchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        condition = selectors.resident_search(search_terms(serializer.validated_data["q"]))
        queryset = self.filter_queryset(self.get_queryset()).filter(condition)
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(ResidentSerializer(page, many=True).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary=_("Reveal the full ID number or phone"),
        description=_("For liaison staff of the resident's station, admin, and the resident themself. "
                      "Every reveal is logged with who, why, when and from where."),
        request=RevealInputSerializer,
        responses=RevealOutputSerializer,
    )
    @action(detail=True, methods=["post"], throttle_classes=[RevealThrottle])
    def reveal(self, request, pk=None):
        resident = self.get_object()
        serializer = RevealInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = resident_pii_reveal(resident=resident, actor=request.user, ip_address=client_ip(request),
                                    **serializer.validated_data)
        response = Response(RevealOutputSerializer({"value": value}).data)
        response["Cache-Control"] = "no-store"
        return response
