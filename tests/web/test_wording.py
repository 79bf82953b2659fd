"""Wording: soft qualities are never a missing skill, distances say 公里, chart months read 2026年1月."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.services import SkillRequirementInput
from stations.charts import month_labels
from taxonomy.models import Skill
from tests import factories as f
from web.templatetags.lianxin import km

pytestmark = pytest.mark.django_db


def test_a_soft_quality_is_never_shown_as_missing(world, resident, clients):
    rattan = Skill.objects.get(code="rattan.weaving")
    tough = Skill.objects.get(code="gen.physical")  # 吃苦耐劳
    posting = f.PostingFactory(employer=world.employer, title="藤编工（吃苦耐劳）", skills=[
        SkillRequirementInput(skill=rattan), SkillRequirementInput(skill=tough)])
    page = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    match = next(m for m in page.context["matches"] if m["job_id"] == posting.pk)
    assert "吃苦耐劳" not in [s["name"] for s in match["missing_skills"]]
    assert "吃苦耐劳" not in match["summary"]
    jobs = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    assert "吃苦耐劳</span>" not in jobs


def test_distances_say_gongli():
    assert km(12.5) == "12.5公里"
    assert km(3) == "3公里"
    assert km(None) == ""


def test_chart_months_read_as_people_say_them():
    assert month_labels(["2025-11", "2025-12", "2026-01", "2026-02"]) == ["11月\n2025年", "12月", "1月\n2026年", "2月"]


def test_the_batch_assignment_page_speaks_plainly(world, clients):
    page = clients["liaison"].get(reverse("web:liaison-assignments")).content.decode()
    assert ("零就业家庭优先" in page, "人岗双方都满意" in page, "最适合他的 50 个岗位" in page) == (True, True, True)
    assert not [jargon for jargon in ("前 k", "k 个", "最优", "稳定（") if jargon in page]
