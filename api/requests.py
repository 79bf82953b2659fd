"""Requests (诉求) and deputies' suggestions: staff classify, assign, handle, answer and resolve their station's
requests; a resident submits their own and rates the reply; deputies raise requests into suggestions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.roles import Role, has_role
from receptions import services
from receptions.models import Request, RequestEvent, Suggestion
from receptions.selectors import (
    request_is_overdue,
    request_search,
    requests_visible_to,
    staff_stations,
    suggestions_visible_to,
)
from residents.models import Resident
from stations.models import Deputy, LiaisonStation
from stations.selectors import residents_visible_to, station_place_ids

from .mixins import ApiViewMixin
from .query import flag_parameter, query_flag
from .serializers import IdField

STAFF = (Role.LIAISON, Role.DEPUTY)


def _text(data, name: str) -> str:
    """A text field of a JSON body: a string (anything else is a field error, not its repr)."""
    value = data.get(name, "") if isinstance(data, dict) else None
    if not isinstance(value, str):
        raise serializers.ValidationError({name: [_("Give text.")]})
    return value


class RequestEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = RequestEvent
        fields = ["action", "action_display", "actor", "from_status", "to_status", "note", "at"]


class RequestSerializer(serializers.ModelSerializer):
    """A request as staff see it (the phone masked), with its audit trail."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    assigned_to = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    events = RequestEventSerializer(many=True, read_only=True)

    class Meta:
        model = Request
        fields = ["id", "station", "resident", "contact_name", "phone_masked", "kind", "category",
                  "category_display", "channel", "text", "status", "status_display", "assigned_to", "answer_due",
                  "resolve_due", "overdue", "handling", "reply", "received_at", "answered_at", "resolved_at",
                  "rating", "rating_comment", "suggestion", "posting_id_of_interest", "session_id_of_interest",
                  "events"]

    def get_assigned_to(self, obj) -> str | None:
        if obj.assigned_deputy_id:
            return obj.assigned_deputy.name
        if obj.assigned_user_id:
            return obj.assigned_user.get_full_name() or obj.assigned_user.username
        return None

    def get_overdue(self, obj) -> bool:
        return request_is_overdue(obj, timezone.localdate())


