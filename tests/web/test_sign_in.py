"""A training session's sign-in sheet: the station's residents enrolled, one signature column a day, printed on
A4 (the browser journey renders it to PDF) or exported as .xlsx; liaison staff only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from residents import pii
from training.services import enrollment_cancel, enrollment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(world, resident):
    enrollment_create(session=world.session, resident=resident)
    cancelled = enrollment_create(session=world.session, resident=world.neighbour)
    enrollment_cancel(enrollment=cancelled)
    enrollment_create(session=world.session, resident=world.outsider)  # another station's
    return world.session


def test_the_sheet_lists_my_enrolled_residents_with_a_column_a_day(enrolled, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-session-sign-in", args=[enrolled.pk]))
    html = response.content.decode()
    days = (enrolled.end_date - enrolled.start_date).days + 1
    assert (response.status_code, html.count('data-testid="sign-in-row"'), html.count('<th class="sign">')) == (
        200, 1, min(days, 6))
    assert ("王小芳" in html, "杨德才" in html, "罗外站" in html) == (True, False, False)
    assert pii.decrypt(resident.phone_encrypted) not in html


def test_the_sheet_exports_as_a_workbook(enrolled, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-session-sign-in", args=[enrolled.pk]), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert (response.status_code, "attachment" in response["Content-Disposition"]) == (200, True)
    assert rows[1][:5] == ("#", "姓名", "安置点", "户号", "手机号")
    assert (rows[2][:2], len(rows)) == ((1, "王小芳"), 3)
    assert pii.decrypt(resident.phone_encrypted) not in repr(rows)


@pytest.mark.parametrize("who", ["bureau", "deputy", "resident"])
def test_only_liaison_staff_open_the_sheet(enrolled, clients, who):
    assert clients[who].get(reverse("web:liaison-session-sign-in", args=[enrolled.pk])).status_code == 403


def test_the_roster_links_to_the_sheet(enrolled, clients):
    html = clients["liaison"].get(reverse("web:liaison-session", args=[enrolled.pk])).content.decode()
    assert reverse("web:liaison-session-sign-in", args=[enrolled.pk]) in html

