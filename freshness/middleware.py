"""Scope the versions a request reads: read once, reused by every cached read of the request."""

from .selectors import end_request_versions_scope, request_versions_scope


class RequestVersionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = request_versions_scope()
        try:
            return self.get_response(request)
        finally:
            end_request_versions_scope(tokens)
