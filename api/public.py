"""The public API under /api/v1/public/: open postings, sessions with seats, the station (deputies, hours, who
is on duty next market day), and anonymous requests. No login, read-only but for the request; no resident data."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.http import PublicRequestThrottle, PublicTrackThrottle, client_ip
from jobs.models import JobPosting
from receptions.models import Request
from receptions.selectors import (
    public_posting_filters,
    public_postings,
    public_sessions,
    public_station,
    request_tracked,
    station_card,
    tracked_request_card,
    wage_text,
)
from receptions.services import duplicate_of_recent, request_rate, request_submit
from receptions.tracking import tracking_code_new
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
        filters, errors = public_posting_filters(self.request.query_params)
        if errors:
            raise serializers.ValidationError({name: [message] for name, message in errors.items()})
        return public_postings(**filters.as_kwargs(), today=timezone.localdate())


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
            "answer_due": serializers.DateField(allow_null=True, help_text=gettext_lazy("None for a repeat.")),
            "tracking_code": serializers.CharField(allow_null=True, help_text=gettext_lazy(
                "shown this once: with the phone's last four digits it reads the reply at public/requests/track/ "
                "(null when the same text from the same number was received already)"))}),
        404: OpenApiResponse(description=gettext_lazy("No station is set up yet."))})
    def post(self, request):
        data = PublicRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        station = public_station()
        if station is None:
            return Response({"error": {"code": "not_found", "message": _("No station is set up yet."), "fields": {}}},
                            status=status.HTTP_404_NOT_FOUND)
        # A robot fills the hidden field; a double tap sends the same text twice: both are thanked, nothing kept.
        if values.get("website"):
            return Response({"received": True, "answer_due": None, "tracking_code": tracking_code_new()},
                            status=status.HTTP_201_CREATED)  # a code like any other, which finds nothing
        if duplicate_of_recent(phone=values["phone"], text=values["text"]):
            return Response({"received": True, "answer_due": None, "tracking_code": None},
                            status=status.HTTP_201_CREATED)
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
        return Response({"received": True, "answer_due": created.answer_due, "tracking_code": created.tracking_code},
                        status=status.HTTP_201_CREATED)


class PublicTrackInput(serializers.Serializer):
    code = serializers.CharField(max_length=30, help_text=gettext_lazy("the tracking code given on submission"))
    phone = serializers.CharField(max_length=20, help_text=gettext_lazy(
        "the mobile number given on submission, or its last four digits"))


class PublicRateInput(PublicTrackInput):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PublicTrackedRequest(serializers.Serializer):
    """An anonymous request as its submitter reads it back: no text of theirs, their name and number masked."""

    received_on = serializers.DateField()
    category = serializers.ChoiceField(choices=Request.Category.choices)
    category_display = serializers.CharField()
    status = serializers.ChoiceField(choices=Request.Status.choices)
    status_display = serializers.CharField()
    answer_due = serializers.DateField()
    answered_on = serializers.DateField(allow_null=True)
    reply = serializers.CharField(allow_blank=True)
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField(allow_blank=True)
    can_rate = serializers.BooleanField()
    name = serializers.CharField(help_text=gettext_lazy("masked: the family name only"))
    phone = serializers.CharField(help_text=gettext_lazy("masked: 139****5678"))


def _tracked(values) -> Request:
    """The request of this code and phone, or a 400 that does not say which of the two is wrong."""
    found = request_tracked(code=values["code"], phone=values["phone"])
    if found is None:
        raise serializers.ValidationError({"code": [_("No request has this code with this phone number.")]})
    return found


class PublicRequestTrackView(PublicView, APIView):
    """Read back an anonymous request (status, deadline, the reply) with its tracking code and the phone's last
    four digits (or the whole number). POST, so that the code stays out of addresses and logs."""

    throttle_classes = [PublicTrackThrottle]

    @extend_schema(request=PublicTrackInput, responses={200: PublicTrackedRequest})
    def post(self, request):
        data = PublicTrackInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PublicTrackedRequest(tracked_request_card(_tracked(data.validated_data))).data)


class PublicRequestRateView(PublicView, APIView):
    """Rate the reply to an anonymous request (1–5 stars, once), with its tracking code and phone."""

    throttle_classes = [PublicTrackThrottle]

    @extend_schema(request=PublicRateInput, responses={200: PublicTrackedRequest})
    def post(self, request):
        data = PublicRateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rated = request_rate(request=_tracked(values), actor=None, rating=values["rating"],
                             comment=values["comment"])
        return Response(PublicTrackedRequest(tracked_request_card(rated)).data)
