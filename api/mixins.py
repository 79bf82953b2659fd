"""What every resource view of the API shares: role access, strict JSON and query, filters, safe lookups."""

from __future__ import annotations

from django.http import Http404

from .filters import DEFAULT_BACKENDS
from .parsers import JSONParser
from .permissions import RoleAccess
from .query import StrictQueryMixin


class ApiViewMixin(StrictQueryMixin):
    """Mix into a DRF view or viewset; set `read_roles`, `write_roles` and optionally `action_roles`."""

    permission_classes = [RoleAccess]
    parser_classes = [JSONParser]
    filter_backends = DEFAULT_BACKENDS
    read_roles: tuple = ()
    write_roles: tuple = ()
    action_roles: dict = {}

    def get_object(self):
        try:
            return super().get_object()
        except OverflowError:  # an id too large for the database (SQLite raises, PostgreSQL does not)
            raise Http404 from None
