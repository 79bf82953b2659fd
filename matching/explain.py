"""Turning the engine's codes into words a liaison worker or a resident can check (translated)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.wages import monthly_estimate_text
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
    """Kilometres as people say them: 44, 2.5, 5 (not 5.0)."""
    if value is None:
        return "?"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


# The wage notes with the monthly figure itself, when the match carries it.
WAGE_FIGURE_TEXT = {
    (MatchNote.WAGE_CONVERTED, False): gettext_lazy("The wage was converted to a monthly estimate: %(wage)s."),
    (MatchNote.WAGE_CONVERTED, True): gettext_lazy("The pay is counted as %(wage)s."),
    (MatchNote.PIECE_WAGE_POSTING_ESTIMATE, False): gettext_lazy(
        "Piece-rate pay: the monthly wage is the employer's estimate of monthly earnings, %(wage)s."),
    (MatchNote.PIECE_WAGE_POSTING_ESTIMATE, True): gettext_lazy(
        "Paid by the piece; the employer estimates %(wage)s."),
}


def note_text(note: MatchNote, *, distance_km: float | None = None, monthly_wage: float | None = None,
              for_resident: bool = False) -> str | None:
    """The words of a note (None: not shown to the resident it is about); some name the pair's values."""
    text = (RESIDENT_NOTE_TEXT if for_resident else NOTE_TEXT)[note]
    if text is None:
        return None
    if note == MatchNote.DISTANCE_ESTIMATED:
        return str(text) % {"km": _km(distance_km)}
    figure = WAGE_FIGURE_TEXT.get((note, for_resident))
    if figure is not None and monthly_wage is not None:
        return str(figure) % {"wage": monthly_estimate_text(monthly_wage)}
    return str(text)


def notes_for_resident(notes: list[dict], *, distance_km: float | None = None,
                       monthly_wage: float | None = None) -> list[dict]:
    """Explanation notes ({"code", "text"}) reworded for the resident they are about; staff-only ones dropped."""
    worded = []
    for note in notes:
        try:
            text = note_text(MatchNote(note["code"]), distance_km=distance_km, monthly_wage=monthly_wage,
                             for_resident=True)
        except (KeyError, ValueError):
            continue  # a code from an older stored explanation: leave it out rather than guess
        if text is not None:
            worded.append({"code": note["code"], "text": text})
    return worded


# Qualities an employer asks for that nobody can show or learn in a course: never shown as a "missing skill"
# (telling a resident they lack 吃苦耐劳 is neither true nor useful). They still count in the ranking.
SOFT_QUALITY_CODES = frozenset({
    "gen.physical", "gen.teamwork", "gen.communication", "gen.discipline", "gen.learning", "gen.patience",
    "gen.service_attitude",
})


def _soft_quality_ids() -> frozenset[int]:
    return frozenset(Skill.objects.filter(code__in=SOFT_QUALITY_CODES).values_list("id", flat=True))


