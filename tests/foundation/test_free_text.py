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
    assert len(rows[1]["alternatives"].split(" | ")) == 3


def test_train_coder_saves_a_coder_that_processes_load(tmp_path, settings):
    """One fit: a new reference version with the same content reuses the coder; a correction makes what it
    learns from differ (so a process refits, or loads what train_coder saved); a newer one makes the file stale."""
    from django.core.management import call_command

    from freshness.models import Domain
    from freshness.services import version_bump
    from taxonomy import coding
    from taxonomy.coding import clear_caches, occupation_coder
    from taxonomy.models import Occupation
    from taxonomy.occupation_coder import OccupationCoder
    from taxonomy.services import occupation_correction_record

    clear_caches()
    coding._fitted.clear()
    first = occupation_coder()
    version_bump(Domain.REFERENCE)
    clear_caches()
    assert occupation_coder().tag == first.tag  # same occupations and corrections …
    assert not coding._fitted  # … so nothing was fitted: the run's saved coder serves both versions

    settings.OCCUPATION_CODER_PATH = tmp_path / "coder.npz"
    occupation_correction_record(title="侗锦织锦工", occupation=Occupation.objects.get(code="6-09-03-19"))
    assert coding._coder_inputs()[2] != first.tag  # what the coder learns from changed: it will be refitted
    call_command("train_coder")
    assert settings.OCCUPATION_CODER_PATH.exists()
    clear_caches()
    coding._fitted.clear()
    coder = occupation_coder()
    assert coder is not first
    assert not coding._fitted  # loaded from the file, not fitted again
    assert (coder.correction_count, coder.code("侗锦织锦工").method) == (1, "corrected")
    occupation_correction_record(title="蜡染画师", occupation=Occupation.objects.get(code="6-09-03-19"))
    saved = OccupationCoder.load(settings.OCCUPATION_CODER_PATH)
    assert saved.tag != coding._coder_inputs()[2]  # a newer correction: the saved file is stale and not used
    clear_caches()


def test_django_start_up_does_not_import_sklearn():
    """Web and worker processes start without scikit-learn (the coders import it only when fitting)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, django\n"
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
        "import config.urls, config.celery  # noqa\n"
        "heavy = sorted(n for n in sys.modules if n.split('.')[0] == 'sklearn')\n"
        "assert not heavy, heavy[:5]\n"
    )
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_the_process_that_teaches_a_skill_word_reads_it_at_once():
    """The coders recheck their version within 30 s in other processes; the writing one sees its change at once."""
    from taxonomy.coding import skill_resolver, skills_from_texts
    from taxonomy.models import Skill
    from taxonomy.services import skill_alias_add

    decorating = Skill.objects.get(name="装修")
    assert skills_from_texts(["嘎啦活"])[0] == []  # the resolver is built, and does not know the word
    skill_resolver()
    skill_alias_add(skill=decorating, alias="嘎啦活")
    assert skills_from_texts(["嘎啦活"]) == ([decorating], [])
