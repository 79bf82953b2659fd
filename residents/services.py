"""Writes for households and residents: every one atomic, validated, returning the object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.tasks import fire
from freshness.models import Domain
from freshness.services import version_bump
from taxonomy.coding import skills_from_texts
from taxonomy.identifiers import IdentifierError, mask_id_number, mask_phone, parse_id_number, validate_phone
from taxonomy.models import Occupation, OccupationCorrection, Place, Skill
from taxonomy.services import occupation_correction_record, skill_alias_add
from taxonomy.validators import ID_NUMBER_MESSAGES, PHONE_MESSAGE

from . import pii
from .models import Household, PiiRevealLog, Resident, ResidentSkill


@dataclass(frozen=True)
class SkillLevel:
    """A skill with a level, as given to services."""

    skill: Skill
    level: int = 2


def name_initials(name: str) -> str:
    """Pinyin initials for search: 王小芳 → wxf."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries are large: loaded on first use

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()[:40]


def _apply_id_number(resident: Resident, raw: str) -> None:
    try:
        info = parse_id_number(raw)
    except IdentifierError as exc:
        raise ValidationError({"id_number": [ID_NUMBER_MESSAGES[exc.code]]}) from None
    digest = pii.lookup_hash(info.number)
    clash = Resident.objects.filter(id_number_hash=digest)
    if resident.pk:
        clash = clash.exclude(pk=resident.pk)
    if clash.exists():
        raise ValidationError({"id_number": [_("A resident with this ID number is already registered.")]})
    resident.id_number_encrypted = pii.encrypt(info.number)
    resident.id_number_hash = digest
    resident.id_number_masked = mask_id_number(info.number)
    resident.birth_date = info.birth_date
    resident.sex = info.sex


def _apply_phone(resident: Resident, raw: str) -> None:
    if not raw:
        resident.phone_encrypted = resident.phone_hash = resident.phone_masked = ""
        return
    try:
        phone = validate_phone(raw)
    except IdentifierError:
        raise ValidationError({"phone": [PHONE_MESSAGE]}) from None
    resident.phone_encrypted = pii.encrypt(phone)
    resident.phone_hash = pii.lookup_hash(phone)
    resident.phone_masked = mask_phone(phone)


def with_skill_texts(skills: list[SkillLevel], skill_texts: Iterable[str]) -> tuple[list[SkillLevel], list[str]]:
    """Add self-reported skills (level 2) that free texts resolve to unless listed; return the rest."""
    resolved, unresolved = skills_from_texts(list(skill_texts))
    listed = {item.skill.pk for item in skills}
    return skills + [SkillLevel(skill=s, level=2) for s in resolved if s.pk not in listed], unresolved


RESIDENT_EDITABLE = (
    "name", "ethnicity", "education", "employment_status", "has_disability", "disability_note", "care_duties",
    "consent_share_with_employers", "min_monthly_wage", "max_commute_km", "accepts_home_based",
    "accepts_outside_county", "work_time", "notes", "household",
)


@transaction.atomic
def household_create(*, number: str, site: Place, poverty_status: str = "none", address: str = "",
                     relocated_on=None) -> Household:
    household = Household(number=number.strip(), site=site, poverty_status=poverty_status, address=address,
                          relocated_on=relocated_on)
    household.full_clean()
    household.save()
    version_bump(Domain.RESIDENTS)  # a household with nobody in work yet counts in the figures
    return household


@transaction.atomic
def household_update(*, household: Household, data: dict[str, Any]) -> Household:
    for field in ("number", "site", "poverty_status", "address", "relocated_on"):
        if field in data:
            setattr(household, field, data[field])
    household.full_clean()
    household.save()
    # The site and the poverty status are part of every member's profile.
    version_bump(Domain.RESIDENTS, *household.members.values_list("pk", flat=True))
    return household


