"""Batch assignment for liaison staff: propose who of the station's job seekers goes to which opening (all at
once, respecting the openings), review the proposal, and turn the pairs they agree with into recommendations.

Nothing is hired here. A run covers the worker's own station; its page is the worker's own (a superuser's,
everyone's). Every write goes through `matching.services`; the run itself is computed by a task.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import Role
from config.tasks import fire
from matching import services
from matching.models import AssignmentAcceptance, AssignmentRun, Recommendation, RecommendationBatch
from matching.selectors import recommendation_batch_list
from residents.models import Resident

from ..forms.assignments import AcceptForm, AssignmentRunForm, BatchWithdrawForm
from ..selectors import assignment_pairs, batch_recommendations
from .common import add_service_errors, bound, paginate, role_required, visible_residents

liaison_only = role_required(Role.LIAISON)
RUNS_SHOWN = 20
PAIRS_PER_PAGE = 50
CONFIRM_LISTED = 10
SKIPPED_SHOWN = 20


def _my_runs(request):
    runs = AssignmentRun.objects.defer("proposal", "resident_ids")
    return runs if request.user.is_superuser else runs.filter(created_by=request.user)


@require_http_methods(["GET", "POST"])
@liaison_only
def runs(request):
    """Start a run over the station's job seekers; the worker's recent runs."""
    form = AssignmentRunForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        seekers = visible_residents(request).filter(employment_status=Resident.EmploymentStatus.SEEKING)
        run = services.assignment_run_create(created_by=request.user, resident_ids=seekers.values_list("id", flat=True),
                                             **form.cleaned_data)
        run_id = run.pk
        fire("matching.tasks.assignment_run", run_id)
        return redirect("web:liaison-assignment", pk=run_id)
    return render(request, "web/assignments/runs.html", {"form": form, "runs": _my_runs(request)[:RUNS_SHOWN]})


def _acceptance_context(run: AssignmentRun) -> dict:
    """The run's latest acceptance: its progress while it runs, then what was and was not recommended."""
    acceptance = run.acceptances.order_by("-created_at", "-id").first()
    if acceptance is None:
        return {"acceptance": None, "accepting": False}
    names = dict(Resident.objects.filter(pk__in=[s["resident"] for s in acceptance.skipped[:SKIPPED_SHOWN]])
                 .values_list("id", "name"))
    return {"acceptance": acceptance,
            "accepting": acceptance.status in (AssignmentAcceptance.Status.PENDING, AssignmentAcceptance.Status.RUNNING),
            "skipped_shown": [(names.get(s["resident"], s["resident"]), s["reason"])
                              for s in acceptance.skipped[:SKIPPED_SHOWN]],
            "skipped_more": max(len(acceptance.skipped) - SKIPPED_SHOWN, 0)}


def _run_context(request, run: AssignmentRun, form: AcceptForm | None = None) -> dict:
    running = run.status in (AssignmentRun.Status.PENDING, AssignmentRun.Status.RUNNING)
    context = {"run": run, "running": running, "summary": run.summary,
               "batches": recommendation_batch_list(request.user, run=run), **_acceptance_context(run)}
    if run.status == AssignmentRun.Status.FINISHED:
        pairs = assignment_pairs(run, visible_residents(request))
        page = paginate(request, pairs, PAIRS_PER_PAGE)
        context.update(page=page, pairs_total=len(pairs), open_pairs=sum(1 for p in pairs if not p.recommended),
                       form=form)
    return context


@require_GET
@liaison_only
def run_detail(request, pk: int):
    """A run: its progress while it computes (htmx polls), then the summary and the proposed pairs."""
    run = get_object_or_404(_my_runs(request).defer(None), pk=pk)
    context = _run_context(request, run)
    if request.htmx and request.GET.get("poll"):
        response = render(request, "web/assignments/_status.html", context)
        if not (context["running"] or context["accepting"]):
            response["HX-Refresh"] = "true"  # finished: reload once to show the proposal (or the pairs recommended)
        return response
    return render(request, "web/assignments/run.html", context)


