"""All the errors at once: a rejected form names every bad field in one go, and keeps everything typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Employer
from matching.models import Placement, Recommendation
from residents.models import Resident
from taxonomy.identifiers import make_uscc

from .test_bureau_pages import employer_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_employer_form_reports_the_credit_code_and_the_phone_together(world, clients):
    good = make_uscc("520622", 777003)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = clients["bureau"].post(reverse("web:bureau-employer-new"),
                                      employer_data(uscc=bad, contact_phone="12345", name=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"uscc", "contact_phone", "name"} <= set(errors)
    assert not Employer.objects.filter(address="平溪街道").exists()
    html = response.content.decode()
    assert "李主任" in html  # what was typed stays


def test_the_service_reports_the_credit_code_and_the_phone_together(world, clients):
    good = make_uscc("520622", 777004)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data(uscc=bad,
                                                                                        contact_phone="12345"))
    assert {"uscc", "contact_phone"} <= set(response.context["form"].errors)


def test_resident_preferences_report_the_phone_with_the_occupations(world, resident, clients):
    before = Resident.objects.values().get(pk=resident.pk)
    response = clients["resident"].post(reverse("web:resident-preferences"), {
        "work_time": "any", "phone": "110", "wanted_occupations": "火星探险家\n保洁员", "min_monthly_wage": "-5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"phone", "min_monthly_wage"} <= set(errors)
    assert Resident.objects.values().get(pk=resident.pk) == before


def test_a_rejected_hire_keeps_the_start_date_and_the_wage(world, resident, clients):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    recommendation = Recommendation.objects.get(resident=resident, posting=world.posting)
    clients["liaison"].post(reverse("web:liaison-move", args=[recommendation.pk]), {"to_state": "contacted"}, **HTMX)
    far = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    response = clients["liaison"].post(reverse("web:liaison-move", args=[recommendation.pk]),
                                       {"to_state": "hired", "start_date": far, "wage": "3650", "note": "面谈通过"},
                                       **HTMX)
    html = response.content.decode()
    assert 'data-testid="error-start_date"' in html
    assert f'value="{far}"' in html
    assert 'value="3650"' in html
    assert 'value="面谈通过"' in html
    assert not Placement.objects.filter(recommendation=recommendation).exists()