def _names(model, ids) -> dict[int, str]:
    ids = set(ids)
    return dict(model.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


LEARNED_LABELS = {
    "hire": gettext_lazy("Hiring in similar recommendations"),
    "retention": gettext_lazy("Chance of staying in work"),
}


def _level(probability: float, base: float | None) -> str:
    """Words for a probability against the station's usual rate."""
    if not base:
        return str(gettext_lazy("as usual"))
    ratio = probability / base
    if ratio >= 1.3:
        return str(gettext_lazy("better than usual"))
    if ratio <= 0.7:
        return str(gettext_lazy("worse than usual"))
    return str(gettext_lazy("as usual"))


def learned_words(result: MatchResult, *, hire_base: float | None, retention_base: float | None) -> list[dict]:
    """The learned part in words, for staff (residents never read probabilities about themselves)."""
    if result.hire_probability is None:
        return []
    words = [{
        "code": "hire", "label": str(LEARNED_LABELS["hire"]),
        "text": _("%(level)s (about %(percent)s of such recommendations end in a hire)")
        % {"level": _level(result.hire_probability, hire_base), "percent": f"{result.hire_probability:.0%}"},
    }]
    if result.retention_probability is not None:
        words.append({
            "code": "retention", "label": str(LEARNED_LABELS["retention"]),
            "text": _("%(level)s (about %(percent)s of such hires are still in work after 90 days)")
            % {"level": _level(result.retention_probability, retention_base),
               "percent": f"{result.retention_probability:.0%}"},
        })
    return words


def for_resident(match: dict) -> dict:
    """A match as the resident it is about reads it: notes in the second person, no staff-only checks, and no
    probabilities about themself."""
    worded = {**match, "hire_probability": None, "retention_probability": None, "learned": []}
    worded["notes"] = notes_for_resident(match.get("notes", []), distance_km=match.get("distance_km"),
                                         monthly_wage=match.get("monthly_wage_estimate"))
    return worded


def results_as_dicts(results: list[MatchResult], *, hire_base: float | None = None,
                     retention_base: float | None = None) -> list[dict]:
    """Results with skill and course names and translated reasons, for the API and stored recommendations."""
    skill_ids = set()
    course_ids = set()
    for result in results:
        skill_ids.update(result.matched_skills, result.missing_skills, result.missing_preferred, result.related_skills)
        course_ids.update(result.courses_for_missing)
    skill_names = _names(Skill, skill_ids)
    course_names = _names(Course, course_ids)
    soft = _soft_quality_ids() if skill_ids else frozenset()

    def skills(ids):
        return [{"id": sid, "name": skill_names.get(sid, "")} for sid in ids]

    def lacking(ids):
        return [{"id": sid, "name": skill_names.get(sid, "")} for sid in ids if sid not in soft]

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
            "missing_skills": lacking(r.missing_skills),
            "missing_preferred_skills": lacking(r.missing_preferred),
            "courses_for_missing": [{"id": cid, "name": course_names.get(cid, "")} for cid in r.courses_for_missing],
            "distance_km": None if r.distance_km is None else round(r.distance_km, 1),
            "monthly_wage_estimate": None if r.monthly_wage_estimate is None else round(r.monthly_wage_estimate),
            "distance_estimated": MatchNote.DISTANCE_ESTIMATED in r.notes,
            "notes": [{"code": str(n), "text": note_text(n, distance_km=r.distance_km,
                                                         monthly_wage=r.monthly_wage_estimate)} for n in r.notes],
            "summary": summary(r, skill_names, soft),
            "rule_score": round(r.rule_score if r.rule_score is not None else r.score, 4),
            "hire_probability": None if r.hire_probability is None else round(r.hire_probability, 4),
            "retention_probability": None if r.retention_probability is None else round(r.retention_probability, 4),
            "learned": learned_words(r, hire_base=hire_base, retention_base=retention_base),
        }
        for r in results
    ]


def summary(result: MatchResult, skill_names: dict[int, str], soft: frozenset[int] = frozenset()) -> str:
    """One plain sentence: the strongest reasons first, then what is missing."""
    parts = []
    top = sorted(result.components, key=lambda c: c.contribution, reverse=True)[:2]
    parts.append(_("Best on: %(parts)s.") % {"parts": "、".join(str(COMPONENT_LABELS[c.name]) for c in top)})
    if result.matched_skills:
        parts.append(_("Has: %(skills)s.") % {"skills": "、".join(skill_names.get(s, "") for s in result.matched_skills)})
    missing = [s for s in result.missing_skills if s not in soft]
    if missing:
        parts.append(_("Missing: %(skills)s.") % {"skills": "、".join(skill_names.get(s, "") for s in missing)})
    if result.distance_km is not None and MatchNote.DISTANCE_ESTIMATED in result.notes:
        parts.append(_("About %(km)s km away (estimated from the town).") % {"km": _km(result.distance_km)})
    elif result.distance_km is not None:
        parts.append(_("About %(km)s km away.") % {"km": _km(result.distance_km)})
    return " ".join(parts)


