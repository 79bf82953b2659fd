"""Employers: the bureau keeps them; liaison staff read them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from config.roles import Role
from jobs import selectors
from jobs.models import Employer
from jobs.services import employer_create, employer_delete, employer_update
from taxonomy.models import Place

from .filters import IdFilter
from .mixins import ApiViewMixin
from .serializers import IdField, PlaceSummarySerializer


@extend_schema_serializer(component_name="Employer")
class EmployerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    uscc = serializers.CharField(max_length=30, help_text=_("Unified social credit code (统一社会信用代码), 18 characters."))
    place = IdField(queryset=Place.objects.all())
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    contact_name = serializers.CharField(max_length=40, allow_blank=True, required=False)
    contact_phone = serializers.CharField(max_length=20, allow_blank=True, required=False)
    is_poverty_workshop = serializers.BooleanField(required=False)


class EmployerSerializer(serializers.ModelSerializer):
    place = PlaceSummarySerializer(read_only=True)
    open_postings_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "uscc", "place", "address", "contact_name", "contact_phone", "is_poverty_workshop",
                  "open_postings_count", "created_at", "updated_at"]


class EmployerFilter(filters.FilterSet):
    place = IdFilter(field_name="place_id")
    is_poverty_workshop = filters.BooleanFilter()

    class Meta:
        model = Employer
        fields = ["place", "is_poverty_workshop"]


@extend_schema_view(
    list=extend_schema(summary=_("Employers")),
    retrieve=extend_schema(summary=_("One employer")),
    create=extend_schema(summary=_("Add an employer"), request=EmployerInputSerializer,
                         responses={201: EmployerSerializer}),
    update=extend_schema(summary=_("Change an employer"), request=EmployerInputSerializer),
    partial_update=extend_schema(summary=_("Change some fields of an employer"), request=EmployerInputSerializer),
    destroy=extend_schema(summary=_("Delete an employer that has no postings")),
)
@extend_schema(tags=["employers"])
class EmployerViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Bureau writes; bureau and liaison staff read; other roles 403."""

    serializer_class = EmployerSerializer
    read_roles = (Role.BUREAU, Role.LIAISON)
    write_roles = (Role.BUREAU,)
    filterset_class = EmployerFilter
    search_fields = ["name", "uscc"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.employer_list()

    def _output(self, employer, status_code=status.HTTP_200_OK):
        return Response(EmployerSerializer(self.get_queryset().get(pk=employer.pk)).data, status=status_code)

    def create(self, request):
        serializer = EmployerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = employer_create(created_by=request.user, **serializer.validated_data)
        return self._output(employer, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        employer = self.get_object()
        serializer = EmployerInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self._output(employer_update(employer=employer, data=serializer.validated_data))

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        employer_delete(employer=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
