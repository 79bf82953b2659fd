"""Postings and residents created with free text are resolved on the way in; nothing is dropped."""

import pytest

from jobs import services as job_services
from residents import services as resident_services
from taxonomy.coding import code_titles, resolve_skill_texts
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_posting_title_is_coded_and_skill_texts_resolved():
    posting = f.PostingFactory(title="急招藤椅编织工10名 包吃住 3000-5000元/月", skill_texts=["会编藤椅", "懂火星语"])
    assert posting.occupation.code == "5-05-06-05"
    assert posting.occupation_confidence >= 0.9
    assert [link.skill.name for link in posting.skill_links.select_related("skill")] == ["藤编"]
    assert posting.unresolved_skill_texts == ["懂火星语"]


def test_an_occupation_chosen_by_a_person_is_kept():
    from taxonomy.models import Occupation

    housekeeping = Occupation.objects.get(code="4-10-01-06")
    posting = f.PostingFactory(title="藤椅编织工", occupation=housekeeping)
    assert posting.occupation == housekeeping
    assert posting.occupation_confidence is None


def test_changing_the_title_recodes_the_posting():
    posting = f.PostingFactory(title="住家保姆（限女）")
    assert posting.occupation.code == "4-10-01-06"
    posting = job_services.posting_update(posting=posting, data={"title": "电焊工 日结"})
    assert posting.occupation.name.endswith("焊工")


def test_resident_skill_texts_become_self_reported_skills():
    resident = f.ResidentFactory(skill_texts=["会编藤椅、做保洁，带孩子/开叉车", "会修宇宙飞船"])
    names = sorted(link.skill.name for link in resident.skill_links.select_related("skill"))
    assert names == sorted(["藤编", "保洁", "育婴", "叉车操作"])
    assert all(link.source == "self" and link.level == 2 for link in resident.skill_links.all())
    assert resident.unresolved_skill_texts == ["会修宇宙飞船"]
    resident = resident_services.resident_update(resident=resident, data={"skill_texts": ["砌砖"]})
    assert "砌筑" in {link.skill.name for link in resident.skill_links.select_related("skill")}


def test_bulk_coding_keeps_every_title():
    titles = ["东莞电子厂普工 日结", "【玉屏】住家保姆（限女）", "zzzz", ""]
    coded = code_titles(titles)
    assert [c.result.title for c in coded] == titles
    assert coded[1].occupation.code == "4-10-01-06"
    assert coded[2].occupation is None
    resolved = resolve_skill_texts(["育儿嫂", "qwerty"], split=False)
    assert resolved[0].skill.name == "育婴"
    assert resolved[1].skill is None
    assert resolved[1].resolution.text == "qwerty"


def test_code_occupations_command_writes_csv(tmp_path):
    import csv

    from django.core.management import call_command

    source = tmp_path / "titles.txt"
    source.write_text("急招藤椅编织工10名 包吃住\n\n住家保姆（限女）\n看不懂的东西xyz\n", encoding="utf-8")
    target = tmp_path / "coded.csv"
    call_command("code_occupations", str(source), "-o", str(target), "--no-progress")
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["title"] for r in rows] == ["急招藤椅编织工10名 包吃住", "住家保姆（限女）", "看不懂的东西xyz"]
    assert [r["code"] for r in rows[:2]] == ["5-05-06-05", "4-10-01-06"]
    assert float(rows[0]["confidence"]) >= 0.9
