"""Free text to the vocabularies: job titles to occupation codes, skill phrases to skills (in bulk)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.roles import Role
from taxonomy.coding import code_titles, resolve_skill_texts
from taxonomy.models import Occupation, OccupationCorrection
from taxonomy.services import occupation_correction_record

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
    sure but its group is: method "group"), a calibrated confidence in [0, 1], the method
    (corrected, exact, alias, labelled, model, group, none) and the top-3 alternatives with their
    probabilities. Only a title with nothing left after cleaning comes back with code null; none is
    dropped. A clerk's pick among the alternatives goes to POST /api/v1/occupations/corrections/.
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
                "is_group": r.is_group,
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


class CorrectionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text=_("The job title as written."))
    code = serializers.CharField(max_length=12, help_text=_("The occupation code the clerk chose, e.g. 4-10-01-06."))
    coded_as = serializers.CharField(max_length=12, required=False, allow_blank=True, default="",
                                     help_text=_("The code the coder had given, if any."))

    def validate_code(self, value):
        occupation = Occupation.objects.filter(code=value.strip()).first()
        if occupation is None:
            raise serializers.ValidationError(_("No occupation has the code %(code)s.") % {"code": value})
        return occupation


class OccupationCorrectionView(ApiViewMixin, APIView):
    """Keep a clerk's choice of occupation for a job title (e.g. the second alternative, picked in one
    click): the title coder learns it at its next refit (`manage.py train_coder`)."""

    read_roles = ()
    write_roles = (Role.BUREAU, Role.LIAISON)

    @extend_schema(request=CorrectionInputSerializer, responses=inline_serializer(
        "OccupationCorrection", {"id": serializers.IntegerField(), "title": serializers.CharField(),
                                 "code": serializers.CharField(), "name": serializers.CharField()}))
    def post(self, request):
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = occupation_correction_record(
            title=data.validated_data["title"], occupation=data.validated_data["code"],
            source=OccupationCorrection.Source.ALTERNATIVE, coded_as=data.validated_data["coded_as"],
            created_by=request.user,
        )
        occupation = correction.occupation
        return Response({"id": correction.pk, "title": correction.title, "code": occupation.code,
                         "name": occupation.name}, status=201)
