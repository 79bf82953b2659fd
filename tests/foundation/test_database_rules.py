"""Invariants held by the database itself, and personal data protected at rest."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext

from jobs.models import JobPosting
from residents import services as resident_services
from residents.models import PiiRevealLog, Resident
from tests import factories as f
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model_update", "constraint"),
    [
        ({"filled": F("openings") + 1}, "posting_filled_lte_openings"),
        ({"wage_min": Decimal("5000"), "wage_max": Decimal("3000")}, "posting_wage_min_lte_max"),
        ({"age_min": 50, "age_max": 30}, "posting_age_min_lte_max"),
        ({"wage_unit": "piece", "piece_monthly_estimate": Decimal("-1")}, "posting_piece_estimate_gte_0"),
        ({"wage_unit": "month", "piece_monthly_estimate": Decimal("2800")}, "posting_piece_estimate_only_piece"),
    ],
)
def test_postgres_refuses_broken_postings(model_update, constraint):
    posting = f.PostingFactory()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        JobPosting.objects.filter(pk=posting.pk).update(**model_update)
    assert constraint in str(caught.value)


@pytest.mark.parametrize(
    ("model_update", "constraint"),
    [
        ({"wage_unit": "piece", "piece_monthly_estimate": Decimal("-0.01")}, "posting_piece_estimate_gte_0"),
        ({"wage_unit": "day", "piece_monthly_estimate": Decimal("2800")}, "posting_piece_estimate_only_piece"),
    ],
)
def test_the_database_refuses_a_bad_piece_rate_estimate(model_update, constraint):
    """Enforced by the database itself, on SQLite as on PostgreSQL (an UPDATE skips the services)."""
    posting = f.PostingFactory()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        JobPosting.objects.filter(pk=posting.pk).update(**model_update)
    assert constraint in str(caught.value)


def test_a_piece_rate_posting_keeps_its_monthly_estimate():
    posting = f.PostingFactory(wage_unit="piece", wage_min=Decimal("2"), wage_max=Decimal("2.5"),
                               piece_monthly_estimate=Decimal("2800"))
    posting.refresh_from_db()
    assert (posting.wage_unit, posting.piece_monthly_estimate) == ("piece", Decimal("2800.00"))


@pytest.mark.parametrize(("unit", "wage"), [("month", "3000"), ("day", "150"), ("hour", "20")])
def test_the_service_refuses_a_piece_rate_estimate_on_other_wage_units(unit, wage):
    with pytest.raises(ValidationError) as caught:
        f.PostingFactory(wage_unit=unit, wage_min=Decimal(wage), wage_max=Decimal(wage),
                         piece_monthly_estimate=Decimal("2800"))
    assert list(caught.value.message_dict) == ["piece_monthly_estimate"]
    assert caught.value.message_dict["piece_monthly_estimate"] == [
        gettext("An estimate of monthly earnings is only for piece-rate postings.")
    ]
    assert not JobPosting.objects.exists()


def test_the_service_refuses_a_negative_piece_rate_estimate():
    with pytest.raises(ValidationError) as caught:
        f.PostingFactory(wage_unit="piece", wage_min=Decimal("2"), piece_monthly_estimate=Decimal("-100"))
    assert list(caught.value.message_dict) == ["piece_monthly_estimate"]


def test_changing_a_piece_rate_posting_to_a_monthly_wage_must_drop_the_estimate():
    from jobs.services import posting_update

    posting = f.PostingFactory(wage_unit="piece", wage_min=Decimal("2"), piece_monthly_estimate=Decimal("2800"))
    with pytest.raises(ValidationError) as caught:
        posting_update(posting=posting, data={"wage_unit": "month", "wage_min": Decimal("3000")})
    assert list(caught.value.message_dict) == ["piece_monthly_estimate"]
    posting.refresh_from_db()
    assert (posting.wage_unit, posting.wage_min) == ("piece", Decimal("2.00"))  # nothing half-changed

    posting = posting_update(posting=posting, data={"wage_unit": "month", "wage_min": Decimal("3000"),
                                                    "piece_monthly_estimate": None})
    posting.refresh_from_db()
    assert (posting.wage_unit, posting.piece_monthly_estimate) == ("month", None)


@pytest.mark.postgres
def test_postgres_refuses_negative_openings():
    posting = f.PostingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        JobPosting.objects.filter(pk=posting.pk).update(openings=-1)


@pytest.mark.postgres
def test_postgres_refuses_overfull_session():
    session = f.SessionFactory(capacity=2)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        TrainingSession.objects.filter(pk=session.pk).update(enrolled_count=3)
    assert "session_enrolled_within_capacity" in str(caught.value)


def test_id_number_and_phone_are_not_stored_in_clear():
    id_number = f.fresh_id_number()
    resident = f.ResidentFactory(id_number=id_number, phone="13800001234")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Resident._meta.db_table} WHERE id = %s", [resident.pk])  # noqa: S608
        row = " ".join(str(value) for value in cursor.fetchone())
    assert id_number not in row
    assert id_number[:14] not in row
    assert "13800001234" not in row
    assert resident.id_number_masked == f"{id_number[:4]}{'*' * 10}{id_number[-4:]}"
    assert resident.phone_masked == "138****1234"


def test_same_id_number_cannot_be_registered_twice():
    id_number = f.fresh_id_number()
    f.ResidentFactory(id_number=id_number)
    with pytest.raises(ValidationError) as caught:
        f.ResidentFactory(id_number=id_number.lower())
    assert "id_number" in caught.value.message_dict


def test_reveal_returns_the_number_and_is_logged(admin_user):
    id_number = f.fresh_id_number()
    resident = f.ResidentFactory(id_number=id_number)
    value = resident_services.resident_pii_reveal(
        resident=resident, actor=admin_user, field="id_number", reason="核对身份办理就业登记"
    )
    assert value == id_number
    log = PiiRevealLog.objects.get()
    assert (log.actor, log.resident, log.field) == (admin_user, resident, "id_number")


def test_reveal_without_reason_is_refused_and_not_logged(admin_user):
    resident = f.ResidentFactory()
    with pytest.raises(ValidationError) as caught:
        resident_services.resident_pii_reveal(resident=resident, actor=admin_user, field="phone", reason="  ")
    assert "reason" in caught.value.message_dict
    assert not PiiRevealLog.objects.exists()


def test_birth_date_and_sex_come_from_the_id_number():
    import datetime as dt

    resident = f.ResidentFactory(id_number=f.fresh_id_number(birth=dt.date(1988, 3, 9), female=False))
    assert resident.birth_date == dt.date(1988, 3, 9)
    assert resident.sex == "M"
