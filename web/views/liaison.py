"""The liaison worker's pages: find a resident, read their matches and recommend them, follow up hires.

Every resident comes through `residents_visible_to(user)`: another station's resident is a 404.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import Role
from jobs.models import JobPosting
from jobs.selectors import posting_list
from matching.models import Placement, Recommendation, RecommendationEvent
from matching.selectors import (
    candidates_for_posting,
    explain_match,
    explanation_as_dict,
    matches_for_resident,
    pair_detail,
    recommendation_list,
)
from matching.services import recommendation_create, recommendation_move
from matching.training_advice import course_advice_for_resident
from residents.models import Household, PovertyStatus, Resident
from residents.selectors import household_list, resident_list, resident_search
from residents.services import resident_age
from stations.selectors import resident_place_scope

from ..forms.liaison import (
    AGE_BANDS,
    FollowUpCallForm,
    PostingSearchForm,
    RecommendationMoveForm,
    RecommendForm,
    ResidentFilterForm,
    ResidentSearchForm,
)
from ..list_columns import POSTING_COLUMNS, POSTING_SORTS
from ..lists import Column, Sort, StaffList
from ..selectors import (
    enrollments_of,
    followup_history,
    recommended_posting_ids,
    recommended_resident_ids,
    resident_filter_choices,
    residents_filtered,
)
from .common import (
    add_service_errors,
    error_messages,
    role_required,
    safe_next,
    visible_residents,
    with_trigger,
)

MATCH_LIMIT = 10
CANDIDATE_LIMIT = 30
ADVICE_LIMIT = 5
CHANGED = "recommendations-changed"

liaison_only = role_required(Role.LIAISON)


def _htmx_aware(response):
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Search ----------------------------------------------------------------------------------

IDENTIFIER_LIKE = re.compile(r"\d{6}")


RESIDENTS = StaffList(
    name="residents", title=gettext_lazy("Residents"),
    sorts={"household": Sort(gettext_lazy("household number"), ("household__number", "name", "id")),
           "name": Sort(gettext_lazy("name"), ("name", "id")),
           "site": Sort(gettext_lazy("site"), ("household__site__name", "household__number", "name", "id")),
           "newest": Sort(gettext_lazy("newest registered first"), ("-created_at", "-id"))},
    columns=(Column(gettext_lazy("name"), lambda r: r.name),
             Column(gettext_lazy("ID number"), lambda r: r.id_number_masked),
             Column(gettext_lazy("phone"), lambda r: r.phone_masked),
             Column(gettext_lazy("sex"), lambda r: r.get_sex_display()),
             Column(gettext_lazy("household number"), lambda r: r.household.number),
             Column(gettext_lazy("site"), lambda r: r.household.site.name),
             Column(gettext_lazy("household type"), lambda r: r.household.get_poverty_status_display()),
             Column(gettext_lazy("work status"), lambda r: r.get_employment_status_display()),
             Column(gettext_lazy("skills"), lambda r: "、".join(link.skill.name for link in r.skill_links.all()))),
)


@require_http_methods(["GET", "POST"])
@liaison_only
def resident_search_page(request):
    """The liaison worker's start page: a search box (live, htmx) and filters, the matching residents a page at a
    time, sorted and exported like every staff list (web/lists.py). With nothing asked yet it lists the members
    of the station's households with nobody in work.

    The box posts: a full ID number or phone is matched only when it came in a POST body, never from a URL
    (where access logs and browser history would keep it); the pager's and the export's links leave such a
    term out, and the export button posts the form (so an export of such a search keeps it out of the URL too)."""
    data = request.POST if request.method == "POST" else request.GET
    form = ResidentSearchForm(data or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    visible = visible_residents(request)
    sites, skills = resident_filter_choices(visible)
    filters = ResidentFilterForm(data or None, sites=sites, skills=skills)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    # The form sends "shown" with every submit: only the bare page (nothing asked yet) gets the default list.
    asked = "shown" in data or bool(text) or any(chosen.get(name) for name in filters.fields)
    default = not asked  # the useful start: the zero-employment households of my station
    rows = residents_filtered(
        resident_list(visible=visible), today=timezone.localdate(), status=chosen.get("status", ""),
        site=chosen.get("site"), poverty=chosen.get("poverty", ""), skill=chosen.get("skill"),
        age=AGE_BANDS.get(chosen.get("age") or ""), zero=default or bool(chosen.get("zero")),
    )
    terms = text.split()[:5]
    if terms:
        rows = rows.filter(resident_search(terms, identifiers=request.method == "POST"))
    keep_out = ("csrfmiddlewaretoken", "q") if IDENTIFIER_LIKE.search(text) else ("csrfmiddlewaretoken",)
    template = "web/liaison/_search_results.html" if request.htmx else "web/liaison/search.html"
    context = {"form": form, "filters": filters, "q": text, "default": default}
    response = RESIDENTS.arrange(request, rows, template, context, params=data, keep_out=keep_out,
                                 prepare=lambda shown: context.update(results=list(shown)))
    response = _htmx_aware(response)
    response["Cache-Control"] = "no-store"
    return response


# --- A resident ------------------------------------------------------------------------------

def _visible_resident(request, pk: int) -> Resident:
    return get_object_or_404(resident_list(visible=visible_residents(request)), pk=pk)


def _history(request, resident: Resident, failed: dict[int, RecommendationMoveForm]) -> list[Recommendation]:
    """The resident's recommendations, newest first, each with its moves, the states it may move to,
    and the move form that just failed (to show its errors)."""
    events = Prefetch("events", queryset=RecommendationEvent.objects.select_related("actor").order_by("at", "id"),
                      to_attr="moves")
    rows = list(recommendation_list(residents=visible_residents(request).filter(pk=resident.pk)).prefetch_related(events))
    for row in rows:
        allowed = Recommendation.TRANSITIONS[Recommendation.State(row.state)]
        row.next_states = [state for state in Recommendation.State if state in allowed]
        row.can_hire = Recommendation.State.HIRED in allowed
        row.failed_form = failed.get(row.pk)
    return rows


def _history_context(request, resident: Resident, *, failed: dict | None = None) -> dict:
    return {
        "resident": resident,
        "history": _history(request, resident, failed or {}),
        "today": timezone.localdate(),
        "hired": Recommendation.State.HIRED,
    }


@require_GET
@liaison_only
def resident_detail(request, pk: int):
    """Profile, household, skills, ranked matches with reasons, course advice and recommendation history."""
    resident = _visible_resident(request, pk)
    return render(request, "web/liaison/resident.html", _resident_context(request, resident))


def _with_call_forms(placements) -> list[Placement]:
    """Active placements, each with an empty form for an unscheduled follow-up call."""
    placements = list(placements)
    for placement in placements:
        placement.call_form = FollowUpCallForm(prefix=f"p{placement.pk}")
    return placements


def _resident_context(request, resident: Resident, **history_kwargs) -> dict:
    # The resident is visible, so their household is: no second scope check needed.
    household = household_list(visible=Household.objects.filter(pk=resident.household_id)).first()
    members = visible_residents(request).filter(household_id=resident.household_id).exclude(pk=resident.pk)
    seeking = resident.employment_status == Resident.EmploymentStatus.SEEKING
    matches = matches_for_resident(resident, limit=MATCH_LIMIT) if seeking else []
    recommended = recommended_posting_ids(resident)
    for match in matches:
        match["recommended"] = match["job_id"] in recommended
    return {
        **_history_context(request, resident, **history_kwargs),
        "household": household,
        "members": list(members.order_by("id")),
        "age": resident_age(resident, timezone.localdate()),
        "seeking": seeking,
        "matches": matches,
        "placements": _with_call_forms(resident.placements.filter(status=Placement.Status.ACTIVE)
                                       .select_related("posting__employer").order_by("-start_date")),
        "advice": course_advice_for_resident(resident)[:ADVICE_LIMIT],
        "enrolments": enrollments_of(resident),
        "followup_history": followup_history(resident),
        "page_path": request.path,
    }


@require_GET
@liaison_only
def pair(request, pk: int, posting_pk: int):
    """One resident and one posting, eligible or not: the score, how it is made, and what rules it out."""
    resident = _visible_resident(request, pk)
    posting = get_object_or_404(posting_list(), pk=posting_pk)
    return render(request, "web/liaison/pair.html", {"resident": resident, "pair": pair_detail(resident, posting)})


@require_GET
@liaison_only
def pair_lookup(request, pk: int):
    """The resident page's "why not another job?" box: to the pair page of the posting number typed."""
    resident = _visible_resident(request, pk)
    number = (request.GET.get("posting") or "").strip()
    if not number.isdigit() or not posting_list().filter(pk=int(number)).exists():
        messages.error(request, _("No posting has the number %(number)s.") % {"number": number[:12]})
        return redirect("web:liaison-resident", resident.pk)
    return redirect("web:liaison-pair", resident.pk, int(number))


