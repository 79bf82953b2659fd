"""The public API under /api/v1/public/: open postings, sessions with seats, the station (deputies, hours, who
is on duty next market day), and anonymous requests. No login, read-only but for the request; no resident data."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.http import PublicRequestThrottle, client_ip
from jobs.models import JobPosting
from receptions.models import Request
from receptions.selectors import public_postings, public_sessions, public_station, station_card, wage_text
from receptions.services import duplicate_of_recent, request_submit
from training.models import TrainingSession

from .parsers import JSONParser
from .query import StrictQueryMixin
from .serializers import MAX_ID


class PublicView(StrictQueryMixin):
    """No login: anonymous clients read these (and only these) endpoints."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]


class PublicPostingSerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name")
    contact_phone = serializers.CharField(source="employer.contact_phone")
    place = serializers.CharField(source="place.name", default=None)
    wage = serializers.SerializerMethodField()
    work_mode_display = serializers.CharField(source="get_work_mode_display")
    work_time_display = serializers.CharField(source="get_work_time_display")
    openings_remaining = serializers.IntegerField()

    class Meta:
        model = JobPosting
        fields = ["id", "title", "employer", "contact_phone", "place", "wage", "wage_min", "wage_max", "wage_unit",
                  "work_mode", "work_mode_display", "work_time", "work_time_display", "openings_remaining",
                  "valid_until"]

    def get_wage(self, obj) -> str:
        return wage_text(obj)


POSTING_PARAMS = [
    OpenApiParameter("place", OpenApiTypes.INT, description=gettext_lazy("a place id: postings there or below")),
    OpenApiParameter("wage", OpenApiTypes.NUMBER, description=gettext_lazy("pay at least this much (in its unit)")),
    OpenApiParameter("work_mode", OpenApiTypes.STR, enum=list(JobPosting.WorkMode.values)),
    OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy("words of the title or the employer")),
]


class PublicPostingsView(PublicView, generics.ListAPIView):
    """Open postings with openings left, home-based work first."""

    serializer_class = PublicPostingSerializer

    @extend_schema(parameters=POSTING_PARAMS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params, errors = self.request.query_params, {}
        place_id = wage = None
        if params.get("place"):
            try:
                place_id = int(params["place"])
                if not 1 <= place_id <= MAX_ID:
                    raise ValueError
            except ValueError:
                errors["place"] = [_("A place id.")]
        if params.get("wage"):
            try:
                wage = Decimal(params["wage"])
                if not wage.is_finite() or not 0 <= wage <= 1_000_000:
                    raise InvalidOperation
            except InvalidOperation:
                errors["wage"] = [_("An amount of yuan, like 3000.")]
        work_mode = params.get("work_mode", "")
        if work_mode and work_mode not in JobPosting.WorkMode.values:
            errors["work_mode"] = [_("on_site or home_based.")]
        text = params.get("q", "").strip()[:50]
        if errors:
            raise serializers.ValidationError(errors)
        return public_postings(place_id=place_id, wage_at_least=wage, work_mode=work_mode, text=text,
                               today=timezone.localdate())


class PublicSessionSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.name")
    place = serializers.CharField(source="place.name")
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["id", "course", "start_date", "end_date", "place", "venue", "hours", "seats_left"]

    def get_seats_left(self, obj) -> int:
        return max(obj.capacity - obj.enrolled_count, 0)


class PublicSessionsView(PublicView, generics.ListAPIView):
    """Training sessions that have not started and still have seats."""

    serializer_class = PublicSessionSerializer

    def get_queryset(self):
        return public_sessions(today=timezone.localdate())


class PublicStationView(PublicView, APIView):
    """The station's public card."""

    @extend_schema(responses=inline_serializer("PublicStation", {
        "name": serializers.CharField(), "opening_hours": serializers.CharField(),
        "deputies": serializers.ListField(child=serializers.DictField()),
        "market_days": serializers.ListField(child=serializers.DictField())}))
    def get(self, request):
        station = public_station()
        if station is None:
            return Response({"error": {"code": "not_found", "message": _("No station is set up yet."), "fields": {}}},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(station_card(station, today=timezone.localdate()))


class PublicRequestInput(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=2000)
    category = serializers.ChoiceField(choices=Request.Category.choices, default=Request.Category.OTHER)
    kind = serializers.ChoiceField(choices=Request.Kind.choices, default=Request.Kind.PROBLEM)
    posting = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    session = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                    help_text=gettext_lazy("leave empty (a trap for robots)"))


class PublicRequestView(PublicView, APIView):
    """Submit a request or register interest in a job or a session: name, a mobile number, what it is about."""

    throttle_classes = [PublicRequestThrottle]

    @extend_schema(request=PublicRequestInput, responses={
        201: inline_serializer("PublicRequestReceived", {
            "received": serializers.BooleanField(),
            "answer_due": serializers.DateField(allow_null=True, help_text=gettext_lazy("None for a repeat."))}),
        404: OpenApiResponse(description=gettext_lazy("No station is set up yet."))})
    def post(self, request):
        data = PublicRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        station = public_station()
        if station is None:
            return Response({"error": {"code": "not_found", "message": _("No station is set up yet."), "fields": {}}},
                            status=status.HTTP_404_NOT_FOUND)
        due = timezone.localdate()
        # A robot fills the hidden field; a double tap sends the same text twice: both are thanked, nothing kept.
        if values.get("website") or duplicate_of_recent(phone=values["phone"], text=values["text"]):
            return Response({"received": True, "answer_due": None}, status=status.HTTP_201_CREATED)
        posting = JobPosting.objects.filter(pk=values.get("posting"), status=JobPosting.Status.OPEN).first() \
            if values.get("posting") else None
        session = TrainingSession.objects.filter(pk=values.get("session")).first() if values.get("session") else None
        errors = {}
        if values.get("posting") and posting is None:
            errors["posting"] = [_("No open posting has this id.")]
        if values.get("session") and session is None:
            errors["session"] = [_("No session has this id.")]
        if errors:
            raise serializers.ValidationError(errors)
        category = values["category"]
        if posting is not None and category == Request.Category.OTHER:
            category = Request.Category.EMPLOYMENT
        if session is not None and category == Request.Category.OTHER:
            category = Request.Category.TRAINING
        created = request_submit(station=station, text=values["text"], channel=Request.Channel.PUBLIC,
                                 contact_name=values["name"], phone=values["phone"], category=category,
                                 kind=values["kind"], ip_address=client_ip(request),
                                 posting_id=posting.pk if posting else None,
                                 session_id=session.pk if session else None)
        due = created.answer_due
        return Response({"received": True, "answer_due": due}, status=status.HTTP_201_CREATED)
