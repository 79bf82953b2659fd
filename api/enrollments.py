"""Enrolment in training sessions: residents enrol and cancel themselves; liaison staff enrol their
station's residents and record attendance and completion. Also the coming market days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from config.roles import Role, has_role
from residents.models import Resident
from stations.selectors import residents_visible_to
from training import services
from training.market_days import next_market_days
from training.models import Enrollment, TrainingSession
from training.selectors import waitlist_position

from .filters import IdFilter
from .mixins import ApiViewMixin
from .serializers import IdField


class EnrollmentSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    course = serializers.CharField(source="session.course.name", read_only=True)
    start_date = serializers.DateField(source="session.start_date", read_only=True)
    end_date = serializers.DateField(source="session.end_date", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = ["id", "session", "course", "start_date", "end_date", "resident", "resident_name", "status",
                  "status_display", "waitlist_position", "hours_attended", "passed", "certificate_number",
                  "created_at", "completed_at"]

    def get_waitlist_position(self, obj) -> int | None:
        if obj.status != Enrollment.Status.WAITLISTED:
            return None
        if "waitlist_position" in vars(obj):  # annotated by the list's queryset
            return obj.waitlist_position
        return Enrollment.objects.filter(pk=obj.pk).annotate(position=waitlist_position()).values_list(
            "position", flat=True).get()


class EnrollInputSerializer(serializers.Serializer):
    session = IdField(queryset=TrainingSession.objects.all())
    resident = IdField(queryset=Resident.objects.none(), required=False,
                       help_text=_("Liaison staff name the resident; a resident enrols themself."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_visible_to(user) if user else Resident.objects.none()


class AttendanceInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0)


class CompleteInputSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    certificate_number = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")


class EnrollmentFilter(filters.FilterSet):
    session = IdFilter(field_name="session_id")
    resident = IdFilter(field_name="resident_id")
    status = filters.MultipleChoiceFilter(choices=Enrollment.Status.choices)

    class Meta:
        model = Enrollment
        fields = ["session", "resident", "status"]


class EnrollmentViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Enrolments of the caller's residents (a resident: their own)."""

    serializer_class = EnrollmentSerializer
    read_roles = (Role.LIAISON, Role.RESIDENT)
    write_roles = (Role.LIAISON, Role.RESIDENT)
    action_roles = {"attendance": (Role.LIAISON,), "complete": (Role.LIAISON,), "drop": (Role.LIAISON,)}
    filterset_class = EnrollmentFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return Enrollment.objects.filter(resident__in=residents_visible_to(self.request.user)).select_related(
            "resident", "session__course").annotate(waitlist_position=waitlist_position())

    @extend_schema(request=EnrollInputSerializer, responses={201: EnrollmentSerializer})
    def create(self, request, *args, **kwargs):
        data = EnrollInputSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        resident = data.validated_data.get("resident")
        if resident is None:
            own = residents_visible_to(request.user).filter(user=request.user).first()
            if own is None or has_role(request.user, Role.LIAISON):
                raise serializers.ValidationError({"resident": [_("Say which resident to enrol.")]})
            resident = own
        enrollment = services.enrollment_create(session=data.validated_data["session"], resident=resident,
                                                actor=request.user)
        return Response(self.get_serializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel before the session starts; the first on the waiting list takes the seat."""
        enrollment = services.enrollment_cancel(enrollment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(enrollment).data)

    @extend_schema(request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """Record a drop-out during the session."""
        enrollment = services.enrollment_drop(enrollment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(enrollment).data)

    @extend_schema(request=AttendanceInputSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record the hours attended on one day."""
        enrollment = self.get_object()  # first: another station's enrolment is a 404 whatever the body says
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.attendance_record(enrollment=enrollment, actor=request.user, **data.validated_data)
        enrollment.refresh_from_db()
        return Response(self.get_serializer(enrollment).data)

    @extend_schema(request=CompleteInputSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close with pass or fail; passing grants the course's skills and re-ranks the resident."""
        enrollment = self.get_object()  # first: another station's enrolment is a 404 whatever the body says
        data = CompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = services.enrollment_complete(enrollment=enrollment, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(enrollment).data)


class MarketDaysView(ApiViewMixin, APIView):
    """The next market days (赶集日: lunar dates ending in 1 or 6), for sessions and reception days."""

    read_roles = (Role.BUREAU, Role.LIAISON, Role.DEPUTY, Role.RESIDENT)

    @extend_schema(
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("count", OpenApiTypes.INT)],
        responses=inline_serializer("MarketDays", {"results": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request):
        errors = {}
        try:
            start = dt.date.fromisoformat(request.query_params.get("from") or timezone.localdate().isoformat())
        except ValueError:
            errors["from"] = [_("A date like 2026-12-01.")]
        else:
            if not 2000 <= start.year <= 2090:  # the lunar calendar is known up to 2099
                errors["from"] = [_("A date from 2000 to 2090.")]
        try:
            count = int(request.query_params.get("count", 6))
            if not 1 <= count <= 60:
                raise ValueError
        except ValueError:
            errors["count"] = [_("A whole number from 1 to 60.")]
        if errors:
            raise serializers.ValidationError(errors)
        days = next_market_days(start, count)
        return Response({"results": [{"date": d.date, "lunar": d.lunar_label, "weekday": d.date.isoweekday()}
                                     for d in days]})
