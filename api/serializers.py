"""Serializer pieces shared by several resources: bounded ids, occupation references, summaries."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from taxonomy.models import Occupation, Place, Skill, SkillGroup

OCCUPATION_LEVEL_HELP = _("1 major group, 2 middle group, 3 minor group, 4 occupation.")
# Largest value a database id column holds (bigint); bigger numbers are refused before any query.
MAX_ID = 2**63 - 1


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object by id; the id is checked as a positive bigint first, so no query overflows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "example": "4-10-01-06"})
class OccupationRefField(serializers.RelatedField):
    """An occupation given by its code (`4-10-01-06`) or its id."""

    default_error_messages = {
        "does_not_exist": _("No occupation has the code or id “{value}”."),
        "incorrect_type": _("Give an occupation code (like 4-10-01-06) or an id."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Occupation.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        text = str(data).strip()
        if not text or len(text) > 20 or "\x00" in text:
            self.fail("does_not_exist", value=text[:20].replace("\x00", ""))
        queryset = self.get_queryset()
        if text.isdigit():
            if int(text) > MAX_ID:
                self.fail("does_not_exist", value=text)
            found = queryset.filter(pk=int(text)).first()
        else:
            found = queryset.filter(code=text).first()
        if found is None:
            self.fail("does_not_exist", value=text)
        return found

    def to_representation(self, value):
        return value.code


def skill_texts_field(help_text) -> serializers.ListField:
    """Skills in the words people use (「会编藤椅」); the services resolve what they can, keep the rest."""
    return serializers.ListField(child=serializers.CharField(max_length=60), max_length=30, required=False,
                                 help_text=help_text)


def reject_fields(data, fields: Iterable[str], message) -> None:
    """Refuse a request that tries to set fields the caller may not change (instead of ignoring them)."""
    if not isinstance(data, dict):
        return
    present = sorted(field for field in fields if field in data)
    if present:
        raise serializers.ValidationError({field: [message] for field in present})


class PlaceSummarySerializer(serializers.ModelSerializer):
    """A place as other resources show it."""

    class Meta:
        model = Place
        fields = ["id", "code", "name", "level"]


class OccupationSummarySerializer(serializers.ModelSerializer):
    """An occupation as other resources show it."""

    level = serializers.IntegerField(read_only=True, help_text=OCCUPATION_LEVEL_HELP)

    class Meta:
        model = Occupation
        fields = ["id", "code", "name", "level"]


class SkillGroupSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillGroup
        fields = ["id", "code", "name"]


class SkillSummarySerializer(serializers.ModelSerializer):
    """A skill as other resources show it."""

    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "code", "name", "group"]


@extend_schema_serializer(component_name="SkillLevel")
class SkillLevelInputSerializer(serializers.Serializer):
    """A skill with a level 1–5, as residents and courses give it."""

    skill = IdField(queryset=Skill.objects.all())
    level = serializers.IntegerField(min_value=1, max_value=5, default=2)
