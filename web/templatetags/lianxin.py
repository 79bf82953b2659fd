"""Template helpers of the pages: the navigation a user's roles open, and small number formats."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.roles import Role, has_role
from jobs.wages import monthly_estimate_text, wage_text, yuan_text
from matching.profiles import posting_monthly_estimate
from stations.notifications import notifications_for

register = template.Library()
CENT = Decimal("0.01")

SECTIONS = (
    # (roles, url name, label, path prefix marking it active, group: "" for the sections always in sight)
    ((Role.LIAISON,), "web:liaison-search", _("Residents"), "/liaison/residents", ""),
    ((Role.LIAISON,), "web:liaison-postings", _("Jobs"), "/liaison/postings", ""),
    ((Role.LIAISON,), "web:liaison-followups", _("Follow-ups"), "/liaison/followups", ""),
    ((Role.LIAISON, Role.DEPUTY), "web:desk-reception", _("Reception"), "/desk/reception", ""),
    ((Role.LIAISON,), "web:liaison-interests", _("Wants to try"), "/liaison/interests", "matching"),
    ((Role.LIAISON,), "web:liaison-recommendations", _("Recommendations"), "/liaison/recommendations", "matching"),
    ((Role.LIAISON,), "web:liaison-assignments", _("Batch assignment"), "/liaison/assignments", "matching"),
    ((Role.LIAISON,), "web:liaison-sessions", _("Training"), "/liaison/sessions", "matching"),
    ((Role.BUREAU,), "web:bureau-postings", _("Postings"), "/bureau/postings", ""),
    ((Role.BUREAU,), "web:bureau-employers", _("Employers"), "/bureau/employers", ""),
    ((Role.BUREAU,), "web:bureau-courses", _("Courses"), "/bureau/courses", ""),
    ((Role.BUREAU,), "web:bureau-imports", _("Import postings"), "/bureau/imports", ""),
    ((Role.LIAISON, Role.DEPUTY), "web:desk-requests", _("Requests"), "/desk/requests", "station"),
    ((Role.LIAISON, Role.DEPUTY), "web:desk-suggestions", _("Suggestions"), "/desk/suggestions", "station"),
    ((Role.LIAISON, Role.DEPUTY), "web:desk-rota", _("Duty rota"), "/desk/rota", "station"),
    ((Role.LIAISON,), "web:liaison-imports", _("Import residents"), "/liaison/imports", "data"),
    ((Role.LIAISON,), "web:liaison-outcome-imports", _("Import outcomes"), "/liaison/outcome-imports", "data"),
    ((Role.LIAISON,), "web:liaison-own-words", _("Words to map"), "/liaison/own-words", "data"),
    ((Role.BUREAU, Role.LIAISON), "web:places", _("Places"), "/places", "data"),
    ((Role.DEPUTY, Role.LIAISON, Role.BUREAU), "web:dashboard", _("Figures"), "/dashboard", ""),
    ((Role.LIAISON, Role.BUREAU), "web:notifications", _("Notifications"), "/notifications", ""),
)
GROUPS = {"matching": _("Matching & training"), "station": _("Station work"), "data": _("Imports & words")}
# Up to this many sections are shown side by side as they are; past it, the grouped ones fold into their groups.
FLAT_NAVIGATION = 9
RESIDENT_SECTIONS = (
    ("web:resident-home", _("Me"), "/me/"),
    ("web:resident-jobs", _("Jobs"), "/me/jobs"),
    ("web:resident-training", _("Training"), "/me/training"),
    ("web:resident-enrolments", _("My enrolments"), "/me/enrolments"),
    ("web:resident-requests", _("Ask"), "/me/requests"),
)


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    """The sections of the staff navigation this user may open, the current one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    items = []
    for roles, name, label, prefix, group in SECTIONS:
        if has_role(user, *roles):
            url = reverse(name)
            active = path.startswith(prefix) or (name == "web:liaison-search" and path == url)
            item = {"url": url, "label": label, "active": active, "name": name, "group": group}
            if name == "web:notifications":
                item["badge"] = notifications_for(user).total
            items.append(item)
    return _grouped(items) if len(items) > FLAT_NAVIGATION else items


def _grouped(items: list[dict]) -> list[dict]:
    """The sections with the grouped ones folded into one entry per group (a menu), where the first of them
    stood; a group holding the current page is marked active and opens on it."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        key = item["group"]
        if not key:
            entries.append(item)
            continue
        if key not in groups:
            groups[key] = {"group": key, "label": GROUPS[key], "menu": [], "active": False, "name": f"group-{key}"}
            entries.append(groups[key])
        groups[key]["menu"].append(item)
        groups[key]["active"] |= item["active"]
    return entries


@register.simple_tag(takes_context=True)
def resident_nav_items(context) -> list[dict]:
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for name, label, prefix in RESIDENT_SECTIONS:
        url = reverse(name)
        active = path == url if prefix == "/me/" else path.startswith(prefix)
        items.append({"url": url, "label": label, "active": active, "name": name})
    return items


@register.filter
def percent(value) -> str:
    """0.8234 → "82%"."""
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def bar_width(value) -> str:
    """A 0–1 value as a CSS width (clamped)."""
    try:
        return f"{min(max(float(value), 0.0), 1.0) * 100:.0f}%"
    except (TypeError, ValueError):
        return "0%"


@register.filter
def yuan(value) -> str:
    """A CNY amount: whole yuan without decimals (3500.00 → "3,500"), else up to two (2.50 → "2.5")."""
    return yuan_text(value)


@register.filter
def wage(record) -> str:
    """A posting's wage, or a placement's agreed wage, as people write it: 3,200–4,500元/月, 35元/小时."""
    if record is None:
        return ""
    if hasattr(record, "wage_min"):
        return wage_text(record.wage_min, record.wage_max, record.wage_unit)
    return wage_text(getattr(record, "wage", None), None, getattr(record, "wage_unit", ""))


@register.filter
def monthly_estimate(posting) -> str:
    """Beside a wage not paid by the month, the monthly figure matching uses: 约6,000元/月 (empty otherwise)."""
    if posting is None or getattr(posting, "wage_unit", "month") == "month":
        return ""
    return monthly_estimate_text(posting_monthly_estimate(posting))


@register.filter
def per_month(amount) -> str:
    """An amount a month: 3,000元/月."""
    return wage_text(amount, None, "month")


@register.filter
def about_per_month(amount) -> str:
    """An estimated amount a month: 约6,000元/月."""
    return monthly_estimate_text(amount)


@register.filter
def display_name(user) -> str:
    """A user's name as people write it: Chinese family name first (王小芳), else "First Last" or the login."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.get_username()
    if not (first + last).isascii():
        return f"{last}{first}"
    return f"{first} {last}".strip()


@register.filter
def page_numbers(page) -> list[int | None]:
    """The page numbers a pager shows: the first and last two, two each side of this one, None for a gap."""
    return [None if number == page.paginator.ELLIPSIS else number
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=2)]


@register.filter
def km(value) -> str:
    """A distance in the pages' words: 12.5公里 (never a mix of km and 公里)."""
    if value is None or value == "":
        return ""
    number = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return gettext("%(km)s km") % {"km": number}


@register.inclusion_tag("web/desk/_duty_reminder.html", takes_context=True)
def duty_reminder(context):
    """The rota on a start page: "you are on duty on the next market day (date, place)", or who is."""
    from django.utils import timezone

    from receptions.selectors import duty_reminder as reminder_for

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"reminder": reminder_for(user, today=timezone.localdate()) if user is not None else None,
            "today": timezone.localdate()}
