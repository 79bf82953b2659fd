"""Loading the reference data in taxonomy/data/ into the vocabulary tables (idempotent upserts).

The functions take model classes as arguments so a data migration can pass its historical models.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
# Villages have no coordinates in the source: place them within this radius of their town centre.
VILLAGE_SCATTER_KM = 2.5


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def occupation_code_parent(code: str) -> str | None:
    """'4-10-01-06' → '4-10-01-00' → '4-10-00-00' → '4-00-00-00' → None."""
    parts = code.split("-")
    for index in range(len(parts) - 1, 0, -1):
        if parts[index] != "0" * len(parts[index]):
            parts[index] = "0" * len(parts[index])
            return "-".join(parts)
    return None


def split_marked_name(name: str) -> tuple[str, bool, bool]:
    """Strip the trailing S (digital) / L (green) markers of the 2022 classification."""
    digital = green = False
    while name and name[-1] in "SL" and len(name) > 1 and not name[-2].isascii():
        digital |= name[-1] == "S"
        green |= name[-1] == "L"
        name = name[:-1]
    return name.strip(), digital, green


def load_occupations(Occupation, rows: Iterable[dict[str, str]] | None = None) -> int:
    rows = list(rows if rows is not None else read_csv("csco22.csv"))
    existing = {o.code: o for o in Occupation.objects.all()}
    by_code = {}
    for row in rows:
        name, digital, green = split_marked_name(row["name"].strip())
        aliases = sorted({a.strip() for a in (row.get("alias") or "").split(",") if a.strip() and a.strip() != name})
        occupation = existing.get(row["code"]) or Occupation(code=row["code"])
        occupation.level = int(row["level"])
        occupation.name = name
        occupation.definition = row.get("definition") or ""
        occupation.tasks = row.get("tasks") or ""
        occupation.aliases = aliases
        occupation.is_digital = digital
        occupation.is_green = green
        by_code[occupation.code] = occupation
    new = [o for code, o in by_code.items() if code not in existing]
    Occupation.objects.bulk_create(new, batch_size=500)
    Occupation.objects.bulk_update(
        [o for code, o in by_code.items() if code in existing],
        ["level", "name", "definition", "tasks", "aliases", "is_digital", "is_green"],
        batch_size=500,
    )
    saved = {o.code: o for o in Occupation.objects.all()}
    for occupation in saved.values():
        parent_code = occupation_code_parent(occupation.code)
        while parent_code and parent_code not in saved:
            parent_code = occupation_code_parent(parent_code)
        occupation.parent = saved.get(parent_code) if parent_code else None
    Occupation.objects.bulk_update(list(saved.values()), ["parent"], batch_size=500)
    return len(by_code)


def tidy_place_name(name: str) -> str:
    """'平溪街道办事处' → '平溪街道', '七里塘村委会' → '七里塘村', 'XX居委会' → 'XX社区'."""
    if name.endswith("办事处"):
        return name[: -len("办事处")]
    if name.endswith("村委会"):
        return name[: -len("委会")]
    if name.endswith("居委会"):
        return name[: -len("居委会")] + "社区"
    return name


def _scatter(code: str, latitude: float, longitude: float) -> tuple[float, float]:
    """A deterministic point within VILLAGE_SCATTER_KM of a centre, derived from the code."""
    digest = hashlib.sha256(code.encode()).digest()
    angle = digest[0] / 255 * 2 * math.pi
    distance = (0.3 + 0.7 * digest[1] / 255) * VILLAGE_SCATTER_KM
    dlat = distance / 111.0 * math.cos(angle)
    dlon = distance / (111.0 * math.cos(math.radians(latitude))) * math.sin(angle)
    return round(latitude + dlat, 6), round(longitude + dlon, 6)


def load_places(Place) -> int:
    """Load Tongren's divisions and the resettlement sites. A division with coordinates in the source is
    official; a village without is placed near its town (estimated); the sites' coordinates were written
    for this project from maps (estimated). Coordinates staff have surveyed since are kept."""
    tracks_source = any(f.name == "coordinates_source" for f in Place._meta.get_fields())
    rows = list(read_csv("places_tongren.csv"))
    sites = list(read_csv("sites.csv"))
    existing = {p.code: p for p in Place.objects.all()}
    places = {}
    guizhou = existing.get("520000000000") or Place(code="520000000000")
    guizhou.name, guizhou.level, guizhou.latitude, guizhou.longitude = "贵州省", "province", 26.598194, 106.707410
    guizhou.coordinates_source = "surveyed"
    places[guizhou.code] = guizhou
    # Surveyed coordinates already stored (the source's own, or set by staff since) are kept as they are.
    kept = {code for code, p in existing.items() if getattr(p, "coordinates_source", "") == "surveyed"}
    for row in rows:
        place = existing.get(row["code"]) or Place(code=row["code"])
        place.name = tidy_place_name(row["name"])
        place.level = row["level"]
        places[place.code] = place
        if place.code in kept:
            continue
        place.latitude = float(row["latitude"]) if row["latitude"] else None
        place.longitude = float(row["longitude"]) if row["longitude"] else None
        place.coordinates_source = "surveyed" if row["latitude"] else "unknown"
    parents = {row["code"]: row["parent"] for row in rows}
    # Fill missing coordinates from the nearest ancestor that has them, scattered a little.
    for code, place in places.items():
        if place.latitude is not None or code in kept:
            continue
        ancestor = parents.get(code)
        while ancestor and (ancestor not in places or places[ancestor].latitude is None):
            ancestor = parents.get(ancestor)
        if ancestor:
            place.latitude, place.longitude = _scatter(code, places[ancestor].latitude, places[ancestor].longitude)
            place.coordinates_source = "estimated"
    for row in sites:
        place = existing.get(row["code"]) or Place(code=row["code"])
        place.name, place.level, place.is_resettlement_site = row["name"], "site", True
        if place.code not in kept:
            place.latitude, place.longitude = float(row["latitude"]), float(row["longitude"])
            place.coordinates_source = "estimated"
        places[place.code] = place
        parents[place.code] = row["parent"]
    parents.setdefault("520600000000", "520000000000")
    Place.objects.bulk_create([p for c, p in places.items() if c not in existing], batch_size=500)
    Place.objects.bulk_update(
        [p for c, p in places.items() if c in existing],
        ["name", "level", "latitude", "longitude", "is_resettlement_site"]
        + (["coordinates_source"] if tracks_source else []),
        batch_size=500,
    )
    saved = {p.code: p for p in Place.objects.all()}
    for code, place in saved.items():
        place.parent = saved.get(parents.get(code, ""))
    Place.objects.bulk_update(list(saved.values()), ["parent"], batch_size=500)
    return len(places)


def load_skills(SkillGroup, Skill, Occupation) -> int:
    groups = {}
    for row in read_csv("skill_groups.csv"):
        group, _created = SkillGroup.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
        groups[group.code] = group
    occupations = {o.code: o for o in Occupation.objects.filter(level=4)}
    count = 0
    for row in read_csv("skills.csv"):
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        skill, _created = Skill.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"].strip(),
                "group": groups[row["group"].strip()],
                "aliases": aliases,
                "description": (row.get("description") or "").strip(),
            },
        )
        codes = [c.strip() for c in (row.get("occupations") or "").split("|") if c.strip()]
        skill.occupations.set([occupations[c] for c in codes if c in occupations])
        count += 1
    return count


def load_all(*, Occupation, Place, SkillGroup, Skill) -> dict[str, int]:
    return {
        "occupations": load_occupations(Occupation),
        "places": load_places(Place),
        "skills": load_skills(SkillGroup, Skill, Occupation),
    }