@require_GET
@liaison_only
def resident_history(request, pk: int):
    """The recommendation history alone (htmx refreshes it after a recommendation)."""
    resident = _visible_resident(request, pk)
    return render(request, "web/liaison/_history.html", _history_context(request, resident))


@require_POST
@liaison_only
def recommend(request, resident_pk: int, posting_pk: int):
    """Recommend a resident to a posting with the match as the engine scores it now."""
    resident = _visible_resident(request, resident_pk)
    posting = get_object_or_404(JobPosting, pk=posting_pk)
    form = RecommendForm(request.POST)
    errors: list[str] = []
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    else:
        outcome = explain_match(resident, posting)
        explanation = explanation_as_dict(outcome)
        if explanation.get("excluded"):
            errors = [reason["text"] for reason in explanation["reasons"]]
        else:
            try:
                recommendation_create(resident=resident, posting=posting, recommended_by=request.user,
                                      score=outcome.score, explanation=explanation, note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors = error_messages(exc)
    if request.htmx:
        context = {"resident_id": resident.pk, "posting_id": posting.pk, "recommended": not errors, "errors": errors,
                   "next": safe_next(request, "")}
        response = render(request, "web/liaison/_recommend.html", context)
        return with_trigger(response, [CHANGED]) if not errors else response
    fallback = reverse("web:liaison-resident", args=[resident.pk])
    if errors:
        for error in errors:
            messages.error(request, error)
    return redirect(safe_next(request, fallback))


@require_POST
@liaison_only
def recommendation_move_view(request, pk: int):
    """Move a recommendation to one of its legal next states (a hire records the placement)."""
    visible = visible_residents(request)
    recommendation = get_object_or_404(Recommendation.objects.filter(resident__in=visible), pk=pk)
    resident = _visible_resident(request, recommendation.resident_id)
    form = RecommendationMoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recommendation_move(recommendation=recommendation, to_state=data["to_state"], actor=request.user,
                                note=data["note"], start_date=data["start_date"], wage=data["wage"])
        except ValidationError as exc:
            add_service_errors(form, exc, {"state": "to_state", "posting": "__all__", "resident": "__all__"})
    if form.errors:
        kwargs = {"failed": {recommendation.pk: form}}
        if request.htmx:
            return render(request, "web/liaison/_history.html", _history_context(request, resident, **kwargs))
        return render(request, "web/liaison/resident.html", _resident_context(request, resident, **kwargs))
    if request.htmx:
        return render(request, "web/liaison/_history.html", _history_context(request, resident))
    return redirect("web:liaison-resident", pk=resident.pk)


# --- Postings --------------------------------------------------------------------------------

OPEN_POSTINGS = StaffList(
    name="open-postings", title=gettext_lazy("Open jobs"), filters=PostingSearchForm, columns=POSTING_COLUMNS,
    sorts={"newest": Sort(gettext_lazy("newest first"), ("-published_at", "-id")), **POSTING_SORTS},
)


@require_GET
@liaison_only
def posting_search_page(request):
    """Open postings, searchable by title or employer, each opening into its ranked candidates."""
    return OPEN_POSTINGS.respond(request, posting_list(only_open=True), "web/liaison/postings.html")


@require_GET
@liaison_only
def posting_detail(request, pk: int):
    """A posting with the best candidates among the worker's own station's residents."""
    posting = get_object_or_404(posting_list(), pk=pk)
    visible = visible_residents(request)
    candidates = []
    if posting.status == JobPosting.Status.OPEN and not posting.is_expired:
        candidates = candidates_for_posting(posting, site_ids=resident_place_scope(request.user),
                                            limit=CANDIDATE_LIMIT)
    recommended = recommended_resident_ids(posting, visible)
    for candidate in candidates:
        candidate["recommended"] = candidate["resident_id"] in recommended
        candidate["poverty_label"] = PovertyStatus(candidate["resident"]["poverty_status"]).label
    return render(request, "web/liaison/posting.html",
                  {"posting": posting, "candidates": candidates, "page_path": request.path})