@transaction.atomic
def resident_create(
    *,
    household: Household,
    name: str,
    id_number: str,
    phone: str = "",
    skills: Iterable[SkillLevel] = (),
    skill_texts: Iterable[str] = (),
    unresolved_skill_texts: Iterable[str] = (),
    wanted_occupations: Iterable[Occupation] = (),
    unresolved_occupation_texts: Iterable[str] = (),
    user=None,
    **fields: Any,
) -> Resident:
    """Register a resident. Free skill texts ("会编藤椅、做保洁") are resolved to self-reported skills at
    level 2; texts that resolve to nothing are kept in `unresolved_skill_texts` for staff to review."""
    unknown = set(fields) - set(RESIDENT_EDITABLE)
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    resident = Resident(household=household, name=name.strip(), user=user, **fields)
    resident.name_initials = name_initials(resident.name)
    _apply_id_number(resident, id_number)
    _apply_phone(resident, phone)
    skills, unresolved = with_skill_texts(list(skills), skill_texts)
    resident.unresolved_skill_texts = sorted({t for t in [*unresolved_skill_texts, *unresolved] if t})
    resident.unresolved_occupation_texts = _own_words(unresolved_occupation_texts)
    resident.full_clean()
    resident.save()
    resident.wanted_occupations.set(list(wanted_occupations))
    resident_skills_set(resident=resident, skills=skills, replace=True)
    version_bump(Domain.RESIDENTS, resident.pk)
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, data: dict[str, Any]) -> Resident:
    """Update editable fields; `id_number`/`phone` are re-protected; `skills`/`wanted_occupations` replace."""
    resident = Resident.objects.select_for_update(no_key=True).get(pk=resident.pk)
    previous_household = resident.household_id
    for field in RESIDENT_EDITABLE:
        if field in data:
            setattr(resident, field, data[field])
    if "name" in data:
        resident.name = resident.name.strip()
        resident.name_initials = name_initials(resident.name)
    if "id_number" in data:
        _apply_id_number(resident, data["id_number"])
    if "phone" in data:
        _apply_phone(resident, data["phone"])
    if "unresolved_skill_texts" in data:
        resident.unresolved_skill_texts = sorted({t for t in data["unresolved_skill_texts"] if t})
    if "unresolved_occupation_texts" in data:
        resident.unresolved_occupation_texts = _own_words(data["unresolved_occupation_texts"])
    if data.get("skill_texts"):
        current = data.get("skills")
        if current is None:
            current = [
                SkillLevel(skill=link.skill, level=link.level)
                for link in resident.skill_links.filter(source=ResidentSkill.Source.SELF).select_related("skill")
            ]
        skills, unresolved = with_skill_texts(list(current), data["skill_texts"])
        data = {**data, "skills": skills}
        resident.unresolved_skill_texts = sorted(set(resident.unresolved_skill_texts) | set(unresolved))
    resident.full_clean()
    resident.save()
    if "wanted_occupations" in data:
        resident.wanted_occupations.set(list(data["wanted_occupations"]))
    if "skills" in data:
        resident_skills_set(resident=resident, skills=data["skills"], replace=True)
    # A move takes the resident's work (or lack of it) out of the old household: its members' priority changes.
    movers = Resident.objects.filter(household_id=previous_household) if previous_household != resident.household_id \
        else Resident.objects.none()
    version_bump(Domain.RESIDENTS, resident.pk, *movers.values_list("pk", flat=True))
    fire("matching.tasks.resident_rerank", resident.pk)
    return resident


@transaction.atomic
def resident_skills_set(
    *, resident: Resident, skills: Iterable[SkillLevel], replace: bool = False, source: str = ResidentSkill.Source.SELF
) -> list[ResidentSkill]:
    """Set skills; with replace, skills not listed are removed. Never lowers a trained/verified level."""
    wanted: dict[int, SkillLevel] = {}
    for item in skills:
        if not 1 <= int(item.level) <= 5:
            raise ValidationError({"skills": [_("A skill level is between 1 and 5.")]})
        previous = wanted.get(item.skill.pk)
        if previous is None or item.level > previous.level:
            wanted[item.skill.pk] = item
    current = {link.skill_id: link for link in ResidentSkill.objects.select_for_update().filter(resident=resident)}
    if replace:
        stale = [sid for sid, link in current.items() if sid not in wanted and link.source == ResidentSkill.Source.SELF]
        ResidentSkill.objects.filter(resident=resident, skill_id__in=stale).delete()
    result = []
    for skill_id, item in wanted.items():
        link = current.get(skill_id)
        if link is None:
            link = ResidentSkill.objects.create(resident=resident, skill=item.skill, level=item.level, source=source)
        else:
            self_reported_only = source == ResidentSkill.Source.SELF and link.source == ResidentSkill.Source.SELF
            # A self-report may change a self-reported level; evidence (training, verification) only raises it.
            link.level = item.level if self_reported_only else max(link.level, item.level)
            if source != ResidentSkill.Source.SELF:
                link.source = source
            link.save(update_fields=["level", "source", "updated_at"])
        result.append(link)
    version_bump(Domain.RESIDENTS, resident.pk)
    return result


