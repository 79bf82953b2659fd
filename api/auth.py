"""API tokens (django-rest-knox): POST {"username", "password"} → a new token for this device; send
`Authorization: Token …`; DELETE the same address to log this device out.

Tokens are stored hashed and end by themselves: staff after API_TOKEN_TTL_STAFF (12 h, a working day),
residents after API_TOKEN_TTL_RESIDENT (30 days, a phone stays logged in). Every login is a token of its
own (one per device; beyond API_TOKENS_PER_USER the oldest ends). A password change ends all of a user's
tokens (config.login.EndTokensOnPasswordChange); a deactivated user's tokens are refused."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.login import LOCKED_CODE, locked_message
from config.roles import Role, has_role, user_roles

from .errors import ApplicationError
from .query import StrictQueryMixin


def token_ttl(user):
    """Residents keep a phone logged in for a month; staff, who see many people's data, for a working day."""
    staff = user.is_superuser or has_role(user, Role.LIAISON, Role.BUREAU, Role.DEPUTY)
    if not staff and has_role(user, Role.RESIDENT):
        return settings.API_TOKEN_TTL_RESIDENT
    return settings.API_TOKEN_TTL_STAFF


@transaction.atomic
def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new token for one more device; the oldest beyond API_TOKENS_PER_USER end."""
    instance, key = AuthToken.objects.create(user=user, expiry=token_ttl(user))
    keep = (AuthToken.objects.filter(user=user).order_by("-created", "-pk")
            .values_list("pk", flat=True)[: settings.API_TOKENS_PER_USER])
    AuthToken.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
    return instance, key


class LoginSerializer(AuthTokenSerializer):
    """DRF's username-and-password check, with the lengths the user table allows (a longer name is refused
    before it reaches authentication and the login-failure log)."""

    username = serializers.CharField(label=_("Username"), max_length=150, write_only=True)
    password = serializers.CharField(label=_("Password"), max_length=128, style={"input_type": "password"},
                                     trim_whitespace=False, write_only=True)


TokenOut = inline_serializer("TokenOut", {
    "token": serializers.CharField(),
    "expiry": serializers.DateTimeField(help_text=_("When this token stops working.")),
    "username": serializers.CharField(),
    "roles": serializers.ListField(child=serializers.CharField()),
})


class TokenLoginView(StrictQueryMixin, APIView):
    """Log in (POST) for a new token on this device; log this device out (DELETE)."""

    def _logging_out(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "DELETE"

    def get_authenticators(self):
        # The login takes nothing but its body; a logout is made with the very token it ends.
        return [TokenAuthentication()] if self._logging_out() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._logging_out() else [AllowAny()]

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenOut, 400: OpenApiResponse(description=_("Wrong username or password.")),
                   429: OpenApiResponse(description=_("Too many failed logins: logging in is paused."))},
        auth=[],
        description=str(_("Log in with a username and password and receive a new API token for this device. "
                          "Staff tokens last 12 hours, residents' 30 days.")),
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
            raise ApplicationError(locked_message(), code=LOCKED_CODE, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        instance, key = token_issue(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": key, "expiry": instance.expiry, "username": user.get_username(),
                         "roles": sorted(user_roles(user))})

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description=_("This device's token has ended.")),
                   401: OpenApiResponse(description=_("No valid token was sent."))},
        description=str(_("Log this device out: the token sent with the request stops working at once.")),
    )
    def delete(self, request):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
