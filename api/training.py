"""Training courses (with the skills they grant) and their sessions: the bureau writes, all roles read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from config.roles import Role, has_role
from matching.selectors import sessions_by_distance
from stations.selectors import residents_visible_to
from taxonomy.models import Place
from training import selectors
from training.models import Course, CourseSkill, TrainingSession
from training.services import (
    course_create,
    course_delete,
    course_update,
    session_create,
    session_delete,
    session_update,
)

from .filters import IdFilter
from .mixins import ApiViewMixin
from .permissions import EVERY_ROLE
from .serializers import (
    IdField,
    PlaceSummarySerializer,
    SkillLevelInputSerializer,
    SkillSummarySerializer,
    reject_fields,
)

MAX_HOURS = 2000


@extend_schema_serializer(component_name="Course")
class CourseInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, required=False, allow_blank=True, help_text=_(
        "Latin letters, digits and hyphens, or Chinese (spelled in pinyin); empty: made from the name."))
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    hours = serializers.IntegerField(min_value=1, max_value=MAX_HOURS, required=False)
    skills = SkillLevelInputSerializer(many=True, required=False, max_length=50,
                                       help_text=_("Skills the course grants; replaces the list."))

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        if "skills" in data:
            data["skills"] = [(item["skill"], item["level"]) for item in data["skills"]]
        return data


class CourseSkillSerializer(serializers.ModelSerializer):
    skill = SkillSummarySerializer(read_only=True)

    class Meta:
        model = CourseSkill
        fields = ["skill", "level"]


class CourseSerializer(serializers.ModelSerializer):
    skills = CourseSkillSerializer(source="skill_links", many=True, read_only=True)
    sessions_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = ["id", "code", "name", "description", "hours", "skills", "sessions_count"]


@extend_schema_serializer(component_name="Session")
class SessionInputSerializer(serializers.Serializer):
    course = IdField(queryset=Course.objects.all(), help_text=_("Set when creating; cannot change later."))
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = IdField(queryset=Place.objects.all())
    venue = serializers.CharField(max_length=120, allow_blank=True, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    hours = serializers.IntegerField(min_value=1, max_value=MAX_HOURS, required=False,
                                     help_text=_("The course's hours when left out."))
    trainer = serializers.CharField(max_length=60, allow_blank=True, required=False)
    partner_department = serializers.CharField(max_length=80, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=TrainingSession.Status.choices, required=False)

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["course"]


class CourseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "code", "name"]


class SessionSerializer(serializers.ModelSerializer):
    course = CourseSummarySerializer(read_only=True)
    place = PlaceSummarySerializer(read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    distance_km = serializers.SerializerMethodField(help_text=_(
        "For a resident: kilometres from their home to the session's place, to 0.1 km; null for staff and "
        "when a place has no coordinates."))

    class Meta:
        model = TrainingSession
        fields = ["id", "course", "start_date", "end_date", "place", "venue", "capacity", "enrolled_count",
                  "seats_left", "hours", "trainer", "partner_department", "status", "created_at", "distance_km"]

    def get_distance_km(self, session) -> float | None:
        # The view measures the distances for a resident and passes them in the context (session id → km).
        distance = self.context.get("distances", {}).get(session.pk)
        return None if distance is None else round(distance, 1)


class SessionFilter(filters.FilterSet):
    course = IdFilter(field_name="course_id")
    status = filters.ChoiceFilter(choices=TrainingSession.Status.choices)
    start_date = filters.DateFromToRangeFilter()
    place = IdFilter(field_name="place_id")

    class Meta:
        model = TrainingSession
        fields = ["course", "status", "start_date", "place"]


class TrainingViewSet(ApiViewMixin, viewsets.ModelViewSet):
    read_roles = EVERY_ROLE
    write_roles = (Role.BUREAU,)

    def _output(self, obj, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code)


@extend_schema_view(
    list=extend_schema(summary=_("Training courses")),
    retrieve=extend_schema(summary=_("One training course")),
    create=extend_schema(summary=_("Add a course"), request=CourseInputSerializer, responses={201: CourseSerializer}),
    update=extend_schema(summary=_("Change a course"), request=CourseInputSerializer),
    partial_update=extend_schema(summary=_("Change some fields of a course"), request=CourseInputSerializer),
    destroy=extend_schema(summary=_("Delete a course that has no sessions")),
)
@extend_schema(tags=["training"])
class CourseViewSet(TrainingViewSet):
    """Bureau writes; every role reads."""

    serializer_class = CourseSerializer
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "hours"]
    ordering = ["code"]

    def get_queryset(self):
        return selectors.course_list()

    def create(self, request):
        serializer = CourseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._output(course_create(**serializer.service_data()), status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        course = self.get_object()
        serializer = CourseInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self._output(course_update(course=course, data=serializer.service_data()))

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        course_delete(course=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Training sessions"), description=_(
        "A resident gets the sessions nearest their home first (sessions as far away by start date) unless "
        "`ordering` is given, each with its `distance_km`; staff get them by start date.")),
    retrieve=extend_schema(summary=_("One training session")),
    create=extend_schema(summary=_("Schedule a session"), request=SessionInputSerializer,
                         responses={201: SessionSerializer}),
    update=extend_schema(summary=_("Change a session"), request=SessionInputSerializer),
    partial_update=extend_schema(summary=_("Change some fields of a session"), request=SessionInputSerializer),
    destroy=extend_schema(summary=_("Delete a session nobody enrolled in (cancel it otherwise)")),
)
@extend_schema(tags=["training"])
class SessionViewSet(TrainingViewSet):
    """Bureau writes; every role reads."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    search_fields = ["course__name", "venue", "trainer"]
    ordering_fields = ["start_date", "end_date", "created_at"]
    ordering = ["start_date", "id"]

    def get_queryset(self):
        return selectors.session_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "distances": getattr(self, "_distances", {})}

    def _home(self) -> Place | None:
        """The signed-in resident's resettlement site, which sessions are measured from; None for staff."""
        user = self.request.user
        if not has_role(user, Role.RESIDENT):
            return None
        resident = residents_visible_to(user).filter(user=user).first()
        return resident.household.site if resident is not None else None

    def _ordering_asked(self, sessions) -> bool:
        """Whether `?ordering=` names a field it may order by (as DRF's OrderingFilter decides)."""
        ordering = drf_filters.OrderingFilter()
        asked = self.request.query_params.get(ordering.ordering_param)
        if not asked:
            return False
        fields = [field.strip() for field in asked.split(",")]
        return bool(ordering.remove_invalid_fields(sessions, fields, self, self.request))

    def _measure(self, sessions, home: Place) -> list[TrainingSession]:
        """The sessions nearest `home` first, keeping each one's distance for the serializer."""
        rows = sessions_by_distance(sessions, home=home)
        self._distances = {row.session.pk: row.distance_km for row in rows}
        return [row.session for row in rows]

    def list(self, request, *args, **kwargs):
        home = self._home()
        if home is None:
            return super().list(request, *args, **kwargs)
        sessions = self.filter_queryset(self.get_queryset())
        if self._ordering_asked(sessions):
            page = self.paginate_queryset(sessions)
            self._measure(page, home)  # the order asked for, with the distances
        else:
            page = self.paginate_queryset(self._measure(sessions, home))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        session = self.get_object()
        home = self._home()
        if home is not None:
            self._measure([session], home)
        return Response(self.get_serializer(session).data)

    def create(self, request):
        serializer = SessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_create(created_by=request.user, **serializer.validated_data)
        return self._output(session, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        session = self.get_object()
        if isinstance(request.data, dict) and request.data.get("course", session.course_id) != session.course_id:
            reject_fields(request.data, ["course"], _("The course of a session cannot be changed."))
        serializer = SessionInputSerializer(data=request.data, partial=partial, creating=False)
        serializer.is_valid(raise_exception=True)
        return self._output(session_update(session=session, data=serializer.validated_data))

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        session_delete(session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
