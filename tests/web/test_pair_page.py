"""The liaison's page of one resident and one posting, reached from the resident's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_resident_page_links_to_the_pair(world, resident, clients):
    page = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert reverse("web:liaison-pair", args=[resident.pk, world.posting.pk]) in page
    pair = clients["liaison"].get(reverse("web:liaison-pair", args=[resident.pk, world.draft.pk]))
    assert pair.status_code == 200
    assert pair.context["pair"]["eligible"] is False
    lookup = clients["liaison"].get(reverse("web:liaison-pair-lookup", args=[resident.pk]),
                                    {"posting": world.draft.pk})
    assert lookup.status_code == 302
    assert clients["resident"].get(reverse("web:liaison-pair", args=[resident.pk, world.posting.pk])).status_code == 403
