"""Text posted to the pages (and the admin) in canonical form before any form looks at it."""

from __future__ import annotations

from taxonomy.text import clean_text

# Secrets are compared as typed; the CSRF token is opaque.
VERBATIM = ("password", "csrfmiddlewaretoken")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CleanTextInputMiddleware:
    """Canonical text (taxonomy.text.clean_text: NFKC but for Chinese punctuation, no zero-width characters)
    in every posted form value, so that a title of zero-width spaces is empty and a name's length is its
    visible length, on every page and admin form alike. The API
    does the same in its JSON parser (api.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES and not request.path.startswith("/api/"):
            data = request.POST.copy()
            for key, values in data.lists():
                if not any(word in key for word in VERBATIM):
                    data.setlist(key, [clean_text(value) for value in values])
            data._mutable = False
            request.POST = data
        return self.get_response(request)
