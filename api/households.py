"""Households: liaison staff keep those of the places their station serves (admin: all)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from config.roles import Role
from residents import selectors
from residents.models import Household, PovertyStatus
from residents.services import household_create, household_update
from stations.selectors import households_visible_to, user_place_scope
from taxonomy.models import Place

from .filters import IdFilter
from .mixins import ApiViewMixin
from .serializers import IdField, PlaceSummarySerializer


def places_in_scope(user):
    """Places where the user may keep households: their station's, or every place for admin."""
    scope = user_place_scope(user)
    return Place.objects.all() if scope is None else Place.objects.filter(pk__in=scope)


@extend_schema_serializer(component_name="Household")
class HouseholdInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    site = IdField(queryset=Place.objects.none(), help_text=_("Id of a place the station serves."))
    poverty_status = serializers.ChoiceField(choices=PovertyStatus.choices, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    relocated_on = serializers.DateField(allow_null=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = places_in_scope(request.user)


class HouseholdSerializer(serializers.ModelSerializer):
    site = PlaceSummarySerializer(read_only=True)
    members_count = serializers.IntegerField(read_only=True)
    zero_employment = serializers.SerializerMethodField(
        help_text=_("True when no member is employed or self-employed (动态清零 target).")
    )

    class Meta:
        model = Household
        fields = ["id", "number", "site", "poverty_status", "address", "relocated_on", "members_count",
                  "zero_employment", "created_at", "updated_at"]

    def get_zero_employment(self, household) -> bool:
        return household.employed_count == 0


class HouseholdFilter(filters.FilterSet):
    site = IdFilter(field_name="site_id")
    poverty_status = filters.ChoiceFilter(choices=PovertyStatus.choices)
    zero_employment = filters.BooleanFilter(method="filter_zero_employment", label=_("zero-employment household"))

    class Meta:
        model = Household
        fields = ["site", "poverty_status", "zero_employment"]

    def filter_zero_employment(self, queryset, name, value):
        return queryset.filter(employed_count=0) if value else queryset.filter(employed_count__gt=0)


@extend_schema_view(
    list=extend_schema(summary=_("Households the station serves")),
    retrieve=extend_schema(summary=_("One household")),
    create=extend_schema(summary=_("Register a household"), request=HouseholdInputSerializer,
                         responses={201: HouseholdSerializer}),
    update=extend_schema(summary=_("Change a household"), request=HouseholdInputSerializer),
    partial_update=extend_schema(summary=_("Change some fields of a household"), request=HouseholdInputSerializer),
)
@extend_schema(tags=["households"])
class HouseholdViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Liaison staff (their station's places) and admin; other roles get 403."""

    queryset = Household.objects.none()
    serializer_class = HouseholdSerializer
    read_roles = write_roles = (Role.LIAISON,)
    filterset_class = HouseholdFilter
    search_fields = ["number", "address"]
    ordering_fields = ["number", "relocated_on", "created_at", "members_count"]
    ordering = ["number"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.household_list(visible=households_visible_to(self.request.user))

    def _output(self, household, status_code=status.HTTP_200_OK):
        household = self.get_queryset().get(pk=household.pk)
        return Response(HouseholdSerializer(household).data, status=status_code)

    def create(self, request):
        serializer = HouseholdInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        household = household_create(**serializer.validated_data)
        return self._output(household, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        household = self.get_object()
        serializer = HouseholdInputSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        household = household_update(household=household, data=serializer.validated_data)
        return self._output(household)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)
