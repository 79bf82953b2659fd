"""What is new for a staff member since they last looked (the badge in the navigation): residents' interests in
jobs, follow-ups come due, their imports finished. Opening the page shows them and marks them seen."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from config.roles import Role, has_role
from stations.notifications import last_seen, new_followups_due, new_imports_finished, new_interests
from stations.selectors import residents_visible_to
from stations.services import notifications_mark_seen

from .common import role_required
from .imports import KINDS

SHOWN = 20


@require_GET
@role_required(Role.LIAISON, Role.BUREAU)
def notifications(request):
    user = request.user
    since = last_seen(user)
    liaison = has_role(user, Role.LIAISON)
    interests, due = [], []
    if liaison:
        residents = residents_visible_to(user)
        interests = list(new_interests(residents, since)[:SHOWN])
        due = list(new_followups_due(residents, since, timezone.localdate())[:SHOWN])
    imports = list(new_imports_finished(user, since)[:SHOWN])
    for job in imports:
        job.url = reverse(KINDS[job.kind].url_name, args=[job.pk])
    notifications_mark_seen(user=user)
    return render(request, "web/notifications.html", {
        "since": since, "liaison": liaison, "interests": interests, "due": due, "imports": imports})
