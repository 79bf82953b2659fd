"""Logins that end and that cannot be guessed: API tokens ended by a password change, and the django-axes
lockout (per account, and per address for accounts never seen there) with its Chinese answer."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

LOCKED_CODE = "login_locked"


class EndTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls after every
    password change (the admin, the password pages, `manage.py changepassword`): the user's API tokens end
    on every device. It checks nothing."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            from knox.models import AuthToken  # the app registry is ready by the time a password changes

            AuthToken.objects.filter(user=user).delete()

    def get_help_text(self):
        return ""


class AccountAndAddressHandler(AxesDatabaseHandler):
    """django-axes, locking an account after AXES_FAILURE_LIMIT failures from anywhere, and an address after
    LOGIN_ADDRESS_FAILURE_LIMIT failures for any accounts, except for an account that has logged in from
    that address before: a correct login at the office is never refused for someone else's failures."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        from axes.models import AccessAttempt, AccessLog

        since = timezone.now() - settings.AXES_COOLOFF_TIME
        failures = (AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
                    .aggregate(total=Sum("failures_since_start"))["total"] or 0)
        if failures < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return False
        username = get_client_username(request, credentials)
        return not (username and AccessLog.objects.filter(ip_address=address, username=username).exists())


LOCKED_MESSAGE = gettext_lazy("Too many failed logins. Logging in is paused for %(minutes)d minutes; try again "
                              "later or ask an administrator to unlock the account.")


def locked_message() -> str:
    return str(LOCKED_MESSAGE) % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: the API's error shape, or the login page with the message; 429."""
    message = locked_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": LOCKED_CODE, "message": message, "fields": {}}}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {"form": form, "next": request.POST.get("next", ""), "locked_message": message}
    return render(request, "web/login.html", context, status=429)