class MyRequestSerializer(serializers.ModelSerializer):
    """A request as its resident sees it: what they asked, where it stands, the reply; no staff notes."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Request
        fields = ["id", "kind", "category", "category_display", "text", "status", "status_display", "answer_due",
                  "reply", "received_at", "answered_at", "resolved_at", "rating", "rating_comment"]


class RequestCreateInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    category = serializers.ChoiceField(choices=Request.Category.choices, default=Request.Category.OTHER)
    kind = serializers.ChoiceField(choices=Request.Kind.choices, default=Request.Kind.PROBLEM)
    resident = IdField(queryset=Resident.objects.none(), required=False)
    contact_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_visible_to(user)


class AssignInput(serializers.Serializer):
    deputy = IdField(queryset=Deputy.objects.all(), required=False)
    user = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs):
        if ("deputy" in attrs) == ("user" in attrs):
            raise serializers.ValidationError({"assignee": [_("Choose one deputy or one member of staff.")]})
        return attrs


@extend_schema_view(list=extend_schema(parameters=[flag_parameter("overdue", "Only requests past their due date.")]))
class RequestViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """`GET` lists the requests you may see (`?status=`, `?category=`, `?overdue=1`); `POST` receives one at the
    desk (staff) or from your own page (resident)."""

    read_roles = (Role.LIAISON, Role.DEPUTY, Role.RESIDENT)
    write_roles = (Role.LIAISON, Role.DEPUTY, Role.RESIDENT)
    action_roles = {
        "classify": (Role.LIAISON,), "assign": (Role.LIAISON,), "handle": STAFF, "answer": STAFF,
        "resolve": STAFF, "rate": (Role.RESIDENT,),
    }
    filterset_fields = ["status", "category", "kind"]

    def get_queryset(self):
        queryset = requests_visible_to(self.request.user).prefetch_related("events__actor")
        if self.action == "list" and query_flag(self.request, "overdue"):
            queryset = request_search(queryset, overdue_on=timezone.localdate())
        return queryset

    def _is_resident(self) -> bool:
        user = self.request.user
        return not user.is_superuser and has_role(user, Role.RESIDENT) and not has_role(user, *STAFF)

    def get_serializer_class(self):
        return MyRequestSerializer if self._is_resident() else RequestSerializer

    @extend_schema(request=RequestCreateInput, responses={201: RequestSerializer})
    def create(self, request, *args, **kwargs):
        data = RequestCreateInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if self._is_resident():
            resident = Resident.objects.select_related("household").filter(user=request.user).first()
            if resident is None:
                raise PermissionDenied
            station = self._station_of(resident)
            channel = Request.Channel.RESIDENT
        else:
            resident = values.get("resident")
            station = staff_stations(request.user).first()
            channel = Request.Channel.DESK
        if station is None:
            raise serializers.ValidationError({"station": [_("You are not attached to a station.")]})
        created = services.request_submit(
            station=station, text=values["text"], channel=channel, resident=resident, category=values["category"],
            kind=values["kind"], contact_name=values.get("contact_name", ""), phone=values.get("phone", ""),
            submitted_by=request.user)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _station_of(resident: Resident):
        for station in LiaisonStation.objects.all():
            if resident.household.site_id in station_place_ids(station):
                return station
        return None

    def _done(self, obj):
        return Response(self.get_serializer(requests_visible_to(self.request.user).get(pk=obj.pk)).data)

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        return self._done(services.request_classify(
            request=self.get_object(), actor=request.user, category=_text(request.data, "category"),
            kind=_text(request.data, "kind") or None))

    @extend_schema(request=AssignInput)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        target = self.get_object()
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = None
        if "user" in data.validated_data:
            user = get_user_model().objects.filter(pk=data.validated_data["user"]).first()
            if user is None:
                raise serializers.ValidationError({"user": [_("No such user.")]})
        return self._done(services.request_assign(request=target, actor=request.user, user=user,
                                                  deputy=data.validated_data.get("deputy")))

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        return self._done(services.request_record_handling(request=self.get_object(), actor=request.user,
                                                           handling=_text(request.data, "handling")))

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._done(services.request_answer(request=self.get_object(), actor=request.user,
                                                  reply=_text(request.data, "reply")))

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._done(services.request_resolve(request=self.get_object(), actor=request.user,
                                                   note=_text(request.data, "note")))

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._done(services.request_rate(request=self.get_object(), actor=request.user,
                                                rating=request.data.get("rating"),
                                                comment=_text(request.data, "comment")))


class SuggestionSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requests = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "station", "deputy", "deputy_name", "title", "body", "addressed_to", "status",
                  "status_display", "submitted_on", "response", "answered_on", "requests", "created_at"]


class SuggestionInput(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    addressed_to = serializers.CharField(max_length=120, required=False, allow_blank=True)
    requests = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                     min_length=1, max_length=100)


class SuggestionViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deputies' suggestions of your station; a deputy raises one from requests and tracks it (`advance`)."""

    read_roles = STAFF
    write_roles = (Role.DEPUTY,)
    action_roles = {"advance": (Role.DEPUTY,)}
    serializer_class = SuggestionSerializer

    def get_queryset(self):
        return suggestions_visible_to(self.request.user).prefetch_related("requests")

    def _deputy(self) -> Deputy:
        deputy = Deputy.objects.filter(user=self.request.user).first()
        if deputy is None:
            raise serializers.ValidationError({"deputy": [_("Only a deputy with a login raises suggestions.")]})
        return deputy

    @extend_schema(request=SuggestionInput, responses={201: SuggestionSerializer})
    def create(self, request, *args, **kwargs):
        data = SuggestionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        deputy = self._deputy()
        visible = requests_visible_to(request.user).filter(pk__in=values["requests"])
        if visible.count() != len(set(values["requests"])):
            raise serializers.ValidationError({"requests": [_("Some of these requests are not your station's.")]})
        created = services.suggestion_raise(deputy=deputy, requests=list(visible), title=values["title"],
                                            body=values["body"], addressed_to=values.get("addressed_to", ""),
                                            actor=request.user)
        return Response(SuggestionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        suggestion = self.get_object()
        if not request.user.is_superuser and suggestion.deputy.user_id != request.user.pk:
            raise PermissionDenied
        addressed = _text(request.data, "addressed_to") if "addressed_to" in request.data else None
        updated = services.suggestion_advance(suggestion=suggestion, status=_text(request.data, "status"),
                                              response=_text(request.data, "response"),
                                              addressed_to=addressed)
        return Response(SuggestionSerializer(updated).data)
