"""The roles users play, as Django group names, and helpers to ask a user's role."""

from enum import StrEnum


class Role(StrEnum):
    """One Django group per role; a user normally has exactly one."""

    BUREAU = "bureau"  # 就业局工作人员
    LIAISON = "liaison"  # 联络站工作人员
    RESIDENT = "resident"  # 搬迁群众
    DEPUTY = "deputy"  # 人大代表


def user_roles(user) -> set[str]:
    """The role names of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_lianxin_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._lianxin_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    """True if the user has any of the roles (superusers count as every staff role, not as a resident)."""
    if getattr(user, "is_superuser", False) and Role.RESIDENT not in roles:
        return True
    return bool(user_roles(user) & {str(r) for r in roles})
