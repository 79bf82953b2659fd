"""A small world for the API tests: residents inside and outside the station, employers, postings,
courses and sessions, plus a few skills and occupations with names no real vocabulary entry has."""

from __future__ import annotations

import pytest

from jobs.models import JobPosting
from taxonomy.models import Occupation, Skill, SkillGroup
from tests import factories as f
from tests.django_fixtures import cache_clear_own

from .support import OTHER_TOWN_PLACE


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test makes several users; a real password hash for each would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """The login throttle counts in the cache; every test starts with none used."""
    cache_clear_own()
    yield
    cache_clear_own()


@pytest.fixture
def test_skills(db):
    """Skills with invented names, so ranking can be checked exactly whatever the vocabulary holds."""
    group = SkillGroup.objects.create(code="zz-test", name="琉璃工艺组")
    make = lambda code, name, aliases=(): Skill.objects.create(  # noqa: E731
        code=code, name=name, group=group, aliases=list(aliases)
    )
    return {
        "exact": make("zz.exact", "琉璃编"),
        "alias": make("zz.alias", "玻珠串", ["琉璃编", "绕珀线子"]),
        "prefix": make("zz.prefix", "琉璃编织"),
        "contains": make("zz.contains", "彩色琉璃编"),
        "other": make("zz.other", "木雕刻", ["刻木头"]),
    }


@pytest.fixture
def occupation(db) -> Occupation:
    """A level-4 occupation of the national classification (loaded by the taxonomy migration)."""
    return Occupation.objects.filter(level=4).order_by("code").first()


@pytest.fixture
def craft_occupation(db) -> Occupation:
    """A level-4 occupation of major group 6 (production workers), given to the fixture postings so the
    title coder does not choose one for them."""
    return Occupation.objects.filter(level=4, code__startswith="6-").order_by("code").first()


@pytest.fixture
def neighbour(room2):
    """A resident at 康华社区: the same station as liaison_user (room 2), not the fixture resident."""
    household = f.HouseholdFactory(site=f.place(f.KANGHUA_SITE), poverty_status="monitored")
    return f.ResidentFactory(household=household, name="李大山", employment_status="employed")


@pytest.fixture
def outsider(other_station):
    """A resident of another town, served only by other_station."""
    household = f.HouseholdFactory(site=f.place(OTHER_TOWN_PLACE))
    return f.ResidentFactory(household=household, name="张外乡")


@pytest.fixture
def employer(db):
    return f.EmployerFactory(name="玉屏藤艺合作社", place=f.place(f.KANGHUA_SITE), is_poverty_workshop=True)


@pytest.fixture
def open_posting(employer, test_skills, craft_occupation) -> JobPosting:
    return f.PostingFactory(employer=employer, title="藤椅编织工", occupation=craft_occupation)


@pytest.fixture
def draft_posting(employer, craft_occupation) -> JobPosting:
    return f.PostingFactory(employer=employer, title="仓库管理员", publish=False, occupation=craft_occupation)


@pytest.fixture
def course(test_skills):
    return f.CourseFactory(code="rattan-basic", name="藤椅加工基础", skills=[(test_skills["exact"], 2)])


@pytest.fixture
def session(course):
    return f.SessionFactory(course=course, place=f.place(f.KANGHUA_SITE), capacity=20)


@pytest.fixture
def world(resident, neighbour, outsider, employer, open_posting, draft_posting, course, session, test_skills,
          occupation):
    """Everything at once, by name, for tests that walk every endpoint."""
    return {
        "resident": resident, "neighbour": neighbour, "outsider": outsider, "household": resident.household,
        "employer": employer, "posting": open_posting, "draft": draft_posting, "course": course,
        "session": session, "skill": test_skills["exact"], "occupation": occupation,
    }

