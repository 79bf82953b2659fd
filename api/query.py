"""Strict query parameters: the schema is the list of what each operation takes.

A request naming a query parameter its operation does not document (`?from=` on a list, a typo such as
`?pagesize=`) is refused with a 400 in the JSON error shape naming that parameter, instead of being ignored.
The accepted names are read from the OpenAPI schema itself (drf-spectacular, generated once per process), so
a parameter a view reads but the schema does not list cannot be used: documenting it is what makes it work.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# The routes of the schema, as (pattern, {method: accepted query names}).
Routes = tuple[tuple[re.Pattern, dict[str, frozenset[str]]], ...]


def _route_pattern(path: str) -> re.Pattern:
    """`/api/v1/jobs/{id}/` → a pattern that matches `/api/v1/jobs/12/` (and nothing longer)."""
    pieces = re.split(r"\{[^}]+\}", path)
    return re.compile("^" + "[^/]+".join(re.escape(piece) for piece in pieces) + "$")


@lru_cache(maxsize=1)
def documented_routes() -> Routes:
    """Every operation of the API schema with the names of the query parameters it documents."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    routes = []
    for path, operations in schema.get("paths", {}).items():
        accepted = {}
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
                accepted[method.upper()] = frozenset(names)
        routes.append((_route_pattern(path), accepted))
    # Literal routes before templated ones (`/occupations/code/` before `/occupations/{id}/`).
    routes.sort(key=lambda route: route[0].pattern.count("[^/]+"))
    return tuple(routes)


def accepted_query_parameters(path: str, method: str) -> frozenset[str] | None:
    """The query names the schema documents for this request, or None when no operation of the schema is it."""
    for pattern, accepted in documented_routes():
        if pattern.match(path):
            return accepted.get(method.upper())
    return None


class StrictQueryMixin:
    """Mix into every API view (ApiViewMixin, the public views, the token view). Runs after authentication,
    permissions and throttles, so an anonymous caller still gets 401 and a role without access 403."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        accepted = accepted_query_parameters(request.path, request.method)
        if accepted is None:
            return
        unknown = sorted(set(request.query_params) - accepted)
        if unknown:
            message = _("This parameter is not accepted here.")
            raise ValidationError({name: [message] for name in unknown})


TRUE, FALSE = ("1", "true"), ("0", "false")


def query_flag(request, name: str) -> bool:
    """A yes/no query parameter (`?due=1`, `?due=true`; `0`/`false` or absent is no); anything else is a 400."""
    value = request.query_params.get(name, "0").lower()
    if value not in TRUE + FALSE:
        raise ValidationError({name: [_("Must be true or false.")]})
    return value in TRUE


def flag_parameter(name: str, description: str):
    """The schema entry of a query_flag parameter."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)
