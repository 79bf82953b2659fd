"""What the API and the pages share about a request: the peer's address and the budget of reveals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


def client_ip(request) -> str | None:
    """The peer address (proxies in front must set REMOTE_ADDR, e.g. through their WSGI server)."""
    address = request.META.get("REMOTE_ADDR")
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


class RevealThrottle(UserRateThrottle):
    """Reveals of personal data are rare by design; many in a row is a sign of misuse. One budget per
    user (`DEFAULT_THROTTLE_RATES["reveal"]`) for the API and the pages alike: it reads only
    `request.user`, so a page's plain Django request can ask `allow_request(request, None)` too."""

    scope = "reveal"


# Browser features no page of the service uses; a script that got in cannot use them either.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "fullscreen", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics",
))


class PrivateResponseMiddleware:
    """Permissions-Policy on every response; and `Cache-Control: no-store` on every answer to a signed-in
    user that does not choose its own caching: pages and API answers show names, masked ID numbers and
    phones, which a shared computer's cache or the back button must not keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = bool(getattr(user, "is_authenticated", False)) or "HTTP_AUTHORIZATION" in request.META
        if signed_in and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
class PublicRequestThrottle(SimpleRateThrottle):
    """Anonymous requests (诉求) from the public page: a budget per client address
    (`DEFAULT_THROTTLE_RATES["public_request"]`), shared by the API and the page's form (which asks
    `allow_request(request, None)` with its plain Django request)."""

    scope = "public_request"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class PublicTrackThrottle(PublicRequestThrottle):
    """Looking up (and rating) a request by its tracking code from the public page or the API: a budget per client
    address of its own (`DEFAULT_THROTTLE_RATES["public_track"]`), so that codes cannot be tried in bulk, every
    look-up counting whether it finds a request or not."""

    scope = "public_track"
