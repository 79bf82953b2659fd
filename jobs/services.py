"""Writes for employers and job postings: atomic, validated, returning the object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import fire
from freshness.models import Domain
from freshness.services import version_bump
from taxonomy.coding import OCCUPATION_MIN_CONFIDENCE, code_titles, skills_from_texts
from taxonomy.identifiers import IdentifierError, normalise_contact_phone, validate_uscc
from taxonomy.models import OccupationCorrection, Place, Skill
from taxonomy.services import occupation_correction_record
from taxonomy.validators import USCC_MESSAGES

from .models import Employer, JobPosting, JobSkill, WageUnit

EMPLOYER_FIELDS = ("name", "uscc", "place", "address", "contact_name", "contact_phone", "is_poverty_workshop")
POSTING_FIELDS = (
    "title", "occupation", "occupation_confidence", "description", "openings", "wage_min", "wage_max", "wage_unit",
    "piece_monthly_estimate", "work_mode", "work_time", "place", "hours_per_day", "hours_note", "age_min", "age_max",
    "valid_until",
)


@dataclass(frozen=True)
class SkillRequirementInput:
    """A skill a posting asks for, as given to services."""

    skill: Skill
    level: int = 1
    kind: str = JobSkill.Kind.REQUIRED
    mandatory: bool = False


def _validate_employer(employer: Employer) -> None:
    """Normalise and check every field at once: the credit code, the phone and the model's own rules are reported
    together, not one after the other."""
    employer.name = (employer.name or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        employer.uscc = validate_uscc(employer.uscc)
    except IdentifierError as exc:
        errors["uscc"] = [USCC_MESSAGES[exc.code]]
    employer.contact_phone = normalise_contact_phone(employer.contact_phone or "")  # a mobile or a landline
    try:
        employer.full_clean(exclude=["uscc"] if errors else None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def employer_create(*, name: str, uscc: str, place: Place, created_by=None, **fields: Any) -> Employer:
    employer = Employer(name=name, uscc=uscc, place=place, created_by=created_by, **fields)
    _validate_employer(employer)
    employer.save()
    version_bump(Domain.POSTINGS)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, data: dict[str, Any]) -> Employer:
    for field in EMPLOYER_FIELDS:
        if field in data:
            setattr(employer, field, data[field])
    _validate_employer(employer)
    employer.save()
    # An employer's name and place show with its postings (records, workbook).
    version_bump(Domain.POSTINGS, *employer.postings.values_list("pk", flat=True))
    return employer


def _code_occupation(posting: JobPosting) -> None:
    coded = code_titles([posting.title])[0]
    if coded.occupation is not None and coded.result.confidence >= OCCUPATION_MIN_CONFIDENCE:
        posting.occupation = coded.occupation
        posting.occupation_confidence = round(coded.result.confidence, 3)


def _with_skill_texts(
    skills: list[SkillRequirementInput], skill_texts: Iterable[str]
) -> tuple[list[SkillRequirementInput], list[str]]:
    """Add the skills that free texts resolve to (required, level 1) unless listed; return the rest."""
    resolved, unresolved = skills_from_texts(list(skill_texts))
    listed = {item.skill.pk for item in skills}
    return skills + [SkillRequirementInput(skill=s) for s in resolved if s.pk not in listed], unresolved


def _validate_posting(posting: JobPosting) -> None:
    errors: dict[str, list[str]] = {}
    if posting.wage_min is not None and posting.wage_max is not None and posting.wage_max < posting.wage_min:
        errors["wage_max"] = [_("The maximum wage cannot be lower than the minimum wage.")]
    if posting.age_min is not None and posting.age_max is not None and posting.age_max < posting.age_min:
        errors["age_max"] = [_("The maximum age cannot be lower than the minimum age.")]
    for field in ("age_min", "age_max"):
        value = getattr(posting, field)
        if value is not None and not 16 <= value <= 70:
            errors[field] = [_("Age limits must be between 16 and 70.")]
    if posting.openings is not None and posting.filled is not None and posting.openings < posting.filled:
        errors["openings"] = [_("Openings cannot be fewer than the places already filled (%(filled)s).")
                              % {"filled": posting.filled}]
    if posting.hours_per_day is not None and not 0 < posting.hours_per_day <= 24:
        errors["hours_per_day"] = [_("Hours per day must be more than 0 and at most 24.")]
    ceiling = settings.WAGE_CEILINGS.get(posting.wage_unit)
    for field in ("wage_min", "wage_max"):
        value = getattr(posting, field)
        if value is not None and value < 0:
            errors[field] = [_("A wage cannot be negative.")]
        elif value is not None and ceiling is not None and value > ceiling:
            errors[field] = [_("More than %(ceiling)s元 %(unit)s is not a plausible wage; please check the amount "
                               "and the wage unit.") % {"ceiling": f"{ceiling:,}", "unit": WageUnit(posting.wage_unit).label}]
    estimate = posting.piece_monthly_estimate
    if estimate is not None and posting.wage_unit != WageUnit.PIECE:
        # Refused rather than dropped: the clerk meant something by it, and a stale estimate must not
        # survive a change of wage unit.
        errors["piece_monthly_estimate"] = [_("An estimate of monthly earnings is only for piece-rate postings.")]
    elif estimate is not None and estimate < 0:
        errors["piece_monthly_estimate"] = [_("The estimated monthly earnings cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    posting.title = (posting.title or "").strip()
    # The checks above give the friendly messages for every CheckConstraint, which the database still
    # enforces; validating them again here would cost a query and a savepoint each.
    posting.full_clean(validate_constraints=False)


@transaction.atomic
def posting_skills_set(*, posting: JobPosting, skills: Iterable[SkillRequirementInput]) -> list[JobSkill]:
    """Replace a posting's skills with the given list (the last mention of a skill wins)."""
    by_skill: dict[int, SkillRequirementInput] = {item.skill.pk: item for item in skills}
    links = []
    for item in by_skill.values():
        if item.mandatory and item.kind != JobSkill.Kind.REQUIRED:
            raise ValidationError({"skills": [_("Only a required skill can be mandatory.")]})
        link = JobSkill(posting=posting, skill=item.skill, level=item.level, kind=item.kind, mandatory=item.mandatory)
        link.full_clean(exclude=["posting"], validate_unique=False, validate_constraints=False)
        links.append(link)
    for link in links:
        if not 1 <= link.level <= 5:
            raise ValidationError({"skills": [_("A skill level is between 1 and 5.")]})
    JobSkill.objects.filter(posting=posting).delete()
    links = JobSkill.objects.bulk_create(links)
    version_bump(Domain.POSTINGS, posting.pk)
    return links


