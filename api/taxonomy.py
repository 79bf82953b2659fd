"""The vocabularies: skills (autocomplete), skill groups, occupations (by code) and places."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from taxonomy import selectors
from taxonomy.models import Occupation, Place, Skill, SkillGroup

from .mixins import ApiViewMixin
from .permissions import EVERY_ROLE
from .serializers import OCCUPATION_LEVEL_HELP, IdField, SkillGroupSummarySerializer

MAX_LIMIT = 200


class SkillSerializer(serializers.ModelSerializer):
    group = SkillGroupSummarySerializer(read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "code", "name", "group", "aliases", "description"]


class SkillGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillGroup
        fields = ["id", "code", "name"]


class OccupationSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True, help_text=OCCUPATION_LEVEL_HELP)
    # A major group (level 1) has no parent: null, as the schema now says.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text=_("Code of the group above; null for a major group."))
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text=_("Other names people use for it."))

    class Meta:
        model = Occupation
        fields = ["id", "code", "level", "name", "aliases", "parent", "is_digital", "is_green"]


class OccupationDetailSerializer(OccupationSerializer):
    class Meta(OccupationSerializer.Meta):
        fields = [*OccupationSerializer.Meta.fields, "definition", "tasks"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "code", "name", "level", "parent", "latitude", "longitude", "is_resettlement_site"]


class SkillQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50,
                              help_text=_("Text to match in name, aliases, code or group name."))
    group = serializers.SlugField(required=False, max_length=40, help_text=_("Code of a skill group."))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=20,
                                     help_text=_("How many skills to return at most."))


class OccupationQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50,
                              help_text=_("Text to match in name or aliases, or a code prefix."))
    level = serializers.IntegerField(required=False, min_value=1, max_value=4, help_text=OCCUPATION_LEVEL_HELP)


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50,
                              help_text=_("Text to match in the name, or a code prefix."))
    level = serializers.ChoiceField(required=False, choices=Place.Level.choices)
    parent = IdField(required=False, queryset=Place.objects.all(), help_text=_("Id of the parent place."))


class TaxonomyViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Read-only for every role; the query parameters are validated by a serializer."""

    read_roles = EVERY_ROLE
    filter_backends: list = []
    query_serializer_class: type[serializers.Serializer]

    def query(self) -> dict:
        serializer = self.query_serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary=_("Skills, for autocomplete"),
        description=_("Skills matching `q` (exact and prefix matches first), at most `limit` of them."),
        parameters=[SkillQuerySerializer],
    ),
    retrieve=extend_schema(summary=_("One skill")),
)
@extend_schema(tags=["taxonomy"])
class SkillViewSet(mixins.RetrieveModelMixin, TaxonomyViewSet):
    queryset = Skill.objects.select_related("group")
    serializer_class = SkillSerializer
    query_serializer_class = SkillQuerySerializer
    pagination_class = None

    def list(self, request):
        params = self.query()
        skills = selectors.skill_search(query=params.get("q", ""), group=params.get("group"), limit=params["limit"])
        return Response(SkillSerializer(skills, many=True).data)


@extend_schema_view(list=extend_schema(summary=_("Skill groups")))
@extend_schema(tags=["taxonomy"])
class SkillGroupViewSet(mixins.ListModelMixin, TaxonomyViewSet):
    serializer_class = SkillGroupSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.skill_group_list()


@extend_schema_view(
    list=extend_schema(summary=_("Occupations (national classification 2022)"), parameters=[OccupationQuerySerializer]),
    retrieve=extend_schema(
        summary=_("One occupation, by code"),
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("For example 4-10-01-06."))],
    ),
)
@extend_schema(tags=["taxonomy"])
class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TaxonomyViewSet):
    queryset = Occupation.objects.select_related("parent")
    serializer_class = OccupationSerializer
    query_serializer_class = OccupationQuerySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z\-]{1,20}"

    def get_serializer_class(self):
        return OccupationDetailSerializer if self.action == "retrieve" else OccupationSerializer

    def get_queryset(self):
        if self.action != "list":
            return super().get_queryset()
        params = self.query()
        level = params.get("level")
        return selectors.occupation_search(query=params.get("q", ""), level=level).select_related("parent")


@extend_schema_view(
    list=extend_schema(summary=_("Places: divisions and resettlement sites"), parameters=[PlaceQuerySerializer]),
    retrieve=extend_schema(summary=_("One place")),
)
@extend_schema(tags=["taxonomy"])
class PlaceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TaxonomyViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    query_serializer_class = PlaceQuerySerializer

    def get_queryset(self):
        if self.action != "list":
            return super().get_queryset()
        params = self.query()
        return selectors.place_search(query=params.get("q", ""), level=params.get("level"), parent=params.get("parent"))
