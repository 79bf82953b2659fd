"""What every page view shares: role checks, service errors shown as form errors, paging, htmx replies."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from config.roles import Role, has_role
from residents.models import Resident
from stations.selectors import residents_visible_to

PAGE_SIZE = 25


def role_required(*roles: Role) -> Callable:
    """Let in users with one of the roles (superusers count as every staff role); others get
    the login page (anonymous) or 403 (signed in with another role)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def resident_required(view):
    """Residents only (not even a superuser): the view receives the signed-in resident's record."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.RESIDENT):
            raise PermissionDenied
        resident = Resident.objects.select_related("household__site").filter(user=request.user).first()
        if resident is None:
            raise PermissionDenied
        return view(request, resident, *args, **kwargs)

    return wrapper


def visible_residents(request: HttpRequest):
    """The residents this user may see, worked out once per request (the scope costs a few queries)."""
    if not hasattr(request, "_visible_residents"):
        request._visible_residents = residents_visible_to(request.user)
    return request._visible_residents


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, flat (for a button's inline error)."""
    if hasattr(exc, "error_dict"):
        return [str(message) for messages in exc.message_dict.values() for message in messages]
    return [str(message) for message in exc.messages]


def add_service_errors(form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it
    (through `field_map` when the names differ), else above the form."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        target = field_map.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


def bound(request: HttpRequest, *, files: bool = False) -> tuple:
    """A form's data arguments: the POST (and files) on a POST, even an empty one, else nothing (unbound)."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go back after a POST: `next` if it is on this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(safe_next(request, fallback))


def with_trigger(response: HttpResponse, events: Iterable[str]) -> HttpResponse:
    """Ask htmx to fire events on the page (other parts listen and refresh themselves)."""
    response["HX-Trigger"] = ", ".join(events)
    return response
