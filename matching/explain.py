"""Turning the engine's codes into words a liaison worker or a resident can check (translated)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taxonomy.models import Skill
from training.models import Course

from .engine import Component, Exclusion, ExclusionReason, MatchNote, MatchResult

COMPONENT_LABELS = {
    Component.SKILLS: gettext_lazy("skills"),
    Component.OCCUPATION: gettext_lazy("occupation wanted"),
    Component.WAGE: gettext_lazy("wage"),
    Component.COMMUTE: gettext_lazy("commute"),
    Component.HOURS: gettext_lazy("working hours"),
    Component.PRIORITY: gettext_lazy("policy priority"),
}

REASON_TEXT = {
    ExclusionReason.POSTING_NOT_OPEN: gettext_lazy("The posting is not open."),
    ExclusionReason.POSTING_EXPIRED: gettext_lazy("The posting has expired."),
    ExclusionReason.POSTING_FULL: gettext_lazy("The posting has no openings left."),
    ExclusionReason.NOT_SEEKING_WORK: gettext_lazy("The resident is not looking for work."),
    ExclusionReason.TOO_YOUNG: gettext_lazy("The resident is younger than the posting's minimum age."),
    ExclusionReason.TOO_OLD: gettext_lazy("The resident is older than the posting's maximum age."),
    ExclusionReason.TOO_FAR: gettext_lazy("The workplace is farther than the resident is willing to travel."),
    ExclusionReason.OUTSIDE_COUNTY_NOT_ACCEPTED: gettext_lazy(
        "The job is outside the county and the resident does not accept that."
    ),
    ExclusionReason.HOME_BASED_NOT_ACCEPTED: gettext_lazy("The job is home-based and the resident does not want that."),
    ExclusionReason.MANDATORY_SKILL_MISSING: gettext_lazy("The resident lacks a skill the posting makes mandatory."),
}

NOTE_TEXT = {
    MatchNote.AGE_UNKNOWN: gettext_lazy("Age unknown: the age limits were not checked."),
    MatchNote.NO_COORDINATES: gettext_lazy("No location known: distance was not checked or scored."),
    MatchNote.DISTANCE_ESTIMATED: gettext_lazy(
        "About %(km)s km, estimated from the town a place belongs to: the distance counts for less."
    ),
    MatchNote.COUNTY_UNKNOWN: gettext_lazy("County unknown: the outside-county rule was not applied."),
    MatchNote.HOME_BASED: gettext_lazy("Home-based work: no commute."),
    MatchNote.NO_REQUIRED_SKILLS: gettext_lazy("The posting asks for no particular skill."),
    MatchNote.RELATED_SKILL_CREDIT: gettext_lazy("Partial credit for related skills of the same family."),
    MatchNote.NO_WANTED_OCCUPATIONS: gettext_lazy("The resident has named no occupation they want."),
    MatchNote.POSTING_HAS_NO_OCCUPATION: gettext_lazy("The posting has no occupation code."),
    MatchNote.NO_MINIMUM_WAGE: gettext_lazy("The resident has set no minimum wage."),
    MatchNote.POSTING_HAS_NO_WAGE: gettext_lazy("The posting states no wage."),
    MatchNote.WAGE_CONVERTED: gettext_lazy("The wage was converted to a monthly estimate."),
    MatchNote.PIECE_WAGE_POSTING_ESTIMATE: gettext_lazy(
        "Piece-rate pay: the monthly wage is the employer's estimate of monthly earnings."
    ),
    MatchNote.PIECE_WAGE_NO_ESTIMATE: gettext_lazy(
        "Piece-rate pay with no estimate of monthly earnings: the wage was scored as neutral."
    ),
    MatchNote.WAGE_BELOW_MINIMUM: gettext_lazy("The wage is below the resident's minimum."),
    MatchNote.CARE_DUTIES_FULL_TIME_ON_SITE: gettext_lazy(
        "Full-time on-site work is hard to combine with the resident's care duties."
    ),
    MatchNote.PRIORITY_ZERO_EMPLOYMENT: gettext_lazy("Priority: nobody in the household is in work."),
    MatchNote.PRIORITY_MONITORED: gettext_lazy("Priority: monitored household (监测户)."),
    MatchNote.PRIORITY_LIFTED: gettext_lazy("Priority: household lifted out of poverty (脱贫户)."),
}


# The same notes as a resident reads them about themself; None: not shown to residents (checks and
# policy priorities are for staff).
RESIDENT_NOTE_TEXT = {
    MatchNote.AGE_UNKNOWN: None,
    MatchNote.NO_COORDINATES: gettext_lazy("We do not know where you live, so distance was not counted."),
    MatchNote.DISTANCE_ESTIMATED: gettext_lazy("About %(km)s km: an estimate from the town, not an exact distance."),
    MatchNote.COUNTY_UNKNOWN: None,
    MatchNote.HOME_BASED: gettext_lazy("You can do this work at home."),
    MatchNote.NO_REQUIRED_SKILLS: gettext_lazy("No particular skill is needed."),
    MatchNote.RELATED_SKILL_CREDIT: gettext_lazy("Your skills of the same kind count in part."),
    MatchNote.NO_WANTED_OCCUPATIONS: gettext_lazy("Tell us what work you would like, and this list will fit you better."),
    MatchNote.POSTING_HAS_NO_OCCUPATION: None,
    MatchNote.NO_MINIMUM_WAGE: gettext_lazy("Tell us the lowest wage you would take, and this list will fit you better."),
    MatchNote.POSTING_HAS_NO_WAGE: gettext_lazy("The employer gives no wage."),
    MatchNote.WAGE_CONVERTED: gettext_lazy("The pay is counted as a monthly amount."),
    MatchNote.PIECE_WAGE_POSTING_ESTIMATE: gettext_lazy("Paid by the piece; the monthly amount is the employer's estimate."),
    MatchNote.PIECE_WAGE_NO_ESTIMATE: gettext_lazy("Paid by the piece; the employer gives no monthly estimate."),
    MatchNote.WAGE_BELOW_MINIMUM: gettext_lazy("The pay is below the lowest wage you asked for."),
    MatchNote.CARE_DUTIES_FULL_TIME_ON_SITE: gettext_lazy(
        "Full-time work away from home may be hard to combine with looking after your family."
    ),
    MatchNote.PRIORITY_ZERO_EMPLOYMENT: None,
    MatchNote.PRIORITY_MONITORED: None,
    MatchNote.PRIORITY_LIFTED: None,
}


def _km(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def note_text(note: MatchNote, *, distance_km: float | None = None, for_resident: bool = False) -> str | None:
    """The words of a note (None: not shown to the resident it is about); some name the pair's values."""
    text = (RESIDENT_NOTE_TEXT if for_resident else NOTE_TEXT)[note]
    if text is None:
        return None
    if note == MatchNote.DISTANCE_ESTIMATED:
        return str(text) % {"km": _km(distance_km)}
    return str(text)


