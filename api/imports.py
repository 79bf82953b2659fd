"""Spreadsheet imports at /imports/: templates, uploads (run by a task) and their outcome, polled.

The bureau imports job postings, liaison staff import residents (only at their station's places);
admin both. Register with `router.register("imports", imports.ImportJobViewSet, basename="import")`.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from config.roles import Role, has_role
from jobs import imports as posting_imports
from matching import imports as outcome_imports
from residents import imports as resident_imports
from stations.selectors import resident_place_scope, user_place_scope
from taxonomy.imports import AlreadySubmitted, import_job_progress, import_job_start, max_file_bytes
from taxonomy.models import ImportJob

from .errors import ApplicationError
from .mixins import ApiViewMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {ImportJob.Kind.POSTINGS: "岗位信息导入模板.xlsx", ImportJob.Kind.RESIDENTS: "搬迁群众信息导入模板.xlsx",
                  ImportJob.Kind.OUTCOMES: "推荐就业记录导入模板.xlsx"}
TEMPLATES = {ImportJob.Kind.POSTINGS: posting_imports.postings_template,
             ImportJob.Kind.RESIDENTS: resident_imports.residents_template,
             ImportJob.Kind.OUTCOMES: outcome_imports.outcomes_template}
DUPLICATES_NAMED = {ImportJob.Kind.POSTINGS: posting_imports.posting_duplicates_named,
                    ImportJob.Kind.RESIDENTS: resident_imports.resident_duplicates_named,
                    ImportJob.Kind.OUTCOMES: outcome_imports.outcome_duplicates_named}


def may_import(user, kind: str) -> bool:
    """The bureau imports postings, liaison staff residents and their outcome history; admin (superuser) all."""
    if getattr(user, "is_superuser", False):
        return True
    if kind == ImportJob.Kind.POSTINGS:
        return has_role(user, Role.BUREAU)
    if kind in (ImportJob.Kind.RESIDENTS, ImportJob.Kind.OUTCOMES):
        return has_role(user, Role.LIAISON)
    return False


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=gettext_lazy("Row number as shown in Excel (the header is row 1)."))
    field = serializers.CharField(help_text=gettext_lazy("The column's header; empty for the whole row."))
    message = serializers.CharField()


class ImportJobSummarySerializer(serializers.ModelSerializer):
    """An import in a list: its counts, without the row errors."""

    total = serializers.IntegerField(source="total_rows", read_only=True)
    processed = serializers.SerializerMethodField(
        help_text=gettext_lazy("Rows processed so far (while running), all of them once finished.")
    )
    error_count = serializers.SerializerMethodField(help_text=gettext_lazy("Rows with errors."))

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "file_name", "status", "total", "processed", "imported", "duplicates",
                  "error_count", "failure", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_processed(self, job) -> int:
        return import_job_progress(job)

    def get_error_count(self, job) -> int:
        return len({error["row"] for error in job.errors})


class DuplicateSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=gettext_lazy("Row number as shown in Excel (the header is row 1)."))
    label = serializers.CharField(help_text=gettext_lazy("The record the row repeats, named (never an ID number)."))
    kind = serializers.CharField(help_text=gettext_lazy(
        "posting or resident: what `id` is; empty when you may not see the record."))
    id = serializers.IntegerField(allow_null=True)


class ImportJobSerializer(ImportJobSummarySerializer):
    """An import with every row error and the rows skipped as duplicates, each with the record it repeats."""

    errors = RowErrorSerializer(many=True, read_only=True)
    duplicate_rows = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    duplicates_of = serializers.SerializerMethodField(
        help_text=gettext_lazy("For each row skipped as a duplicate, the record it repeats."))

    class Meta(ImportJobSummarySerializer.Meta):
        fields = [*ImportJobSummarySerializer.Meta.fields, "errors", "duplicate_rows", "duplicates_of"]
        read_only_fields = fields

    @extend_schema_field(DuplicateSerializer(many=True))
    def get_duplicates_of(self, job) -> list[dict]:
        named = DUPLICATES_NAMED[job.kind](job.duplicate_records,
                                           place_scope=resident_place_scope(self.context["request"].user))
        return [duplicate.as_dict() for duplicate in named]


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    file = serializers.FileField(allow_empty_file=True, max_length=255,
                                 help_text=gettext_lazy("An .xlsx or .csv file with the template's header row."))


class ImportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)


def _file_refused(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_file", fields={"file": [message]})


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Your spreadsheet imports")),
    retrieve=extend_schema(summary=gettext_lazy("One import: status, progress, counts and row errors"),
                           responses={200: ImportJobSerializer}),
)
@extend_schema(tags=["imports"])
class ImportJobViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bureau staff (postings), liaison staff (residents, outcome history) and admin; others 403."""

    queryset = ImportJob.objects.none()
    serializer_class = ImportJobSummarySerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list = []
    read_roles = (Role.BUREAU, Role.LIAISON)
    write_roles = (Role.BUREAU, Role.LIAISON)

    def get_queryset(self):
        jobs = ImportJob.objects.defer("content").select_related("created_by")
        if getattr(self, "swagger_fake_view", False):
            return jobs.none()
        user = self.request.user
        return jobs if user.is_superuser else jobs.filter(created_by=user)

    def get_serializer_class(self):
        return ImportJobSerializer if self.action == "retrieve" else ImportJobSummarySerializer

    @extend_schema(
        summary=gettext_lazy("Upload a spreadsheet to import"),
        description=gettext_lazy(
            "Checks the file (type, size, header row, number of rows) at once and refuses a bad one with "
            "400; the rows are imported by a background task. Poll the import for its progress. Send an "
            "Idempotency-Key header (up to 64 characters, new for each file) to make a repeated request "
            "answer with the import the first one stored instead of storing another."
        ),
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportAcceptedSerializer},
    )
    def create(self, request):
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind, upload = serializer.validated_data["kind"], serializer.validated_data["file"]
        user = request.user
        if not may_import(user, kind):
            raise PermissionDenied
        if upload.size > max_file_bytes():
            raise _file_refused(_("The file is larger than %(size)s MB.") % {"size": max_file_bytes() // (1024 * 1024)})
        stored = {"file_name": upload.name, "content": upload.read(), "created_by": user,
                  "language": translation.get_language() or "",
                  "submission_key": request.headers.get("Idempotency-Key", "")[:64]}
        try:
            if kind == ImportJob.Kind.POSTINGS:
                job = posting_imports.postings_import_create(**stored)
            elif kind == ImportJob.Kind.OUTCOMES:
                job = outcome_imports.outcomes_import_create(allowed_place_ids=user_place_scope(user), **stored)
            else:
                job = resident_imports.residents_import_create(allowed_place_ids=user_place_scope(user), **stored)
        except AlreadySubmitted as exc:  # the same Idempotency-Key again: the import it stored, nothing new
            return Response(ImportAcceptedSerializer({"id": exc.job.pk, "status": exc.job.status}).data,
                            status=status.HTTP_202_ACCEPTED)
        except DjangoValidationError as exc:
            messages = exc.message_dict.get("file") if hasattr(exc, "error_dict") else None
            if messages:
                raise _file_refused(messages[0]) from None
            raise
        job_id = job.pk
        import_job_start(job)
        job = ImportJob.objects.defer("content").get(pk=job_id)  # eager (no broker): it may have run already
        return Response(ImportAcceptedSerializer({"id": job.pk, "status": job.status}).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=gettext_lazy("Download the .xlsx template of an import"),
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=ImportJob.Kind.values)],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["get"], url_path=r"templates/(?P<kind>[a-z]+)")
    def templates(self, request, kind: str):
        if kind not in ImportJob.Kind.values:
            raise Http404
        if not may_import(request.user, kind):
            raise PermissionDenied
        content = TEMPLATES[kind]()
        response = HttpResponse(content, content_type=XLSX)
        name = TEMPLATE_NAMES[kind]
        response["Content-Disposition"] = f"attachment; filename=\"{kind}-template.xlsx\"; filename*=UTF-8''{quote(name)}"
        return response
