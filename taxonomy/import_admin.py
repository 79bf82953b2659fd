"""An "import from spreadsheet" page for a ModelAdmin: upload form, template download, and the outcome.

A ModelAdmin mixes in `SpreadsheetImportAdminMixin` and says how to store an upload
(`spreadsheet_import_create`), how to start it (`spreadsheet_import_start`: fire the task on commit)
and which template to offer. The change list gets a link through the templates under
`admin/spreadsheet_import/` (`change_list.html`, or `change_list_export.html` next to django-import-export).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import import_job_progress, import_job_start, max_file_bytes
from .models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 2000


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx or .csv)"), allow_empty_file=True)


class SpreadsheetImportAdminMixin:
    """Adds the pages `import-spreadsheet/`, `import-spreadsheet/template/` and `import-spreadsheet/<id>/`."""

    spreadsheet_import_kind: str = ""

    def spreadsheet_import_create(self, request, *, file_name: str, content: bytes) -> ImportJob:
        raise NotImplementedError  # pragma: no cover - abstract

    def spreadsheet_import_start(self, job: ImportJob) -> None:
        import_job_start(job)

    def spreadsheet_template(self) -> bytes:
        raise NotImplementedError  # pragma: no cover - abstract

    def has_spreadsheet_import_permission(self, request) -> bool:
        return self.has_add_permission(request)

    def _import_url_name(self, suffix: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("import-spreadsheet/", view(self.spreadsheet_import_view),
                 name=self._import_url_name("import_spreadsheet")),
            path("import-spreadsheet/template/", view(self.spreadsheet_template_view),
                 name=self._import_url_name("import_template")),
            path("import-spreadsheet/<int:job_id>/", view(self.spreadsheet_result_view),
                 name=self._import_url_name("import_result")),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "has_spreadsheet_import_permission": self.has_spreadsheet_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title: str, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                "template_url": reverse(f"admin:{self._import_url_name('import_template')}"),
                "upload_url": reverse(f"admin:{self._import_url_name('import_spreadsheet')}"), **extra}

    def spreadsheet_import_view(self, request):
        if not self.has_spreadsheet_import_permission(request):
            raise PermissionDenied
        form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > max_file_bytes():
                form.add_error("file", _("The file is larger than %(size)s MB.")
                               % {"size": max_file_bytes() // (1024 * 1024)})
            else:
                try:
                    job = self.spreadsheet_import_create(request, file_name=upload.name, content=upload.read())
                except ValidationError as exc:
                    messages = exc.message_dict.get("file") if hasattr(exc, "error_dict") else exc.messages
                    form.add_error("file", messages or exc.messages)
                else:
                    self.spreadsheet_import_start(job)
                    return redirect(reverse(f"admin:{self._import_url_name('import_result')}", args=[job.pk]))
        recent = (ImportJob.objects.filter(kind=self.spreadsheet_import_kind, created_by=request.user)
                  .defer("content")[:10])
        context = self._context(request, _("Import %(things)s from a spreadsheet")
                                % {"things": self.opts.verbose_name_plural}, form=form, recent=recent,
                                max_mb=max_file_bytes() // (1024 * 1024))
        return TemplateResponse(request, "admin/spreadsheet_import/upload.html", context)

    def spreadsheet_template_view(self, request):
        if not self.has_spreadsheet_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(self.spreadsheet_template(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.spreadsheet_import_kind}-template.xlsx"'
        return response

    def spreadsheet_result_view(self, request, job_id: int):
        if not self.has_spreadsheet_import_permission(request):
            raise PermissionDenied
        jobs = ImportJob.objects.defer("content").filter(kind=self.spreadsheet_import_kind)
        if not request.user.is_superuser:
            jobs = jobs.filter(created_by=request.user)
        job = jobs.filter(pk=job_id).first()
        if job is None:
            raise Http404
        running = job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)
        context = self._context(
            request, _("Spreadsheet import: %(file)s") % {"file": job.file_name}, job=job,
            processed=import_job_progress(job), running=running, errors=job.errors[:ERRORS_SHOWN],
            errors_hidden=max(len(job.errors) - ERRORS_SHOWN, 0),
            error_rows=len({error["row"] for error in job.errors}),
            changelist_url=reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
        )
        return TemplateResponse(request, "admin/spreadsheet_import/result.html", context)