def notes_for_resident(notes: list[dict], *, distance_km: float | None = None) -> list[dict]:
    """Explanation notes ({"code", "text"}) reworded for the resident they are about; staff-only ones dropped."""
    worded = []
    for note in notes:
        try:
            text = note_text(MatchNote(note["code"]), distance_km=distance_km, for_resident=True)
        except (KeyError, ValueError):
            continue  # a code from an older stored explanation: leave it out rather than guess
        if text is not None:
            worded.append({"code": note["code"], "text": text})
    return worded


def _names(model, ids) -> dict[int, str]:
    ids = set(ids)
    return dict(model.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


def results_as_dicts(results: list[MatchResult]) -> list[dict]:
    """Results with skill and course names and translated reasons, for the API and stored recommendations."""
    skill_ids = set()
    course_ids = set()
    for result in results:
        skill_ids.update(result.matched_skills, result.missing_skills, result.missing_preferred, result.related_skills)
        course_ids.update(result.courses_for_missing)
    skill_names = _names(Skill, skill_ids)
    course_names = _names(Course, course_ids)

    def skills(ids):
        return [{"id": sid, "name": skill_names.get(sid, "")} for sid in ids]

    return [
        {
            "resident_id": r.resident_id,
            "job_id": r.job_id,
            "score": round(r.score, 4),
            "components": [
                {
                    "name": str(c.name),
                    "label": str(COMPONENT_LABELS[c.name]),
                    "value": round(c.value, 4),
                    "weight": round(c.weight, 4),
                    "contribution": round(c.contribution, 4),
                }
                for c in r.components
            ],
            "matched_skills": skills(r.matched_skills),
            "related_skills": skills(r.related_skills),
            "missing_skills": skills(r.missing_skills),
            "missing_preferred_skills": skills(r.missing_preferred),
            "courses_for_missing": [{"id": cid, "name": course_names.get(cid, "")} for cid in r.courses_for_missing],
            "distance_km": None if r.distance_km is None else round(r.distance_km, 1),
            "monthly_wage_estimate": None if r.monthly_wage_estimate is None else round(r.monthly_wage_estimate),
            "distance_estimated": MatchNote.DISTANCE_ESTIMATED in r.notes,
            "notes": [{"code": str(n), "text": note_text(n, distance_km=r.distance_km)} for n in r.notes],
            "summary": summary(r, skill_names),
        }
        for r in results
    ]


def summary(result: MatchResult, skill_names: dict[int, str]) -> str:
    """One plain sentence: the strongest reasons first, then what is missing."""
    parts = []
    top = sorted(result.components, key=lambda c: c.contribution, reverse=True)[:2]
    parts.append(_("Best on: %(parts)s.") % {"parts": "、".join(str(COMPONENT_LABELS[c.name]) for c in top)})
    if result.matched_skills:
        parts.append(_("Has: %(skills)s.") % {"skills": "、".join(skill_names.get(s, "") for s in result.matched_skills)})
    if result.missing_skills:
        parts.append(_("Missing: %(skills)s.") % {"skills": "、".join(skill_names.get(s, "") for s in result.missing_skills)})
    if result.distance_km is not None and MatchNote.DISTANCE_ESTIMATED in result.notes:
        parts.append(_("About %(km)s km away (estimated from the town).") % {"km": _km(result.distance_km)})
    elif result.distance_km is not None:
        parts.append(_("About %(km)s km away.") % {"km": _km(result.distance_km)})
    return " ".join(parts)


def exclusion_as_dict(exclusion: Exclusion) -> dict:
    return {
        "resident_id": exclusion.resident_id,
        "job_id": exclusion.job_id,
        "excluded": True,
        "reasons": [{"code": str(r), "text": str(REASON_TEXT[r])} for r in exclusion.reasons],
        "notes": [{"code": str(n), "text": note_text(n)} for n in exclusion.notes],
    }
