"""Page views: each checks the role and reads through selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from config.roles import user_roles


@login_required
def home(request):
    return render(request, "web/home.html", {"roles": sorted(user_roles(request.user))})
