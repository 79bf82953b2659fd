"""`manage.py expire_postings` (run by scripts/run.sh, which has no Celery beat) closes expired postings once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobs.models import JobPosting
from jobs.selectors import posting_list
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("expire_postings", *args, stdout=out)
    return out.getvalue()


def test_the_command_closes_an_expired_posting_and_a_second_run_closes_none():
    today = timezone.localdate()
    stale = f.PostingFactory()
    JobPosting.objects.filter(pk=stale.pk).update(valid_until=today - dt.timedelta(days=1))
    last_day, open_ended = f.PostingFactory(valid_until=today), f.PostingFactory(valid_until=None)
    draft = f.PostingFactory(publish=False)
    JobPosting.objects.filter(pk=draft.pk).update(valid_until=today - dt.timedelta(days=1))
    assert stale.pk not in set(posting_list(only_open=True).values_list("pk", flat=True))
    assert run() == "Closed 1 expired posting(s).\n"
    assert run() == "Closed 0 expired posting(s).\n"
    states = dict(JobPosting.objects.values_list("pk", "status"))
    assert [states[p.pk] for p in (stale, last_day, open_ended, draft)] == ["closed", "open", "open", "draft"]


def test_the_command_can_expire_against_another_day():
    posting = f.PostingFactory(valid_until=timezone.localdate() + dt.timedelta(days=3))
    assert run("--today", (timezone.localdate() + dt.timedelta(days=3)).isoformat()).startswith("Closed 0 ")
    assert run("--today", (timezone.localdate() + dt.timedelta(days=4)).isoformat()).startswith("Closed 1 ")
    posting.refresh_from_db()
    assert posting.status == "closed"


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError):
        run("--today", "tomorrow")
