"""Staff lists that scale, one mechanism for all: filters, sorting, numbered pages, a count and an xlsx export.

A page declares a `StaffList` (its sorts, its export columns, optionally a filter form) and calls `respond`;
its template includes `web/partials/list_bar.html` above its table and `web/partials/pager.html` below it.
Bad sorting or paging values (or a bad filter) are shown as messages in Chinese with a 400, never a 500: the
page then shows the list as it starts. The export has the filtered rows in the chosen order; its columns are
the list's own, so ID numbers only ever appear masked and no database id goes out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taxonomy.exports import xlsx_table

logger = logging.getLogger("lianxin.exports")

PAGE_SIZE = 25
MAX_PAGE = 100_000
# An export is a working list, not a dump: beyond this many rows, narrow the filters.
MAX_EXPORT_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_PARAMS = ("sort", "page", "export")


@dataclass(frozen=True)
class Sort:
    label: Any
    ordering: tuple


@dataclass(frozen=True)
class Column:
    """One column of the export: its heading and how to read it from a row (masked where personal)."""

    label: Any
    value: Callable[[Any], Any]


class ListFilterForm(forms.Form):
    """A list's filters: fields, and `apply` narrowing the rows by the cleaned values."""

    def apply(self, rows: QuerySet) -> QuerySet:
        return rows


class DateRangeFilterForm(ListFilterForm):
    """From and to (both optional, whole days) on the rows' `DAY_FIELD` (a date, or a moment's `__date`); the
    other filters' `apply` chains through `super()`."""

    DAY_FIELD = ""

    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the range comes before its start."))
        return data

    def apply(self, rows: QuerySet) -> QuerySet:
        rows = super().apply(rows)
        if self.cleaned_data.get("since"):
            rows = rows.filter(**{f"{self.DAY_FIELD}__gte": self.cleaned_data["since"]})
        if self.cleaned_data.get("until"):
            rows = rows.filter(**{f"{self.DAY_FIELD}__lte": self.cleaned_data["until"]})
        return rows


class ListControlsForm(forms.Form):
    """What every list takes besides its filters: the sort, the page, and whether to export."""

    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE,
                              error_messages={"invalid": _("The page must be a whole number from 1.")})
    export = forms.ChoiceField(label=_("Export"), required=False, choices=[("", "—"), ("xlsx", "Excel (.xlsx)")])

    def __init__(self, *args, sorts: dict[str, Sort], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(key, sort.label) for key, sort in sorts.items()]
        self.fields["sort"].error_messages["invalid_choice"] = _(
            "Sort by one of: %(choices)s.") % {"choices": "、".join(str(s.label) for s in sorts.values())}


@dataclass
class Listing:
    """What the list bar and the pager show."""

    filters: ListFilterForm | None
    controls: ListControlsForm
    page: Any
    query: str
    export_query: str
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count


@dataclass(frozen=True)
class StaffList:
    """One staff list: `name` names its export file (and its log line), `title` its sheet."""

    name: str
    title: Any
    sorts: dict[str, Sort]
    columns: Sequence[Column]
    filters: type[ListFilterForm] | None = None
    per_page: int = PAGE_SIZE

    @property
    def default_sort(self) -> str:
        return next(iter(self.sorts))

    def respond(self, request: HttpRequest, rows: QuerySet, template: str, context: dict | None = None, *,
                filter_kwargs: dict | None = None, prepare: Callable[[list], None] | None = None) -> HttpResponse:
        """The page of `rows` the query string asks for (or its xlsx), rendered with `template`; `prepare` may
        mark up the rows of the page shown."""
        params = request.GET
        # Always bound (filters are optional), so that a filter's default (say, sessions not ended) applies.
        filters = self.filters(params, **(filter_kwargs or {})) if self.filters else None
        errors = []
        applied = filters
        if filters is not None and not filters.is_valid():
            errors += _messages(filters)  # shown with what was typed; the list is shown as it starts
            applied = self.filters({}, **(filter_kwargs or {}))
            applied.is_valid()
        if applied is not None:
            rows = applied.apply(rows)
        return self.arrange(request, rows, template, context, filters=filters, errors=errors, prepare=prepare)

    def arrange(self, request: HttpRequest, rows: QuerySet, template: str, context: dict | None = None, *,
                params=None, filters: ListFilterForm | None = None, errors: Sequence[str] = (),
                prepare: Callable[[list], None] | None = None, keep_out: Sequence[str] = ()) -> HttpResponse:
        """Sort, page and render (or export) rows already filtered: for a page whose filters are its own (the
        resident search, which also reads a POST). `params` default to the query string; `keep_out` names
        parameters the pager's and the export's links must not carry."""
        params = request.GET if params is None else params
        controls = ListControlsForm(params, sorts=self.sorts)
        errors = [*([] if controls.is_valid() else _messages(controls)), *errors]
        chosen = {} if errors else controls.cleaned_data
        rows = rows.order_by(*self.sorts[chosen.get("sort") or self.default_sort].ordering)
        if chosen.get("export") == "xlsx":
            return self.export(request, rows)
        page = Paginator(rows, self.per_page).get_page(chosen.get("page") or 1)
        if prepare is not None:
            prepare(page.object_list)
        drop = ("page", "export", *keep_out)
        query = _query(params, drop=drop)
        listing = Listing(filters=filters, controls=controls, page=page, query=query,
                          export_query=_query(params, drop=drop, add={"export": "xlsx"}), errors=errors)
        return render(request, template, {**(context or {}), "listing": listing, "page": page, "query": query},
                      status=400 if errors else 200)

    def export(self, request: HttpRequest, rows: QuerySet) -> HttpResponse:
        """The filtered rows, in order, as an .xlsx (at most MAX_EXPORT_ROWS), logged with who took it."""
        chosen = list(rows[:MAX_EXPORT_ROWS])
        content = xlsx_table(str(self.title), [str(c.label) for c in self.columns],
                             ([c.value(row) for c in self.columns] for row in chosen))
        logger.info("export %s: %s rows by user %s", self.name, len(chosen), request.user.pk)
        response = HttpResponse(content, content_type=XLSX)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="lianxin-{self.name}-{stamp}.xlsx"'
        return response


def _messages(form: forms.Form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [gettext("%(field)s: %(error)s") % {"field": label, "error": e} if label else str(e) for e in errors]
    return out


def _query(params, *, drop: tuple[str, ...], add: dict | None = None) -> str:
    copy = params.copy()
    for key in drop:
        copy.pop(key, None)
    for key, value in (add or {}).items():
        copy[key] = value
    return copy.urlencode()
