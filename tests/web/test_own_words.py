"""Words residents typed that the coders did not know ("刮腻子"): kept as typed, listed for liaison staff with how
many profiles keep them, and mapped in one step to an occupation or a skill (profiles and coders follow)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from residents.models import Resident, ResidentSkill
from residents.services import resident_update
from taxonomy.coding import skills_from_texts
from taxonomy.models import Occupation, OccupationCorrection, Skill
from tests import factories as f

from .conftest import OTHER_SITE

pytestmark = pytest.mark.django_db

WORDS = reverse("web:liaison-own-words")


@pytest.fixture
def words(resident, liaison_user, other_station):
    """Two residents of the station want 刮腻子 and one can 打腻子; one of another station wants 刮腻子 too."""
    neighbour = f.ResidentFactory(name="杨德才", household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE)))
    outsider = f.ResidentFactory(name="罗外站", household=f.HouseholdFactory(site=f.place(OTHER_SITE)))
    for person in (resident, neighbour, outsider):
        resident_update(resident=person, data={"unresolved_occupation_texts": ["刮腻子"]})
    resident_update(resident=neighbour, data={"unresolved_skill_texts": ["打腻子"]})
    return {"mine": [resident, neighbour], "outsider": outsider}


def rows(response) -> list[tuple[str, str, str]]:
    import re

    html = response.content.decode()
    return re.findall(r'data-word="([^"]+)" data-kind="(\w+)">.*?<td class="num">(\d+)</td>', html, re.S)


def test_the_words_of_my_station_are_listed_with_how_many_profiles_keep_them(words, clients):
    response = clients["liaison"].get(WORDS)
    assert rows(response) == [("刮腻子", "occupation", "2"), ("打腻子", "skill", "1")]
    assert "装饰装修工" in response.content.decode()  # among the coder's suggestions to pick
    assert "映射对全县各联络站都有效；所计档案数只含本站。" in response.content.decode()  # the counts are the station's


def test_a_word_mapped_to_an_occupation_updates_those_profiles_and_teaches_the_coder(words, clients, liaison_user):
    response = clients["liaison"].post(WORDS, {"word": "刮腻子", "kind": "occupation", "occupation": "6-29-04-01"},
                                       follow=True)
    decorator = Occupation.objects.get(code="6-29-04-01")
    for person in Resident.objects.filter(unresolved_occupation_texts=[]):
        assert decorator in person.wanted_occupations.all()
    assert (Resident.objects.exclude(unresolved_occupation_texts=[]).count(),
            OccupationCorrection.objects.filter(title="刮腻子", occupation=decorator, source="own_words",
                                                created_by=liaison_user).count()) == (0, 1)
    assert "3 份档案已更新" in response.content.decode()
    assert rows(clients["liaison"].get(WORDS)) == [("打腻子", "skill", "1")]


def test_a_word_mapped_to_a_skill_is_recognised_next_time(words, clients):
    decorating = Skill.objects.get(name="装修")
    clients["liaison"].post(WORDS, {"word": "打腻子", "kind": "skill", "skill": str(decorating.pk)})
    neighbour = words["mine"][1]
    neighbour.refresh_from_db()
    link = ResidentSkill.objects.get(resident=neighbour, skill=decorating)
    assert (neighbour.unresolved_skill_texts, link.level, link.source) == ([], 2, "self")
    assert skills_from_texts(["打腻子"]) == ([decorating], [])


@pytest.mark.parametrize("data", [{"word": "刮腻子", "kind": "occupation", "occupation": "9-99-99-99"},
                                  {"word": "刮腻子", "kind": "occupation", "occupation_typed": "火星探险家"},
                                  {"word": "打腻子", "kind": "skill", "skill": "abc"},
                                  {"word": "", "kind": "skill", "skill": "1"},
                                  {"word": "刮腻子", "kind": "payroll"}])
def test_a_mapping_without_its_target_says_why_and_changes_nothing(words, clients, data):
    before = list(Resident.objects.order_by("pk").values_list("unresolved_occupation_texts", "unresolved_skill_texts"))
    response = clients["liaison"].post(WORDS, data, follow=True)
    assert (response.status_code, "未映射" in response.content.decode()) == (200, True)
    assert list(Resident.objects.order_by("pk").values_list("unresolved_occupation_texts",
                                                            "unresolved_skill_texts")) == before
    assert not OccupationCorrection.objects.exists()


@pytest.mark.parametrize("who", ["bureau", "deputy", "resident"])
def test_only_liaison_staff_map_words(words, clients, who):
    assert clients[who].get(WORDS).status_code == 403
    response = clients[who].post(WORDS, {"word": "刮腻子", "kind": "occupation", "occupation": "6-29-04-01"})
    assert (response.status_code, OccupationCorrection.objects.exists()) == (403, False)


def test_the_resident_page_shows_the_words_kept_and_where_to_map_them(words, clients):
    html = clients["liaison"].get(reverse("web:liaison-resident", args=[words["mine"][0].pk])).content.decode()
    assert ('data-testid="own-word">刮腻子' in html, WORDS in html) == (True, True)
