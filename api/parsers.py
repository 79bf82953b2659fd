"""JSON request parsing that refuses text no database can store and puts all text in its canonical form."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from taxonomy.text import clean_text

# Secrets are compared as typed: normalising a password would change it.
VERBATIM_KEYS = ("password",)


def cleaned(value, key: str = ""):
    """Every string in a parsed body in canonical form (taxonomy.text.clean_text: NFKC but for Chinese punctuation, no zero-width characters), keys untouched."""
    if isinstance(value, str):
        return value if any(word in key for word in VERBATIM_KEYS) else clean_text(value)
    if isinstance(value, dict):
        return {k: cleaned(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(item, key) for item in value]
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus a refusal of lone surrogates (e.g. "\\ud800"), valid JSON but not UTF-8, and
    text in canonical form before any field checks its emptiness or length (a title of zero-width spaces
    is empty)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("The request contains characters that are not valid text.")) from None
        return cleaned(data)
