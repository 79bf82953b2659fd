"""The admin, on a small seeded Pingxi: every page opens, and residents are written through their services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from jobs.models import JobPosting
from residents import pii
from residents import services as resident_services
from residents.models import Household, Resident, ResidentSkill
from taxonomy.identifiers import make_id_number
from taxonomy.models import Skill
from training.models import Attendance, Enrollment, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def admin_client(client):
    call_command("seed_demo", households=20, residents=60, employers=6, postings=30, sessions=20, today=TODAY,
                 no_history=True, verbosity=0)
    admin_user = User.objects.get(username="admin")
    resident = Resident.objects.first()
    resident_services.resident_pii_reveal(resident=resident, actor=admin_user, field="id_number", reason="核对身份")
    session = TrainingSession.objects.first()
    enrollment = Enrollment.objects.create(session=session, resident=resident, status="completed", hours_attended=8)
    Attendance.objects.create(enrollment=enrollment, date=session.start_date, hours=8)
    client.force_login(admin_user)
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_changelist_add_and_change_pages(admin_client):
    request = type("Request", (), {"user": User.objects.get(username="admin")})()
    without_rows = []
    for model, model_admin in admin.site._registry.items():
        response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, f"{model._meta.label} changelist: {response.status_code}"
        response = admin_client.get(_url(model, "add"))
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert response.status_code == expected, f"{model._meta.label} add: {response.status_code}"
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            without_rows.append(model._meta.app_label)
            continue
        response = admin_client.get(_url(model, "change", obj.pk))
        assert response.status_code == 200, f"{model._meta.label} change: {response.status_code}"
    # Every model of the apps the demo fills was opened; matching rows come from matching's own work.
    # axes (login failures) and knox (API tokens) fill only as people log in; the outbox only while the broker
    # is down.
    # The demo here has no past (--no-history): no recommendations, receptions or requests.
    assert set(without_rows) <= {"matching", "auth", "axes", "knox", "outbox", "receptions"}


def test_resident_pages_show_only_masked_personal_data(admin_client):
    resident = Resident.objects.exclude(phone_encrypted="").first()
    number, phone = pii.decrypt(resident.id_number_encrypted), pii.decrypt(resident.phone_encrypted)
    html = admin_client.get(_url(Resident, "change", resident.pk)).content.decode()
    assert resident.id_number_masked in html
    for secret in (number, phone, resident.id_number_encrypted, resident.id_number_hash, resident.phone_hash):
        assert secret not in html
    listing = admin_client.get(_url(Resident, "changelist"), {"q": number[-4:]}).content.decode()
    assert resident.name in listing
    assert number not in listing


def _resident_form(household: Household, skill: Skill, **overrides) -> dict:
    data = {
        "household": household.pk, "name": "王小芳", "id_number": "", "phone": "13912345678", "ethnicity": "侗族",
        "education": "junior", "employment_status": "seeking", "care_duties": "children", "work_time": "part",
        "min_monthly_wage": "2500", "max_commute_km": "10", "accepts_home_based": "on", "notes": "",
        "disability_note": "",
        "skill_links-TOTAL_FORMS": "1", "skill_links-INITIAL_FORMS": "0", "skill_links-MIN_NUM_FORMS": "0",
        "skill_links-MAX_NUM_FORMS": "1000", "skill_links-0-skill": skill.pk, "skill_links-0-level": "3",
        "_save": "save",
    }
    data.update(overrides)
    return data


def test_adding_a_resident_goes_through_the_service(admin_client):
    household = Household.objects.filter(number__startswith="520622002S01").first()
    skill = Skill.objects.get(code="rattan.weaving")
    number = make_id_number("520622", dt.date(1990, 3, 4), 124)
    response = admin_client.post(_url(Resident, "add"), _resident_form(household, skill, id_number=number))
    assert response.status_code == 302, response.content.decode()[:2000]
    resident = Resident.objects.get(id_number_hash=pii.lookup_hash(number))
    assert resident.id_number_encrypted != number
    assert pii.decrypt(resident.id_number_encrypted) == number
    assert resident.id_number_masked == "5206**********" + number[-4:]
    assert (resident.birth_date, resident.sex, resident.name_initials) == (dt.date(1990, 3, 4), "F", "wxf")
    assert resident.phone_masked == "139****5678"
    link = ResidentSkill.objects.get(resident=resident)
    assert (link.skill, link.level, link.source) == (skill, 3, "self")

    # Editing keeps the stored ID when the field is left blank, and goes through resident_update.
    change = _resident_form(household, skill, name="王小芳 ", id_number="", phone="", **{
        "skill_links-TOTAL_FORMS": "1", "skill_links-INITIAL_FORMS": "1", "skill_links-0-id": link.pk,
        "skill_links-0-resident": resident.pk, "skill_links-0-level": "4",
    })
    response = admin_client.post(_url(Resident, "change", resident.pk), change)
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.refresh_from_db()
    assert pii.decrypt(resident.id_number_encrypted) == number
    assert resident.phone_masked == "139****5678"
    assert ResidentSkill.objects.get(resident=resident).level == 4


@pytest.mark.parametrize("bad", ["520622199003041241", "52062219900304124", "520622199013041249"])
def test_a_bad_id_number_is_a_form_error_and_nothing_is_created(admin_client, bad):
    household = Household.objects.first()
    before = Resident.objects.count()
    response = admin_client.post(_url(Resident, "add"), _resident_form(household, Skill.objects.first(),
                                                                        id_number=bad))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"]
    assert Resident.objects.count() == before


def test_a_duplicate_id_number_is_a_form_error(admin_client):
    existing = Resident.objects.first()
    number = pii.decrypt(existing.id_number_encrypted)
    response = admin_client.post(_url(Resident, "add"), _resident_form(Household.objects.first(),
                                                                        Skill.objects.first(), id_number=number))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"]


def test_publish_and_close_actions_use_the_services(admin_client):
    draft = JobPosting.objects.filter(status="draft").first() or JobPosting.objects.filter(status="open").first()
    JobPosting.objects.filter(pk=draft.pk).update(status="draft", valid_until=dt.date.today() + dt.timedelta(days=30),
                                                  filled=0)
    response = admin_client.post(_url(JobPosting, "changelist"),
                                 {"action": "publish_postings", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "open"
    assert draft.published_at is not None
    admin_client.post(_url(JobPosting, "changelist"), {"action": "close_postings", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "closed"


def test_employers_and_postings_export(admin_client):
    for model in ("employer", "jobposting"):
        response = admin_client.post(reverse(f"admin:jobs_{model}_export"), {"format": "0", "resource": "0"})
        assert response.status_code == 200
