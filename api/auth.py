"""Token login: POST {"username", "password"} → {"token"}; then send `Authorization: Token …`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.roles import user_roles


class TokenLoginView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer(
            "TokenOut", {"token": serializers.CharField(), "username": serializers.CharField(),
                         "roles": serializers.ListField(child=serializers.CharField())}
        ),
        description=str(_("Log in with a username and password and receive an API token.")),
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "username": user.get_username(), "roles": sorted(user_roles(user))})
