"""The vocabularies through the API: skill autocomplete (aliases searched on any database),
skill groups, occupations by name, alias or code, and places."""

from __future__ import annotations

import pytest

from taxonomy.models import Occupation, Place, Skill
from tests import factories as f

from .support import API, field_errors, results


@pytest.fixture
def client(api, deputy_user):
    return api.as_user(deputy_user)


def names(response) -> list[str]:
    return [item["name"] for item in results(response)]


def test_skills_rank_exact_then_alias_then_prefix_then_the_rest(client, test_skills):
    assert names(client.get(f"{API}/skills/?q=琉璃编")) == ["琉璃编", "玻珠串", "琉璃编织", "彩色琉璃编"]


def test_skills_match_a_chinese_alias(client, test_skills):
    """Aliases live in a JSON list: SQLite stores them escaped, PostgreSQL as text; both must match."""
    assert names(client.get(f"{API}/skills/?q=珀线")) == ["玻珠串"]
    assert names(client.get(f"{API}/skills/?q=刻木头")) == ["木雕刻"]


def test_every_vocabulary_alias_finds_its_skill(client, db):
    for skill in Skill.objects.exclude(aliases=[])[:20]:
        found = [item["code"] for item in client.get(f"{API}/skills/", {"q": skill.aliases[0], "limit": 200}).json()]
        assert skill.code in found, (skill.aliases[0], found)


def test_skills_match_their_group_name_and_filter_by_group(client, test_skills):
    assert len(names(client.get(f"{API}/skills/?q=琉璃工艺组"))) == 5
    grouped = client.get(f"{API}/skills/?group=zz-test&limit=200").json()
    assert {item["code"] for item in grouped} == {s.code for s in test_skills.values()}
    assert grouped[0]["group"] == {"id": test_skills["exact"].group_id, "code": "zz-test", "name": "琉璃工艺组"}


def test_skills_limit(client, test_skills):
    assert len(client.get(f"{API}/skills/?q=琉璃&limit=2").json()) == 2
    assert len(client.get(f"{API}/skills/").json()) == 20
    for bad in ("0", "201", "x", "-3"):
        assert list(field_errors(client.get(f"{API}/skills/?limit={bad}"))) == ["limit"]


def test_skill_groups(client, test_skills):
    groups = client.get(f"{API}/skill-groups/").json()
    assert {"code": "zz-test", "name": "琉璃工艺组"} in [{k: g[k] for k in ("code", "name")} for g in groups]


def test_occupations_by_name_alias_and_code(client, db):
    housekeeper = Occupation.objects.filter(level=4).exclude(aliases=[]).order_by("code").first()
    by_name = results(client.get(f"{API}/occupations/", {"q": housekeeper.name}))
    assert by_name[0]["code"] == housekeeper.code
    by_alias = results(client.get(f"{API}/occupations/", {"q": housekeeper.aliases[0], "page_size": 200}))
    assert housekeeper.code in [o["code"] for o in by_alias]
    prefix = housekeeper.code.rsplit("-", 1)[0]
    by_code = results(client.get(f"{API}/occupations/", {"q": prefix, "level": 4, "page_size": 200}))
    assert by_code
    assert all(o["code"].startswith(prefix) and o["level"] == 4 for o in by_code)
    assert housekeeper.code in [o["code"] for o in by_code]


def test_occupation_levels_and_detail_by_code(client, db):
    majors = client.get(f"{API}/occupations/?level=1").json()
    assert majors["count"] == Occupation.objects.filter(level=1).count()
    occupation = Occupation.objects.filter(level=4).order_by("code").first()
    detail = client.get(f"{API}/occupations/{occupation.code}/").json()
    assert detail["name"] == occupation.name
    assert detail["parent"] == occupation.parent.code
    assert "definition" in detail
    assert "tasks" in detail
    assert list(field_errors(client.get(f"{API}/occupations/?level=7"))) == ["level"]


def test_places_by_name_level_and_parent(client, db):
    pingxi = f.place(f.PINGXI)
    by_name = results(client.get(f"{API}/places/?q=黄岔"))
    assert by_name[0]["code"] == f.HUANGCHA_SITE
    sites = results(client.get(f"{API}/places/?level=site&parent={pingxi.pk}"))
    assert {p["name"] for p in sites} == {"黄岔安置点", "康华社区"}
    villages = client.get(f"{API}/places/?level=village&parent={pingxi.pk}").json()
    assert villages["count"] == Place.objects.filter(parent=pingxi, level="village").count() > 0
    ranked = names(client.get(f"{API}/places/?q=平溪"))
    assert ranked[0].startswith("平溪")
    assert list(field_errors(client.get(f"{API}/places/?parent=999999"))) == ["parent"]
    assert list(field_errors(client.get(f"{API}/places/?level=planet"))) == ["level"]
