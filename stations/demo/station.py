"""The demo's liaison station, its three rooms and 16 deputies, and one login per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from config.roles import Role
from residents.models import Resident

from ..models import Deputy, LiaisonRoom, LiaisonStation, StaffMembership
from . import vocabulary as v
from .context import Context, DemoError


@dataclass
class StationResult:
    station: LiaisonStation
    rooms: list[LiaisonRoom]
    deputies: list[Deputy]


def create_station(ctx: Context) -> StationResult:
    vocab = ctx.vocab
    station = LiaisonStation.objects.create(name=v.STATION_NAME, place=vocab.places[v.PINGXI_CODE],
                                            address=v.STATION_ADDRESS)
    served: dict[str, list] = {name: [] for name, _places in v.ROOMS}
    by_name = {name: room for room, (_room, names) in enumerate(v.ROOMS) for name in names}
    leftovers = 0
    for place in vocab.pingxi_places:  # ordered by code
        index = by_name.get(place.name)
        if index is None:  # a community or village the list does not name: round-robin
            index = leftovers % len(v.ROOMS)
            leftovers += 1
        served[v.ROOMS[index][0]].append(place)
    rooms = []
    for name, _places in v.ROOMS:
        room = LiaisonRoom.objects.create(station=station, name=name)
        room.places.set(served[name])
        rooms.append(room)
    deputies = Deputy.objects.bulk_create([
        Deputy(name=name, level=level, station=station, room=rooms[room_index])
        for name, level, room_index in v.DEPUTIES
    ])
    return StationResult(station, rooms, deputies)


def create_logins(ctx: Context, built: StationResult) -> dict:
    """admin, bureau, liaison (room 1), deputy (room 1); the resident login is linked later."""
    User = get_user_model()
    password = make_password(ctx.options.password)  # one hash for all five: the demo password is shared
    groups = {group.name: group for group in Group.objects.filter(name__in=[str(role) for role in Role])}
    missing = {str(role) for role in Role} - set(groups)
    if missing:
        raise DemoError(f"role groups {sorted(missing)} are missing; run `manage.py migrate`.")
    room1 = built.rooms[0]
    deputy_row = next(d for d in built.deputies if d.room_id == room1.pk and d.level == Deputy.Level.COUNTY)
    names = dict(v.LOGINS)
    names["deputy"] = ("deputy", deputy_row.name[:1], deputy_row.name[1:])
    users = {}
    for username, (group, last_name, first_name) in names.items():
        user, created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = last_name, first_name
        user.is_superuser = user.is_staff = username == "admin"
        if created:
            user.password = password
        user.email = f"{username}@lianxin.invalid"
        user.save()
        user.groups.set([groups[group]] if group else [])
        users[username] = user
    StaffMembership.objects.create(user=users["liaison"], station=built.station, room=room1,
                                   role=StaffMembership.Role.STAFF)
    StaffMembership.objects.create(user=users["deputy"], station=built.station, room=room1,
                                   role=StaffMembership.Role.DEPUTY)
    Deputy.objects.filter(pk=deputy_row.pk).update(user=users["deputy"])
    ctx.users.update(users)
    return users


def link_resident_login(ctx: Context, resident_id: int | None) -> Resident:
    if resident_id is None:
        raise DemoError("no resident lives at 黄岔安置点 to link the `resident` login to.")
    user = ctx.users["resident"]
    resident = Resident.objects.get(pk=resident_id)
    resident.user = user
    resident.save(update_fields=["user", "updated_at"])
    user.last_name, user.first_name = resident.name[:1], resident.name[1:]
    user.save(update_fields=["last_name", "first_name"])
    return resident
