"""Liaison stations and rooms, the places they serve, staff membership and deputies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Place


class LiaisonStation(models.Model):
    """A people's-deputies liaison station (人大代表联络站), e.g. the one of 平溪街道."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    place = models.ForeignKey(Place, verbose_name=_("town / street"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LiaisonRoom(models.Model):
    """A liaison room (联络室) of a station, serving some communities, villages and sites."""

    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=80)
    places = models.ManyToManyField(Place, verbose_name=_("places served"), related_name="liaison_rooms")

    class Meta:
        verbose_name = _("liaison room")
        verbose_name_plural = _("liaison rooms")
        ordering = ["station", "id"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="room_name_unique_in_station")]

    def __str__(self) -> str:
        return f"{self.station} · {self.name}"


class StaffMembership(models.Model):
    """A user's place in a station: liaison staff (optionally of one room) or a deputy."""

    class Role(models.TextChoices):
        STAFF = "staff", _("liaison staff")
        DEPUTY = "deputy", _("deputy")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="station_memberships")
    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="memberships")
    room = models.ForeignKey(
        LiaisonRoom, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("station membership")
        verbose_name_plural = _("station memberships")
        constraints = [models.UniqueConstraint(fields=["user", "station"], name="membership_unique_per_station")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.station}"


class Deputy(models.Model):
    """A people's deputy attached to a station (and usually to one of its rooms)."""

    class Level(models.TextChoices):
        CITY = "city", _("city deputy")
        COUNTY = "county", _("county deputy")

    name = models.CharField(_("name"), max_length=40)
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)
    station = models.ForeignKey(LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="deputies")
    room = models.ForeignKey(
        LiaisonRoom, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputies"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy"
    )

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["station", "level", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="deputy_name_required")]

    def __str__(self) -> str:
        return self.name


class StatisticsSnapshot(models.Model):
    """The figures of a scope for a closed period, as computed then (the live figures stay authoritative)."""

    class ScopeKind(models.TextChoices):
        COUNTY = "county", _("county")
        STATION = "station", _("station")
        ROOM = "room", _("room")

    scope_kind = models.CharField(_("scope"), max_length=8, choices=ScopeKind.choices)
    station = models.ForeignKey(LiaisonStation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(LiaisonRoom, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    values = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        ordering = ["-period_start", "scope_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "station", "room", "period_start", "period_end"],
                name="snapshot_unique_scope_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="snapshot_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.period_start}–{self.period_end}"


class NotificationsSeen(models.Model):
    """When a staff member last opened their notifications: what came after is new to them (the badge)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="+", primary_key=True)
    seen_at = models.DateTimeField(_("last looked at"))

    class Meta:
        verbose_name = _("notifications seen")
        verbose_name_plural = _("notifications seen")

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at:%Y-%m-%d %H:%M}"