@transaction.atomic
def posting_create(
    *,
    employer: Employer,
    title: str,
    posted_by=None,
    skills: Iterable[SkillRequirementInput] = (),
    skill_texts: Iterable[str] = (),
    unresolved_skill_texts: Iterable[str] = (),
    publish: bool = False,
    **fields: Any,
) -> JobPosting:
    """Create a posting. Without an occupation the title is coded to one; free skill texts are
    resolved to skills (required, level 1) and whatever cannot be resolved is kept and reported."""
    unknown = set(fields) - set(POSTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown posting fields: {sorted(unknown)}")
    posting = JobPosting(employer=employer, title=title, posted_by=posted_by, **fields)
    if posting.occupation_id is None and (title or "").strip():
        _code_occupation(posting)
    skills, unresolved = _with_skill_texts(list(skills), skill_texts)
    posting.unresolved_skill_texts = sorted({t for t in [*unresolved_skill_texts, *unresolved] if t})
    if posting.place_id is None:
        posting.place = employer.place
    _validate_posting(posting)
    posting.save()
    posting_skills_set(posting=posting, skills=skills)
    version_bump(Domain.POSTINGS, posting.pk)
    if publish:
        posting = posting_publish(posting=posting)
    return posting


@transaction.atomic
def posting_update(
    *,
    posting: JobPosting,
    data: dict[str, Any],
    changed_by=None,
    correction_source: str = OccupationCorrection.Source.POSTING_EDIT,
) -> JobPosting:
    """Change a posting. An occupation changed by hand is also kept as a correction the title coder
    learns from (`correction_source` says how it was chosen; `changed_by` who chose it)."""
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    title_changed = "title" in data and data["title"] != posting.title
    previous_occupation = posting.occupation
    for field in POSTING_FIELDS:
        if field in data:
            setattr(posting, field, data[field])
    if title_changed and "occupation" not in data:
        posting.occupation, posting.occupation_confidence = None, None
        _code_occupation(posting)
    elif "occupation" in data and "occupation_confidence" not in data:
        posting.occupation_confidence = None  # chosen by a person, not coded
    if "unresolved_skill_texts" in data:
        posting.unresolved_skill_texts = sorted({t for t in data["unresolved_skill_texts"] if t})
    if "skill_texts" in data:
        current = data.get("skills")
        if current is None:
            current = [
                SkillRequirementInput(skill=link.skill, level=link.level, kind=link.kind, mandatory=link.mandatory)
                for link in posting.skill_links.select_related("skill")
            ]
        data = {**data, "skills": current}
        data["skills"], unresolved = _with_skill_texts(list(current), data["skill_texts"])
        posting.unresolved_skill_texts = sorted(set(posting.unresolved_skill_texts) | set(unresolved))
    _validate_posting(posting)
    if posting.status == JobPosting.Status.FILLED and posting.openings_remaining > 0:
        posting.status = JobPosting.Status.OPEN
    posting.save()
    if (
        "occupation" in data
        and posting.occupation is not None
        and posting.occupation != previous_occupation
        and posting.title
    ):
        occupation_correction_record(
            title=posting.title,
            occupation=posting.occupation,
            source=correction_source,
            coded_as=previous_occupation.code if previous_occupation else "",
            created_by=changed_by,
        )
    if "skills" in data:
        posting_skills_set(posting=posting, skills=data["skills"])
    version_bump(Domain.POSTINGS, posting.pk)
    fire("matching.tasks.posting_rerank", posting.pk)
    return posting


@transaction.atomic
def posting_publish(*, posting: JobPosting) -> JobPosting:
    """Open a draft or closed posting to matching; refuses one that is full or already expired."""
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    if posting.status == JobPosting.Status.OPEN:
        return posting
    if posting.openings_remaining <= 0:
        raise ValidationError({"openings": [_("A posting with no openings left cannot be published.")]})
    if posting.valid_until and posting.valid_until < timezone.localdate():
        raise ValidationError({"valid_until": [_("The posting has already expired; extend its date first.")]})
    posting.status = JobPosting.Status.OPEN
    posting.published_at = posting.published_at or timezone.now()
    posting.save(update_fields=["status", "published_at", "updated_at"])
    version_bump(Domain.POSTINGS, posting.pk)
    fire("matching.tasks.posting_rerank", posting.pk)
    return posting


@transaction.atomic
def posting_close(*, posting: JobPosting) -> JobPosting:
    posting = JobPosting.objects.select_for_update(no_key=True).get(pk=posting.pk)
    if posting.status in (JobPosting.Status.DRAFT, JobPosting.Status.OPEN):
        posting.status = JobPosting.Status.CLOSED
        posting.save(update_fields=["status", "updated_at"])
        version_bump(Domain.POSTINGS, posting.pk)
        fire("matching.tasks.posting_rerank", posting.pk)
    return posting


@transaction.atomic
def employer_delete(*, employer: Employer) -> None:
    """Delete an employer that never posted a job; one with postings stays, for the records."""
    if JobPosting.objects.filter(employer=employer).exists():
        raise ValidationError(_("An employer with job postings cannot be deleted."))
    employer.delete()
    version_bump(Domain.POSTINGS)


@transaction.atomic
def posting_delete(*, posting: JobPosting) -> None:
    """Delete a draft; a posting that was ever published is closed instead, so its history stays."""
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if posting.status != JobPosting.Status.DRAFT or posting.published_at is not None:
        raise ValidationError(_("Only a draft posting can be deleted; close it instead."))
    posting_id = posting.pk
    posting.delete()
    version_bump(Domain.POSTINGS, posting_id)


@transaction.atomic
def postings_expire(*, today=None) -> int:
    """Close every open posting whose last valid day has passed; returns how many (idempotent)."""
    today = today or timezone.localdate()
    expired = list(JobPosting.objects.select_for_update(no_key=True)
                   .filter(status=JobPosting.Status.OPEN, valid_until__lt=today).values_list("pk", flat=True))
    closed = JobPosting.objects.filter(pk__in=expired).update(status=JobPosting.Status.CLOSED,
                                                               updated_at=timezone.now())
    if closed:
        version_bump(Domain.POSTINGS, *expired)
    return closed
