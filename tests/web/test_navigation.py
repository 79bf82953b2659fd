"""The staff navigation: what each role may open, the liaison's many sections folded into three menus."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html.split('data-testid="nav"', 1)[1].split("</nav>", 1)[0]


def _top_level(nav: str) -> list[str]:
    """The entries in sight: links outside the menus, and the menus themselves."""
    outside = re.sub(r"<details.*?</details>", lambda m: re.search(r'data-testid="([^"]+)"', m.group(0)).group(0),
                     nav, flags=re.S)
    return re.findall(r'data-testid="(nav-[^"]+)"', outside)


def test_the_liaison_sees_a_short_bar_and_every_section_in_a_menu(clients):
    nav = _nav(clients["liaison"].get(reverse("web:liaison-postings")).content.decode())
    top = _top_level(nav)
    assert top == ["nav-liaison-search", "nav-liaison-postings", "nav-liaison-followups", "nav-desk-reception",
                   "nav-group-matching", "nav-group-station", "nav-group-data", "nav-dashboard", "nav-notifications"]
    for name in ("liaison-interests", "liaison-recommendations", "liaison-assignments", "liaison-sessions",
                 "desk-requests", "desk-suggestions", "desk-rota", "liaison-imports", "liaison-outcome-imports",
                 "liaison-own-words", "places"):
        assert f'data-testid="nav-{name}"' in nav, name
    assert "推荐与培训" in nav
    assert "站务" in nav
    assert "导入与词表" in nav
    assert 'class="nav-group"' in nav  # none of the menus holds the jobs page


def test_the_menu_holding_the_page_is_marked(clients):
    nav = _nav(clients["liaison"].get(reverse("web:liaison-sessions")).content.decode())
    assert 'class="nav-group active" data-testid="nav-group-matching"' in nav
    assert 'aria-current="page" data-testid="nav-liaison-sessions"' in nav


@pytest.mark.parametrize(("role", "count"), [("bureau", 7), ("deputy", 5)])
def test_a_few_sections_stay_side_by_side(clients, role, count):
    page = clients[role].get(reverse("web:dashboard")).content.decode()
    nav = _nav(page)
    assert "<details" not in nav
    assert len(_top_level(nav)) == count
