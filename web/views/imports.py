"""Spreadsheet imports, one set of pages for both kinds: the bureau imports job postings, liaison staff
residents (only at their station's places, as through the API; a superuser anywhere).

The file is checked at once (a bad one is a form error and stores nothing), its rows are imported by
a task, and the import's page polls its progress, then shows the report of row errors. Everyone sees
their own imports of the kind (a superuser everyone's); another's is a 404. The URLs pass the kind:
`path("bureau/imports/", imports.imports, imports.POSTINGS, name="bureau-imports")`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from config.roles import Role
from jobs.imports import posting_duplicates_named, postings_import_create, postings_template
from matching.imports import outcome_duplicates_named, outcomes_import_create, outcomes_template
from residents.imports import resident_duplicates_named, residents_import_create, residents_template
from stations.selectors import resident_place_scope, user_place_scope
from taxonomy.imports import AlreadySubmitted, NamedDuplicate, import_job_progress, import_job_start
from taxonomy.models import ImportJob

from ..forms.imports import ImportForm
from ..lists import Column, DateRangeFilterForm, Sort, StaffList
from .common import add_service_errors, bound, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POSTINGS = {"kind": ImportJob.Kind.POSTINGS}
RESIDENTS = {"kind": ImportJob.Kind.RESIDENTS}
OUTCOMES = {"kind": ImportJob.Kind.OUTCOMES}
# The page of a record that a skipped row repeats (postings are imported by the bureau, residents by liaison staff).
RECORD_PAGES = {"posting": "web:bureau-posting", "resident": "web:liaison-resident"}


def _store_postings(request: HttpRequest, **upload) -> ImportJob:
    return postings_import_create(created_by=request.user, **upload)


def _store_residents(request: HttpRequest, **upload) -> ImportJob:
    return residents_import_create(created_by=request.user, allowed_place_ids=user_place_scope(request.user),
                                   **upload)


def _store_outcomes(request: HttpRequest, **upload) -> ImportJob:
    return outcomes_import_create(created_by=request.user, allowed_place_ids=user_place_scope(request.user),
                                  **upload)


@dataclass(frozen=True)
class ImportPages:
    """What the kinds differ in: who imports, the page addresses and words, how a file is stored and run."""

    kind: str
    role: Role
    url_name: str  # the import's page; the list is "<url_name>s", the template "<url_name>-template"
    title: Promise
    heading: Promise
    instructions: Promise
    done_url: str
    done_label: Promise
    template_file: str  # the template's file name in ASCII, for browsers that do not read filename*
    template_file_zh: str
    template: Callable[[], bytes]
    store: Callable[..., ImportJob]
    duplicates_named: Callable[..., list[NamedDuplicate]]

    @property
    def list_url(self) -> str:
        return f"{self.url_name}s"

    @property
    def template_url(self) -> str:
        return f"{self.url_name}-template"


KINDS = {
    ImportJob.Kind.POSTINGS: ImportPages(
        kind=ImportJob.Kind.POSTINGS, role=Role.BUREAU, url_name="web:bureau-import",
        title=_("Import postings"), heading=_("Import postings from a spreadsheet"),
        instructions=_("Fill in the template (one posting a row), then upload it. Employers are matched by "
                       "their credit code; rows with errors are listed with the reason and not imported; a "
                       "posting already there is skipped."),
        done_url="web:bureau-postings", done_label=_("See the postings"),
        template_file="postings-template.xlsx", template_file_zh="岗位信息导入模板.xlsx",
        template=postings_template, store=_store_postings, duplicates_named=posting_duplicates_named,
    ),
    ImportJob.Kind.RESIDENTS: ImportPages(
        kind=ImportJob.Kind.RESIDENTS, role=Role.LIAISON, url_name="web:liaison-import",
        title=_("Import residents"), heading=_("Import residents from a spreadsheet"),
        instructions=_("Fill in the template (one resident a row), then upload it. Households are matched by "
                       "their number and registered the first time they appear; only residents at your "
                       "station's places are accepted. Rows with errors are listed with the reason and not "
                       "imported; a resident whose ID number is already registered is skipped."),
        done_url="web:liaison-search", done_label=_("Find a resident"),
        template_file="residents-template.xlsx", template_file_zh="搬迁群众信息导入模板.xlsx",
        template=residents_template, store=_store_residents, duplicates_named=resident_duplicates_named,
    ),
    ImportJob.Kind.OUTCOMES: ImportPages(
        kind=ImportJob.Kind.OUTCOMES, role=Role.LIAISON, url_name="web:liaison-outcome-import",
        title=_("Import outcome history"), heading=_("Import past recommendations and their outcomes"),
        instructions=_("Fill in the template (one recommendation a row: the resident, the posting, the day and "
                       "what came of it), then upload it. Rows with errors are listed with the reason and not "
                       "imported; a row already imported (same resident, posting and day) is skipped, so a file "
                       "can be uploaded again safely. A hire takes one opening of its posting."),
        done_url="web:dashboard", done_label=_("See the figures"),
        template_file="outcomes-template.xlsx", template_file_zh="推荐就业记录导入模板.xlsx",
        template=outcomes_template, store=_store_outcomes, duplicates_named=outcome_duplicates_named,
    ),
}


def _for_kind(view):
    """Give the view the kind's pages (from the URL's `kind`), for the kind's role only."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, kind: str, **kwargs):
        pages = KINDS[kind]
        return role_required(pages.role)(view)(request, pages, *args, **kwargs)

    return wrapper


