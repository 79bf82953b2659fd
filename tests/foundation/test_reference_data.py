"""The reference data loaded by migration: every classification code, the places, the skills."""

import csv
from collections import Counter

import pytest

from taxonomy.loaders import DATA_DIR
from taxonomy.models import Occupation, Place, Skill

pytestmark = pytest.mark.django_db


def test_every_row_of_the_2022_classification_is_loaded():
    with (DATA_DIR / "csco22.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2051
    codes = Counter(row["code"] for row in rows)
    # The source repeats four rows (same code and name); each code is loaded once.
    assert sorted(code for code, n in codes.items() if n > 1) == ["2-03-01-00", "4-12-04-02", "5-03-00-00",
                                                                  "6-20-05-03"]
    assert set(Occupation.objects.values_list("code", flat=True)) == set(codes)
    housekeeping = Occupation.objects.get(code="4-10-01-06")
    assert housekeeping.name == "家政服务员"
    assert housekeeping.parent.code == "4-10-01-00"


def test_places_and_sites_have_coordinates():
    pingxi = Place.objects.get(code="520622002000")
    assert pingxi.name == "平溪街道"
    for name in ("黄岔安置点", "康华社区", "七里塘村", "安坪村"):
        place = Place.objects.get(name=name)
        assert place.latitude is not None
        assert place.parent == pingxi
    assert Skill.objects.count() >= 150
