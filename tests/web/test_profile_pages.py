"""The liaison worker registers residents and edits their profiles, within the station's households."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from residents import pii
from residents.models import Household, PiiRevealLog, Resident, ResidentSkill
from residents.services import SkillLevel, resident_skills_set
from taxonomy.models import Skill
from taxonomy.validators import ID_NUMBER_MESSAGES
from tests import factories as f
from tests.web.conftest import OTHER_SITE

pytestmark = pytest.mark.django_db

NEW = reverse("web:liaison-resident-new")


def edit_url(resident) -> str:
    return reverse("web:liaison-resident-edit", args=[resident.pk])


def registration(**overrides) -> dict:
    data = {
        "household_number": "PX-2026-0901", "site": f.place(f.HUANGCHA_SITE).pk, "poverty_status": "lifted",
        "name": "龙秀英", "id_number": f.fresh_id_number(female=True), "phone": "13912345678",
        "education": "primary", "employment_status": "seeking", "care_duties": "children", "work_time": "part",
        "accepts_home_based": "on", "min_monthly_wage": "2200", "max_commute_km": "8",
        "wanted_occupations": "4-10-01-06\n保洁员", "skills": "藤编 3", "skill_texts": "会做饭、绣花、看风水",
        "notes": "孩子上小学，下午四点后不便",
    }
    data.update(overrides)
    return data


def field_errors(response, name) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def test_registering_a_resident_with_a_new_household(world, clients):
    data = registration()
    response = clients["liaison"].post(NEW, data)
    resident = Resident.objects.get(name="龙秀英")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:liaison-resident", args=[resident.pk])
    household = resident.household
    assert (household.number, household.site.code, household.poverty_status) == (
        "PX-2026-0901", f.HUANGCHA_SITE, "lifted")
    assert pii.decrypt(resident.id_number_encrypted) == data["id_number"]
    assert (resident.sex, resident.phone_masked, resident.care_duties, resident.min_monthly_wage) == (
        "F", "139****5678", "children", Decimal("2200"))
    skills = dict(resident.skill_links.values_list("skill__name", "level"))
    assert skills["藤编"] == 3
    assert skills["家庭烹饪"] == 2
    assert skills["刺绣"] == 2
    assert resident.unresolved_skill_texts == ["看风水"]
    assert {o.code for o in resident.wanted_occupations.all()} == {"4-10-01-06", "4-09-08-01"}
    page = clients["liaison"].get(response["Location"]).content.decode()
    assert "龙秀英" in page
    assert data["id_number"] not in page
    assert "13912345678" not in page


def test_registering_into_an_existing_household_updates_its_poverty_status(world, resident, clients):
    household = resident.household
    response = clients["liaison"].post(NEW, registration(household_number=household.number, site="",
                                                         poverty_status="monitored"))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.poverty_status == "monitored"
    assert household.members.count() == 2


def test_a_new_household_needs_a_site_of_the_station(world, clients):
    before = (Resident.objects.count(), Household.objects.count())
    missing = clients["liaison"].post(NEW, registration(site=""))
    other = clients["liaison"].post(NEW, registration(site=f.place(OTHER_SITE).pk))
    assert missing.status_code == other.status_code == 200
    assert field_errors(missing, "site") == [gettext("Choose the site where this new household lives.")]
    assert field_errors(other, "site")  # not among the station's places
    assert (Resident.objects.count(), Household.objects.count()) == before


def test_another_stations_household_cannot_be_used(world, clients):
    before = Resident.objects.count()
    response = clients["liaison"].post(NEW, registration(household_number=world.outsider.household.number))
    assert field_errors(response, "household_number") == [
        gettext("This household number is registered at another station.")]
    assert Resident.objects.count() == before


def test_a_refused_resident_leaves_no_new_household_behind(world, resident, clients):
    households = Household.objects.count()
    taken = pii.decrypt(resident.id_number_encrypted)
    response = clients["liaison"].post(NEW, registration(id_number=taken))
    assert field_errors(response, "id_number") == [gettext("A resident with this ID number is already registered.")]
    assert Household.objects.count() == households


@pytest.mark.parametrize(("field", "value"), [
    ("id_number", "52062219900101123"), ("id_number", "520622199001011234"), ("id_number", ""),
    ("phone", "12345"), ("min_monthly_wage", "-1"), ("max_commute_km", "abc"), ("education", "phd"),
    ("skills", "飞行驾驶 3"), ("skills", "藤编 9"), ("skills", "藤编：0"), ("name", ""), ("household_number", ""),
    ("site", "999999999"), ("poverty_status", "rich"),
])
def test_garbage_gets_a_field_error_and_changes_nothing(world, clients, field, value):
    before = (Resident.objects.count(), Household.objects.count(), ResidentSkill.objects.count())
    response = clients["liaison"].post(NEW, registration(**{field: value}))
    assert response.status_code == 200
    assert field_errors(response, field)
    assert f'data-testid="field-error-{field}"' in response.content.decode()
    assert (Resident.objects.count(), Household.objects.count(), ResidentSkill.objects.count()) == before


def test_a_skill_level_out_of_range_is_named_not_replaced(world, resident, clients):
    response = clients["liaison"].post(NEW, registration(skills="藤编 9\n刺绣 3\n飞行驾驶"))
    assert field_errors(response, "skills") == [
        gettext("A skill level is a whole number from 1 to 5: %(lines)s") % {"lines": "藤编 9"},
        gettext("Not recognised as a skill: %(names)s") % {"names": "飞行驾驶"},
    ]


def test_id_number_messages_are_chinese(world, clients):
    response = clients["liaison"].post(NEW, registration(id_number="520622199001011234"),
                                       HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert field_errors(response, "id_number") == [str(ID_NUMBER_MESSAGES["check_digit"])]
    assert "校验" in field_errors(response, "id_number")[0]


def test_an_empty_post_is_a_form_error_not_a_500(world, clients):
    response = clients["liaison"].post(NEW, {})
    assert response.status_code == 200
    assert {"household_number", "name", "id_number"} <= set(response.context["form"].errors)


def test_the_edit_form_shows_no_full_id_number_or_phone(world, resident, clients):
    html = clients["liaison"].get(edit_url(resident)).content.decode()
    assert pii.decrypt(resident.id_number_encrypted) not in html
    assert resident.id_number_masked in html


def test_editing_keeps_the_id_number_and_phone_unless_typed(world, resident, clients):
    phone_before, id_before = resident.phone_hash, resident.id_number_hash
    data = registration(household_number=resident.household.number, site="", poverty_status="none",
                        name=resident.name, id_number="", phone="", skills="保洁 4", skill_texts="",
                        employment_status="seeking", wanted_occupations="")
    response = clients["liaison"].post(edit_url(resident), data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.phone_hash, resident.id_number_hash) == (phone_before, id_before)
    assert dict(resident.skill_links.values_list("skill__name", "level")) == {"保洁": 4}


def test_removing_the_phone(world, resident, clients):
    data = registration(household_number=resident.household.number, name=resident.name, id_number="", phone="",
                        remove_phone="on")
    clients["liaison"].post(edit_url(resident), data)
    resident.refresh_from_db()
    assert (resident.phone_encrypted, resident.phone_masked) == ("", "")


def test_editing_never_lowers_a_skill_from_training(world, resident, clients):
    rattan = Skill.objects.get(name="藤编")
    resident_skills_set(resident=resident, skills=[SkillLevel(skill=rattan, level=4)], source=ResidentSkill.Source.TRAINING)
    page = clients["liaison"].get(edit_url(resident)).content.decode()
    assert "藤编 4/5" in page
    data = registration(household_number=resident.household.number, name=resident.name, id_number="", phone="",
                        skills="保洁 2", skill_texts="")
    clients["liaison"].post(edit_url(resident), data)
    links = {link.skill.name: (link.level, link.source) for link in resident.skill_links.select_related("skill")}
    assert links == {"藤编": (4, "training"), "保洁": (2, "self")}


def test_editing_reranks_the_resident(world, resident, clients):
    """Preferences change what is ranked: a resident who stops looking has no matches on the page."""
    data = registration(household_number=resident.household.number, name=resident.name, id_number="", phone="",
                        employment_status="not_seeking")
    clients["liaison"].post(edit_url(resident), data)
    page = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    assert page.context["matches"] == []


def test_moving_to_a_new_household_in_the_station(world, resident, clients):
    old = resident.household
    data = registration(household_number="PX-NEW-77", site=f.place(f.KANGHUA_SITE).pk, name=resident.name,
                        id_number="", phone="")
    assert clients["liaison"].post(edit_url(resident), data).status_code == 302
    resident.refresh_from_db()
    assert (resident.household.number, resident.household.site.code) == ("PX-NEW-77", f.KANGHUA_SITE)
    assert Household.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize("role", ["bureau", "deputy", "resident", "anonymous"])
def test_others_cannot_register_or_edit(world, resident, clients, role):
    before = Resident.objects.count()
    new = clients[role].post(NEW, registration())
    edit = clients[role].post(edit_url(resident), registration(household_number=resident.household.number))
    assert new.status_code in (302, 403)
    assert edit.status_code in (302, 403, 404)
    if role == "anonymous":
        assert new["Location"].startswith(reverse("web:login"))
    assert Resident.objects.count() == before
    resident.refresh_from_db()
    assert resident.name != "龙秀英"


def test_another_stations_liaison_cannot_register_at_our_sites_or_edit_ours(world, resident, clients):
    before = Resident.objects.count()
    new = clients["other_liaison"].post(NEW, registration())
    assert new.status_code == 200
    assert field_errors(new, "site")
    edit = clients["other_liaison"].post(edit_url(resident), registration(household_number=resident.household.number))
    assert edit.status_code == 404
    assert Resident.objects.count() == before


def test_another_stations_resident_is_a_404(world, clients):
    assert clients["liaison"].get(edit_url(world.outsider)).status_code == 404
    assert clients["liaison"].post(edit_url(world.outsider), registration()).status_code == 404


# --- A resident changes what they look for ----------------------------------------------------

PREFERENCES = reverse("web:resident-preferences")


def test_a_resident_changes_what_they_look_for(world, resident, clients):
    phone_before = resident.phone_hash
    data = {"min_monthly_wage": "3100", "max_commute_km": "12.5", "work_time": "full", "accepts_home_based": "on",
            "skill_texts": "会编竹篮、开挖掘机、看风水", "phone": ""}
    response = clients["resident"].post(PREFERENCES, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:resident-home")
    resident.refresh_from_db()
    assert (resident.min_monthly_wage, resident.max_commute_km, resident.work_time) == (
        Decimal("3100"), Decimal("12.5"), "full")
    assert (resident.accepts_home_based, resident.accepts_outside_county, resident.phone_hash) == (
        True, False, phone_before)
    skills = set(resident.skill_links.values_list("skill__name", flat=True))
    assert {"竹编", "藤编"} <= skills  # added in their words; what they had stays
    assert "看风水" in resident.unresolved_skill_texts
    home = clients["resident"].get(reverse("web:resident-home")).content.decode()
    assert "3,100" in home or "3100" in home


def test_a_resident_gives_a_new_phone(world, resident, clients):
    clients["resident"].post(PREFERENCES, {"work_time": "any", "phone": "13800001111"})
    resident.refresh_from_db()
    assert resident.phone_masked == "138****1111"


@pytest.mark.parametrize(("field", "value"), [
    ("min_monthly_wage", "-5"), ("max_commute_km", "far"), ("work_time", "night"), ("phone", "110"),
])
def test_a_residents_garbage_is_refused_and_changes_nothing(world, resident, clients, field, value):
    before = Resident.objects.values().get(pk=resident.pk)
    response = clients["resident"].post(PREFERENCES, {"work_time": "any", field: value})
    assert response.status_code == 200
    assert field_errors(response, field)
    assert Resident.objects.values().get(pk=resident.pk) == before


def test_the_preferences_form_never_shows_the_full_phone(world, resident, clients):
    html = clients["resident"].get(PREFERENCES).content.decode()
    assert pii.decrypt(resident.phone_encrypted) not in html
    assert resident.phone_masked in html


# --- Revealing a full ID number or phone --------------------------------------------------------

def reveal(client, resident, field="phone", reason="电话通知面试", **headers):
    return client.post(reverse("web:liaison-reveal", args=[resident.pk]), {"field": field, "reason": reason},
                       **headers)


@pytest.mark.parametrize("field", ["phone", "id_number"])
def test_a_reveal_shows_the_full_value_once_and_is_logged(world, resident, clients, liaison_user, field):
    response = reveal(clients["liaison"], resident, field, HTTP_HX_REQUEST="true", REMOTE_ADDR="10.1.2.3")
    full = pii.decrypt(resident.phone_encrypted if field == "phone" else resident.id_number_encrypted)
    assert response.status_code == 200
    assert f'data-testid="revealed-{field}">{full}<' in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    log = PiiRevealLog.objects.get()
    assert (log.actor, log.resident, log.field, log.reason, log.ip_address) == (
        liaison_user, resident, field, "电话通知面试", "10.1.2.3")
    page = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert full not in page  # the page itself stays masked


@pytest.mark.parametrize(("field", "reason"), [("phone", ""), ("phone", "   "), ("salary", "看看"), ("", "看看")])
def test_a_reveal_without_a_reason_or_of_another_field_shows_nothing_and_logs_nothing(world, resident, clients,
                                                                                       field, reason):
    response = reveal(clients["liaison"], resident, field, reason)
    assert response.status_code == 200
    assert response.context["value"] is None
    assert pii.decrypt(resident.phone_encrypted) not in response.content.decode()
    assert not PiiRevealLog.objects.exists()


def test_reveals_share_the_apis_hourly_budget(world, resident, clients, monkeypatch):
    from config.http import RevealThrottle

    monkeypatch.setattr(RevealThrottle, "THROTTLE_RATES", {"reveal": "2/hour"})
    assert reveal(clients["liaison"], resident).context["value"]
    api_answer = clients["liaison"].post(f"/api/v1/residents/{resident.pk}/reveal/",
                                         {"field": "phone", "reason": "核对"}, content_type="application/json")
    assert api_answer.status_code == 200
    refused = reveal(clients["liaison"], resident)
    assert refused.status_code == 429
    assert refused.context["value"] is None
    assert reveal(clients["liaison"], resident, HTTP_HX_REQUEST="true").status_code == 200  # shown in place
    assert PiiRevealLog.objects.count() == 2


@pytest.mark.parametrize(("role", "status"), [("other_liaison", 404), ("bureau", 403), ("deputy", 403),
                                              ("resident", 403), ("anonymous", 302)])
def test_others_cannot_reveal(world, resident, clients, role, status):
    assert reveal(clients[role], resident).status_code == status
    assert not PiiRevealLog.objects.exists()


def test_reveal_is_post_only(world, resident, clients):
    assert clients["liaison"].get(reverse("web:liaison-reveal", args=[resident.pk])).status_code == 405


def test_every_wrong_field_shows_at_once(world, clients):
    response = clients["liaison"].post(NEW, registration(id_number="520622199001011234", phone="1391234",
                                                         min_monthly_wage="-3"))
    assert {"id_number", "phone", "min_monthly_wage"} <= set(response.context["form"].errors)


def test_a_resident_says_what_work_they_would_like_in_their_words(world, resident, clients):
    response = clients["resident"].post(PREFERENCES, {"work_time": "any", "wanted_occupations": "保洁员\n家政服务员"})
    assert response.status_code == 302
    assert {o.code for o in resident.wanted_occupations.all()} == {"4-09-08-01", "4-10-01-06"}
    form_html = clients["resident"].get(PREFERENCES).content.decode()
    assert "保洁员" in form_html
    assert "4-09-08-01" not in form_html
    # A wish the coder does not know is kept as typed, for staff to map: never refused.
    kept = clients["resident"].post(PREFERENCES, {"work_time": "any", "wanted_occupations": "保洁员\n刮腻子"})
    resident.refresh_from_db()
    assert (kept.status_code, resident.unresolved_occupation_texts) == (302, ["刮腻子"])
    assert {o.code for o in resident.wanted_occupations.all()} == {"4-09-08-01"}
    assert "刮腻子" in clients["resident"].get(PREFERENCES).content.decode()


def test_the_residents_job_list_names_the_next_market_day(world, resident, clients):
    from training.market_days import next_market_days

    html = clients["resident"].get(reverse("web:resident-jobs"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    day = next_market_days(timezone.localdate(), 1)[0].date
    assert f"{day.month:02d}月{day.day}日" in html or f"{day.month}月{day.day}日" in html


def test_a_resident_reads_the_reasons_about_themself_without_staff_notes(world, resident, clients):
    from matching.engine import MatchNote
    from matching.explain import RESIDENT_NOTE_TEXT

    assert set(RESIDENT_NOTE_TEXT) == set(MatchNote)  # a new note needs a decision for residents
    response = clients["resident"].get(reverse("web:resident-jobs"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    codes = {n["code"] for m in response.context["matches"] for n in m["notes"]}
    assert response.context["matches"]
    assert not {c for c in codes if c.startswith("priority_")}
    html = response.content.decode()
    assert "优先：" not in html
    assert "该居民" not in html
