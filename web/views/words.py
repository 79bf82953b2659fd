"""Words residents typed that the coders did not know ("刮腻子"): kept on their profiles as typed and listed here
for liaison staff, who map each to an occupation or a skill in one step (the profiles and the coders follow)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.roles import Role
from residents.selectors import own_words_list
from residents.services import own_word_map
from stations.selectors import resident_place_scope
from taxonomy.coding import code_titles
from taxonomy.models import Occupation, Skill
from taxonomy.selectors import occupation_get

from .common import role_required

SUGGESTIONS = 4


def _occupation_chosen(post) -> Occupation | None:
    """The occupation typed (a code or a name) or else the suggestion picked."""
    typed = (post.get("occupation_typed") or "").strip()
    if typed:
        return occupation_get(code=typed) or Occupation.objects.filter(name=typed).order_by("-level").first()
    picked = (post.get("occupation") or "").strip()
    return occupation_get(code=picked) if picked else None


def _suggestions(words: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each word, the coder's best guesses as (code, name), best first."""
    suggested = {}
    for word, coded in zip(words, code_titles(words) if words else [], strict=True):
        guesses = [(coded.result.code, coded.result.name)] if coded.result.code else []
        guesses += [(code, name) for code, name, _p in coded.result.alternatives]
        suggested[word] = guesses[:SUGGESTIONS]
    return suggested


@require_http_methods(["GET", "POST"])
@role_required(Role.LIAISON)
def own_words(request):
    """The unknown words of my station's residents, the most used first; a POST maps one."""
    if request.method == "POST":
        word, kind = request.POST.get("word", ""), request.POST.get("kind", "")
        skill = Skill.objects.filter(pk=request.POST.get("skill") or None).first() \
            if (request.POST.get("skill") or "").isdigit() else None
        occupation = _occupation_chosen(request.POST) if kind == "occupation" else None
        try:
            changed = own_word_map(word=word, kind=kind, occupation=occupation, skill=skill, mapped_by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, _("“%(word)s” was not mapped: %(reason)s") % {"word": word, "reason": message})
        else:
            target = occupation.name if occupation is not None else skill.name
            messages.success(request, _("“%(word)s” now means %(target)s; %(n)s profiles updated.")
                             % {"word": word, "target": target, "n": changed})
        return redirect("web:liaison-own-words")
    words = own_words_list(place_scope=resident_place_scope(request.user))
    suggestions = _suggestions([w.word for w in words if w.kind == "occupation"])
    rows = [{"word": w, "suggestions": suggestions.get(w.word, [])} for w in words]
    skills = Skill.objects.select_related("group").order_by("group__name", "name")
    return render(request, "web/liaison/own_words.html", {"rows": rows, "skills": skills})
