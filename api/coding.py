"""Free text to the vocabularies: job titles to occupation codes, skill phrases to skills (in bulk)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from taxonomy.coding import code_titles, resolve_skill_texts

from .mixins import ApiViewMixin
from .permissions import EVERY_ROLE

MAX_ITEMS = 1000


class TitlesInputSerializer(serializers.Serializer):
    titles = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True), min_length=1,
                                   max_length=MAX_ITEMS, help_text=_("Job titles as written, up to 1,000."))


class TextsInputSerializer(serializers.Serializer):
    texts = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True), min_length=1,
                                  max_length=MAX_ITEMS, help_text=_("Skill phrases as people say them, up to 1,000."))
    split = serializers.BooleanField(default=False, help_text=_("Split lists like 「会编藤椅、做保洁」 into phrases."))


RESULTS = inline_serializer("CodingResults", {"results": serializers.ListField(child=serializers.DictField())})


class OccupationCodeView(ApiViewMixin, APIView):
    """Code job titles to the national occupational classification (2022), one result per title.

    Each result has the cleaned title, the code and name (a broader group when no occupation is
    confident), a confidence in [0, 1], the method and close alternatives. A title that cannot be
    coded comes back with code null; none is dropped.
    """

    read_roles = EVERY_ROLE
    write_roles = EVERY_ROLE

    @extend_schema(request=TitlesInputSerializer, responses=RESULTS)
    def post(self, request):
        data = TitlesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = []
        for coded in code_titles(data.validated_data["titles"]):
            r = coded.result
            results.append({
                "title": r.title, "cleaned": r.cleaned, "code": r.code, "name": r.name, "level": r.level,
                "confidence": round(r.confidence, 3), "method": r.method,
                "occupation_id": coded.occupation.pk if coded.occupation else None,
                "alternatives": [{"code": c, "name": n, "score": round(s, 3)} for c, n, s in r.alternatives],
            })
        return Response({"results": results})


class SkillResolveView(ApiViewMixin, APIView):
    """Resolve skill phrases (编藤椅, 育儿嫂, 做保洁 …) to skills; unresolved phrases are kept and reported."""

    read_roles = EVERY_ROLE
    write_roles = EVERY_ROLE

    @extend_schema(request=TextsInputSerializer, responses=RESULTS)
    def post(self, request):
        data = TextsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = []
        for resolved in resolve_skill_texts(data.validated_data["texts"], split=data.validated_data["split"]):
            r = resolved.resolution
            skill = resolved.skill
            results.append({
                "text": r.text, "normalised": r.normalised, "resolved": skill is not None,
                "skill": {"id": skill.pk, "code": skill.code, "name": skill.name} if skill else None,
                "confidence": round(r.confidence, 3), "method": r.method,
            })
        return Response({"results": results})