@require_POST
@liaison_only
def accept(request, pk: int):
    """Recommend the ticked (or all) proposed pairs of the worker's residents; each pair is checked again."""
    run = get_object_or_404(_my_runs(request).defer(None), pk=pk)
    visible = set(visible_residents(request).filter(pk__in=run.resident_ids).values_list("id", flat=True))
    form = AcceptForm(request.POST, resident_ids=sorted(visible))
    if run.status != AssignmentRun.Status.FINISHED:
        form.add_error(None, _("The run has not finished."))
    if not form.is_valid():
        return render(request, "web/assignments/run.html", _run_context(request, run, form))
    wanted = visible if form.cleaned_data["everything"] else set(form.cleaned_data["residents"]) & visible
    if request.POST.get("confirmed") != "yes":
        # A bulk write: say how many recommendations it makes and what follows, and ask once more.
        pairs = [p for p in assignment_pairs(run, visible_residents(request))
                 if p.resident.pk in wanted and not p.recommended]
        return render(request, "web/assignments/confirm.html", {
            "run": run, "pairs": pairs[:CONFIRM_LISTED], "count": len(pairs), "more": max(0, len(pairs) - CONFIRM_LISTED),
            "residents": sorted(wanted) if not form.cleaned_data["everything"] else [],
            "everything": form.cleaned_data["everything"], "page": request.POST.get("page", ""),
            "hours": settings.BATCH_WITHDRAW_HOURS,
        })
    try:
        acceptance = services.assignment_acceptance_create(run=run, actor=request.user, resident_ids=wanted)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(request, "web/assignments/run.html", _run_context(request, run, form))
    messages.info(request, ngettext("%(n)s pair is being recommended; this page shows when it is done.",
                                    "%(n)s pairs are being recommended; this page shows when they are done.",
                                    acceptance.total) % {"n": acceptance.total})
    target = reverse("web:liaison-assignment", args=[run.pk])
    page = request.POST.get("page", "")
    return redirect(f"{target}?page={page}" if page.isdigit() else target)


def _my_batch(request, pk: int) -> RecommendationBatch:
    batches = RecommendationBatch.objects.select_related("run", "created_by", "withdrawn_by")
    return get_object_or_404(batches if request.user.is_superuser else batches.filter(created_by=request.user), pk=pk)


def _batch_context(request, batch: RecommendationBatch, form: BatchWithdrawForm | None = None) -> dict:
    recommendations = batch_recommendations(batch)
    counts = Counter(r.state for r in recommendations)
    until = services.batch_withdrawable_until(batch)
    withdrawable = batch.withdrawn_at is None and timezone.now() <= until
    return {
        "batch": batch, "page": paginate(request, recommendations, PAIRS_PER_PAGE), "total": len(recommendations),
        "open_count": counts.get(Recommendation.State.RECOMMENDED, 0),
        "worked_count": len(recommendations) - counts.get(Recommendation.State.RECOMMENDED, 0)
        - counts.get(Recommendation.State.WITHDRAWN, 0),
        "withdrawn_count": counts.get(Recommendation.State.WITHDRAWN, 0),
        "until": until, "withdrawable": withdrawable, "form": form or BatchWithdrawForm(),
    }


@require_GET
@liaison_only
def batch_detail(request, pk: int):
    """A bulk action's recommendations, what became of them, and (within a day) withdrawing them together."""
    batch = _my_batch(request, pk)
    return render(request, "web/assignments/batch.html", _batch_context(request, batch))


@require_POST
@liaison_only
def batch_withdraw(request, pk: int):
    """Withdraw a batch: first a page that says how many recommendations go, then the withdrawal itself."""
    batch = _my_batch(request, pk)
    form = BatchWithdrawForm(request.POST)
    context = _batch_context(request, batch, form)
    if not form.is_valid():
        return render(request, "web/assignments/batch.html", context, status=400)
    if request.POST.get("confirmed") != "yes":
        return render(request, "web/assignments/batch_confirm.html", context)
    try:
        outcome = services.recommendation_batch_withdraw(batch=batch, actor=request.user,
                                                         reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(request, "web/assignments/batch.html", context, status=400)
    withdrawn, kept = len(outcome["withdrawn"]), len(outcome["kept"])
    messages.success(request, ngettext("%(n)s recommendation withdrawn.", "%(n)s recommendations withdrawn.",
                                       withdrawn) % {"n": withdrawn})
    if kept:
        messages.info(request, ngettext(
            "%(n)s recommendation was kept: someone had already worked on it.",
            "%(n)s recommendations were kept: someone had already worked on them.", kept) % {"n": kept})
    return redirect("web:liaison-batch", pk=batch.pk)
