"""The export columns of the staff lists that more than one page shows (see web/lists.py): what a clerk reads on
the page, wages as people write them, no database ids."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from jobs.wages import wage_text

from .lists import Column, Sort

# The sorts both posting lists offer (the liaison's list of open jobs starts with the newest published).
POSTING_SORTS = {
    "wage": Sort(_("highest wage first"), (F("wage_max").desc(nulls_last=True), F("wage_min").desc(nulls_last=True),
                                           "-id")),
    "closing": Sort(_("closing soonest"), (F("valid_until").asc(nulls_last=True), "-id")),
    "openings": Sort(_("most openings"), ("-openings", "-id")),
}

POSTING_COLUMNS = (
    Column(_("Title"), lambda p: p.title),
    Column(_("Employer"), lambda p: p.employer.name),
    Column(_("Occupation"), lambda p: p.occupation.name if p.occupation else ""),
    Column(_("Status"), lambda p: str(p.shown_status_label)),
    Column(_("Wage"), lambda p: wage_text(p.wage_min, p.wage_max, p.wage_unit)),
    Column(_("Openings"), lambda p: p.openings),
    Column(_("Openings left"), lambda p: p.openings_remaining),
    Column(_("Published"), lambda p: p.published_at),
    Column(_("Valid until"), lambda p: p.valid_until),
)

SESSION_COLUMNS = (
    Column(_("Course"), lambda s: s.course.name),
    Column(_("Start date"), lambda s: s.start_date),
    Column(_("End date"), lambda s: s.end_date),
    Column(_("Place"), lambda s: s.place.name),
    Column(_("Venue"), lambda s: s.venue),
    Column(_("Status"), lambda s: s.get_status_display()),
    Column(_("Capacity"), lambda s: s.capacity),
    Column(_("Enrolled"), lambda s: s.enrolled_count),
    Column(_("Waiting list"), lambda s: getattr(s, "waitlisted", 0)),
)
