"""Who may call which endpoint: access by role, with reads, writes and single actions set apart."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from config.roles import Role, has_role

STAFF_ROLES = (Role.BUREAU, Role.LIAISON, Role.DEPUTY)
EVERY_ROLE = (Role.BUREAU, Role.LIAISON, Role.DEPUTY, Role.RESIDENT)


class RoleAccess(BasePermission):
    """Lets in authenticated users whose role the view names; superusers (admin) always.

    A view says `read_roles` (safe methods) and `write_roles` (everything else); `action_roles`
    overrides both for named actions (e.g. `{"reveal": (Role.LIAISON, Role.RESIDENT)}`). Which
    objects a permitted user sees is the view's queryset's business, so that another station's
    resident is a 404, not a 403.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if roles is None:
            roles = getattr(view, "read_roles", ()) if request.method in SAFE_METHODS else getattr(view, "write_roles", ())
        return bool(roles) and has_role(user, *roles)


def manages_residents(user) -> bool:
    """Liaison staff and admins keep residents' profiles; a resident only edits part of their own."""
    return bool(getattr(user, "is_superuser", False) or has_role(user, Role.LIAISON))


class IsStaff(BasePermission):
    """Signed-in staff (bureau, liaison, deputy) and admins: who may read the API schema in production."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and has_role(user, Role.BUREAU, Role.LIAISON, Role.DEPUTY))