def _my_imports(request: HttpRequest, kinds):
    jobs = ImportJob.objects.filter(kind__in=kinds).defer("content").select_related("created_by")
    return jobs if request.user.is_superuser else jobs.filter(created_by=request.user)


def _kinds_of(pages: ImportPages) -> list[str]:
    """The kinds that the page's role imports (liaison staff: residents and outcomes), this page's first."""
    return [pages.kind, *(kind for kind, other in KINDS.items() if other.role == pages.role and kind != pages.kind)]


class ImportFilterForm(DateRangeFilterForm):
    """My imports by file name, kind (when the role imports more than one), status and the day they were made."""

    DAY_FIELD = "created_at__date"

    q = forms.CharField(label=_("File name"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind of import"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *ImportJob.Status.choices])
    field_order = ("q", "kind", "status", "since", "until")

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if len(kinds) > 1:
            self.fields["kind"].choices = [("", _("all")), *((k, ImportJob.Kind(k).label) for k in kinds)]
        else:
            del self.fields["kind"]

    def apply(self, rows):
        rows = super().apply(rows)
        data = self.cleaned_data
        if data["q"].strip():
            rows = rows.filter(file_name__icontains=data["q"].strip())
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        return rows


def _error_rows(job: ImportJob) -> int:
    return len({error.get("row") for error in job.errors})


IMPORTS = StaffList(
    name="imports", title=_("Imports"), filters=ImportFilterForm,
    sorts={"newest": Sort(_("newest first"), ("-created_at", "-id")),
           "oldest": Sort(_("oldest first"), ("created_at", "id")),
           "file": Sort(_("file name"), ("file_name", "-created_at", "-id")),
           "status": Sort(_("status"), ("status", "-created_at", "-id"))},
    columns=(Column(_("file name"), lambda j: j.file_name), Column(_("kind of import"), lambda j: j.get_kind_display()),
             Column(_("status"), lambda j: j.get_status_display()), Column(_("uploaded at"), lambda j: j.created_at),
             Column(_("finished at"), lambda j: j.finished_at), Column(_("rows"), lambda j: j.total_rows),
             Column(_("imported"), lambda j: j.imported), Column(_("duplicates"), lambda j: j.duplicates),
             Column(_("rows with errors"), _error_rows),
             Column(_("uploaded by"), lambda j: j.created_by.get_full_name() or j.created_by.username
                    if j.created_by else "")),
)


def _with_pages(jobs) -> None:
    for job in jobs:
        job.page_url = reverse(KINDS[job.kind].url_name, args=[job.pk])


@require_http_methods(["GET", "POST"])
@_for_kind
def imports(request: HttpRequest, pages: ImportPages):
    """Upload a spreadsheet: the file is checked at once, its rows imported by a task; my imports of the kinds
    my role imports, as a staff list (filtered, sorted, paged, exported)."""
    form = ImportForm(*bound(request, files=True))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = pages.store(request, file_name=upload.name, content=upload.read(),
                              language=translation.get_language() or "",
                              submission_key=form.cleaned_data["submission"])
        except AlreadySubmitted as exc:  # the same form sent twice: show the import the first one started
            return redirect(pages.url_name, pk=exc.job.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            import_job_start(job)
            return redirect(pages.url_name, pk=job.pk)
    kinds = _kinds_of(pages)
    return IMPORTS.respond(request, _my_imports(request, kinds), "web/imports/imports.html",
                           {"form": form, "pages": pages}, filter_kwargs={"kinds": kinds}, prepare=_with_pages)


@require_GET
@_for_kind
def import_detail(request: HttpRequest, pages: ImportPages, pk: int):
    """An import's progress (polled by htmx while it runs), its counts and the report of row errors and of the
    rows skipped as duplicates, each with the record it repeats."""
    job = get_object_or_404(_my_imports(request, [pages.kind]), pk=pk)
    context = {"job": job, "pages": pages, "processed": import_job_progress(job),
               "running": job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING),
               "error_rows": len({error["row"] for error in job.errors})}
    if request.htmx:
        response = render(request, "web/imports/_status.html", context)
        if not context["running"]:
            response["HX-Refresh"] = "true"  # finished: reload once to show the whole report
        return response
    named = pages.duplicates_named(job.duplicate_records, place_scope=resident_place_scope(request.user))
    context["duplicates"] = [{"row": d.row, "label": d.label,
                              "url": reverse(RECORD_PAGES[d.kind], args=[d.id]) if d.kind else ""} for d in named]
    return render(request, "web/imports/import.html", context)


@require_GET
@_for_kind
def import_template(request: HttpRequest, pages: ImportPages):
    """The kind's .xlsx template, with its columns, an example row and the instructions."""
    response = HttpResponse(pages.template(), content_type=XLSX)
    response["Content-Disposition"] = (f"attachment; filename=\"{pages.template_file}\"; "
                                       f"filename*=UTF-8''{quote(pages.template_file_zh)}")
    return response