@transaction.atomic
def resident_pii_reveal(*, resident: Resident, actor, field: str, reason: str, ip_address: str | None = None) -> str:
    """Return the full ID number or phone and write an audit row; the caller must have checked access."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you need to see this information.")]})
    if field not in PiiRevealLog.Field.values:
        raise ValidationError({"field": [_("Only the ID number or the phone can be revealed.")]})
    token = resident.id_number_encrypted if field == PiiRevealLog.Field.ID_NUMBER else resident.phone_encrypted
    PiiRevealLog.objects.create(actor=actor, resident=resident, field=field, reason=reason[:200], ip_address=ip_address)
    return pii.decrypt(token) if token else ""


def resident_age(resident: Resident, on) -> int:
    born = resident.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


__all__ = [
    "SkillLevel", "household_create", "household_update", "name_initials", "resident_age",
    "resident_create", "resident_pii_reveal", "resident_skills_set", "resident_update",
]


def _own_words(texts: Iterable[str]) -> list[str]:
    """Words kept as typed, each once, at most 20 of at most 60 characters."""
    return sorted({text.strip()[:60] for text in texts if text and text.strip()})[:20]


OWN_WORD_FIELDS = {"occupation": "unresolved_occupation_texts", "skill": "unresolved_skill_texts"}


@transaction.atomic
def own_word_map(*, word: str, kind: str, occupation: Occupation | None = None, skill: Skill | None = None,
                 mapped_by=None) -> int:
    """Map a word residents typed that the coders did not know ("刮腻子") to an occupation or a skill, in one step:
    the coders learn it (a correction for the title coder, an alias for the skill resolver), and every profile
    that kept the word gets the occupation as wanted or the skill at level 2 instead. Returns how many changed."""
    word = (word or "").strip()
    errors: dict[str, list[str]] = {}
    if not word:
        errors["word"] = [_("Give the word to map.")]
    if kind == "occupation" and occupation is None:
        errors["occupation"] = [_("Choose an occupation.")]
    elif kind == "skill" and skill is None:
        errors["skill"] = [_("Choose a skill.")]
    elif kind not in OWN_WORD_FIELDS:
        errors["kind"] = [_("Map a word to an occupation or to a skill.")]
    if errors:
        raise ValidationError(errors)
    field = OWN_WORD_FIELDS[kind]
    holders = [pk for pk, words in Resident.objects.exclude(**{field: []}).values_list("pk", field) if word in words]
    if kind == "occupation":
        occupation_correction_record(title=word, occupation=occupation, source=OccupationCorrection.Source.OWN_WORDS,
                                     created_by=mapped_by)
    else:
        skill_alias_add(skill=skill, alias=word)
    for resident in Resident.objects.select_for_update(no_key=True).filter(pk__in=holders):
        setattr(resident, field, [text for text in getattr(resident, field) if text != word])
        resident.save(update_fields=[field])
        if kind == "occupation":
            resident.wanted_occupations.add(occupation)
        else:
            ResidentSkill.objects.get_or_create(resident=resident, skill=skill,
                                                defaults={"level": 2, "source": ResidentSkill.Source.SELF})
        fire("matching.tasks.resident_rerank", resident.pk)
    if holders:
        version_bump(Domain.RESIDENTS, *holders)
    return len(holders)
