"""One JSON shape for every API error, with field-level messages (Chinese by default).

    {"error": {"code": "invalid", "message": "…", "fields": {"phone": ["…"]}}}
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApplicationError(Exception):
    """Raised by services when a request is well-formed but not allowed by the rules of the domain."""

    def __init__(self, message: str, *, code: str = "rejected", fields: dict | None = None, status_code: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status_code = status_code


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": [messages]}, nested fields joined with dots."""
    result: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                result.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            result.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return result


def _body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_body("invalid", _("The submitted data is not valid."), fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OverflowError):
        # A number too large for the database column reached a query (SQLite raises, PostgreSQL does not).
        return Response(_body("invalid", _("A number in the request is out of range.")), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response(
            _body("conflict", _("The change conflicts with existing data and was not saved.")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body("invalid", _("The submitted data is not valid."), _flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if not isinstance(code, str):
            code = "error"
        message = str(detail) if not isinstance(detail, dict | list) else _("Request failed.")
        response.data = _body(code, message)
    return response


def not_found(request, exception=None):
    """404 for paths no route matches: the JSON error shape under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse(_body("not_found", _("Not found.")), status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)


def server_error(request):
    """500 under /api/ in the JSON error shape (nothing about the failure leaks), Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import server_error as default_server_error

    if request.path.startswith("/api/"):
        return JsonResponse(_body("server_error", _("Something went wrong on our side; nothing was changed.")),
                            status=500, json_dumps_params={"ensure_ascii": False})
    return default_server_error(request)


def bad_request(request, exception=None):
    """400 for a request Django refuses before any view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a bad
    host): the JSON error shape under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import bad_request as default_bad_request

    if request.path.startswith("/api/"):
        return JsonResponse(_body("bad_request", _("The request is too large or malformed.")), status=400,
                            json_dumps_params={"ensure_ascii": False})
    return default_bad_request(request, exception)