EXCLUSION_DETAIL = {
    ExclusionReason.POSTING_NOT_OPEN: gettext_lazy("The posting is “%(status)s”, not open for recommendations."),
    ExclusionReason.POSTING_EXPIRED: gettext_lazy("The posting was valid until %(date)s and has expired."),
    ExclusionReason.POSTING_FULL: gettext_lazy("All %(openings)s openings of the posting are filled."),
    ExclusionReason.NOT_SEEKING_WORK: gettext_lazy("The resident is “%(status)s”, not looking for work."),
    ExclusionReason.TOO_YOUNG: gettext_lazy("Age %(age)s, below the posting's minimum of %(limit)s."),
    ExclusionReason.TOO_OLD: gettext_lazy("Age %(age)s, above the posting's maximum of %(limit)s."),
    ExclusionReason.TOO_FAR: gettext_lazy("About %(km)s km away, beyond the %(limit)s km the resident accepts."),
    ExclusionReason.OUTSIDE_COUNTY_NOT_ACCEPTED: gettext_lazy(
        "The work is in %(place)s, outside the county, which the resident does not accept."),
    ExclusionReason.HOME_BASED_NOT_ACCEPTED: gettext_lazy(
        "The work is done at home, which the resident does not want."),
    ExclusionReason.MANDATORY_SKILL_MISSING: gettext_lazy("Lacks a skill the posting requires: %(skills)s."),
}


TOO_FAR_ESTIMATED = gettext_lazy(
    "About %(km)s km away (estimated from the town), beyond the %(limit)s km the resident accepts.")


def exclusion_details(reasons, *, resident, posting, profile, job, distance_km: float | None,
                      distance_estimated: bool) -> list[dict]:
    """Each hard rule that rules the pair out, with a message that names the values (缺少必备技能：电工证;
    距离约72公里，超过本人可接受的5公里; 年龄58岁，超过岗位上限50岁)."""
    from taxonomy.models import Place

    details = []
    for reason in reasons:
        values: dict = {}
        if reason == ExclusionReason.POSTING_NOT_OPEN:
            values = {"status": posting.get_status_display()}
        elif reason == ExclusionReason.POSTING_EXPIRED:
            values = {"date": posting.valid_until.isoformat() if posting.valid_until else "?"}
        elif reason == ExclusionReason.POSTING_FULL:
            values = {"openings": posting.openings}
        elif reason == ExclusionReason.NOT_SEEKING_WORK:
            values = {"status": resident.get_employment_status_display()}
        elif reason in (ExclusionReason.TOO_YOUNG, ExclusionReason.TOO_OLD):
            limit = job.age_min if reason == ExclusionReason.TOO_YOUNG else job.age_max
            values = {"age": profile.age, "limit": limit}
        elif reason == ExclusionReason.TOO_FAR:
            values = {"km": _km(distance_km), "limit": _km(profile.max_commute_km)}
        elif reason == ExclusionReason.OUTSIDE_COUNTY_NOT_ACCEPTED:
            county = Place.objects.filter(code=f"{job.county_code}000000").values_list("name", flat=True).first()
            values = {"place": county or (posting.place.name if posting.place else "?")}
        elif reason == ExclusionReason.MANDATORY_SKILL_MISSING:
            held = dict(profile.skills)
            missing = [req.skill_id for req in job.skills if req.mandatory and held.get(req.skill_id, 0) < req.level]
            values = {"skills": "、".join(_names(Skill, missing).get(i, "?") for i in missing)}
        template = EXCLUSION_DETAIL[reason]
        if reason == ExclusionReason.TOO_FAR and distance_estimated:
            template = TOO_FAR_ESTIMATED
        message = str(template) % values
        details.append({"code": str(reason), "message": message, "text": str(REASON_TEXT[reason])})
    return details


def exclusion_as_dict(exclusion: Exclusion) -> dict:
    return {
        "resident_id": exclusion.resident_id,
        "job_id": exclusion.job_id,
        "excluded": True,
        "reasons": [{"code": str(r), "text": str(REASON_TEXT[r])} for r in exclusion.reasons],
        "notes": [{"code": str(n), "text": note_text(n)} for n in exclusion.notes],
    }
