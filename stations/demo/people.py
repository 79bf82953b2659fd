"""Demo households and residents, written in batches with every protected field computed as the services do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import reset_queries
from django.utils import timezone

from residents import pii
from residents.models import Household, PovertyStatus, Resident, ResidentSkill
from residents.services import name_initials
from taxonomy.identifiers import (
    IdentifierError,
    make_id_number,
    mask_id_number,
    mask_phone,
    parse_id_number,
    validate_phone,
)
from taxonomy.models import Place

from . import vocabulary as v
from .context import Context, DemoError, age_on, batched, make_phone, weighted, years_before

HOUSEHOLD_BATCH = 500
RECORDS_YEARS = 2  # how long the demo station has kept its households and residents in Lianxin
COURSE_SKILLS = frozenset(code for course in v.COURSES for code, _level in course[4])
Edu = Resident.Education
Status = Resident.EmploymentStatus
Care = Resident.CareDuties
WorkTime = Resident.WorkTime


@dataclass
class Member:
    sex: str
    age: int
    surname: str


@dataclass
class PeopleResult:
    """What was written, and the resident picked for the `resident` login."""

    households: int = 0
    residents: int = 0
    skills: int = 0
    login_resident_id: int | None = None
    zero_employment_households: int = 0
    by_site: dict[str, int] = field(default_factory=dict)


class ResidentMaker:
    """Draws households and their members from one random stream, in a fixed order."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.rng = ctx.rng("people")
        self.today = ctx.today
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.initials: dict[str, str] = {}
        vocab = ctx.vocab
        self.sites = [(p, v.SITE_WEIGHTS.get(p.name, v.OTHER_PLACE_WEIGHT)) for p in vocab.pingxi_places]
        self.huangcha = vocab.place(v.HUANGCHA_CODE)
        self.site_counters: dict[str, int] = {}
        self.skills = vocab.skills
        self.profiles = v.SKILL_PROFILES
        self.occupations = vocab.occupations

    # --- households
    def households(self, count: int, residents: int) -> Iterator[tuple[Household, list[tuple[Resident, list, list]]]]:
        sizes = self._sizes(count, residents)
        for index, size in enumerate(sizes):
            site = self.huangcha if index == 0 else weighted(self.rng, self.sites)
            yield self._household(site, size, first=index == 0)

    def _sizes(self, count: int, residents: int) -> list[int]:
        rng = self.rng
        mean = residents / count
        sizes = [max(1, round(rng.gauss(mean, 1.1))) for _ in range(count)]
        total = sum(sizes)
        while total > residents:
            index = rng.randrange(count)
            if sizes[index] > 1:
                sizes[index] -= 1
                total -= 1
        while total < residents:
            sizes[rng.randrange(count)] += 1
            total += 1
        return sizes

    def _household(self, site: Place, size: int, *, first: bool):
        rng = self.rng
        is_site = site.is_resettlement_site
        serial = self.site_counters.get(site.code, 0) + 1
        self.site_counters[site.code] = serial
        if is_site:
            address = f"{site.name}{rng.randint(1, 36)}栋{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
            poverty = weighted(rng, ((PovertyStatus.LIFTED, 75), (PovertyStatus.MONITORED, 13), (PovertyStatus.NONE, 12)))
        else:
            address = f"{site.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
            poverty = weighted(rng, ((PovertyStatus.LIFTED, 35), (PovertyStatus.MONITORED, 10), (PovertyStatus.NONE, 55)))
        relocated = None
        if is_site or rng.random() < 0.4:
            relocated = self.today - dt.timedelta(days=rng.randint(4 * 365, 8 * 365))
        household = Household(
            number=f"{site.code}-{serial:05d}", site=site, address=address, poverty_status=poverty,
            relocated_on=relocated,
        )
        ethnicity = weighted(rng, v.ETHNICITIES)
        members = self._members(size, young_head=first)
        people = [self._resident(household, member, ethnicity if i == 0 or rng.random() < 0.75 else
                                 weighted(rng, v.ETHNICITIES)) for i, member in enumerate(members)]
        return household, people

    def _members(self, size: int, *, young_head: bool) -> list[Member]:
        rng = self.rng
        head_sex = "M" if rng.random() < 0.82 else "F"
        head_age = rng.randint(28, 45) if young_head else int(rng.triangular(24, 68, 44))
        surname = weighted(rng, v.SURNAMES)
        members = [Member(head_sex, head_age, surname)]
        if size >= 2 and rng.random() < 0.85:
            gap = rng.randint(0, 5)
            age = head_age - gap if head_sex == "M" else head_age + gap
            members.append(Member("F" if head_sex == "M" else "M", min(70, max(18, age)), weighted(rng, v.SURNAMES)))
        father_surname = surname if head_sex == "M" else (
            members[1].surname if len(members) > 1 and members[1].sex == "M" else surname)
        while len(members) < size:
            roll = rng.random()
            sex = "M" if rng.random() < 0.5 else "F"
            if roll < 0.75 and head_age - 20 >= 16:
                members.append(Member(sex, rng.randint(16, min(head_age - 20, 45)), father_surname))
            elif roll < 0.9 and head_age + 20 <= 70:
                members.append(Member(sex, rng.randint(head_age + 20, 70),
                                      surname if sex == "M" else weighted(rng, v.SURNAMES)))
            else:
                members.append(Member(sex, min(70, max(16, head_age + rng.randint(-8, 8))), surname))
        return members

    # --- one resident
    def _birth_and_id(self, sex: str, age: int) -> tuple[str, dt.date]:
        rng = self.rng
        latest = years_before(self.today, age)
        earliest = years_before(self.today, age + 1) + dt.timedelta(days=1)
        for _attempt in range(200):
            birth = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
            sequence = rng.randrange(500) * 2 + (1 if sex == "M" else 0)
            number = make_id_number(v.COUNTY_CODE, birth, sequence)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, birth
        raise DemoError("could not find a free ID number; too many residents for one county?")

    def _name(self, surname: str, sex: str, birth_year: int) -> str:
        rng = self.rng
        era = 0 if birth_year < 1975 else 1 if birth_year < 1995 else 2
        first, second = v.GIVEN_NAMES[(sex, era)]
        if rng.random() < 0.15:
            return surname + rng.choice(second)
        a, b = rng.choice(first), rng.choice(second)
        return surname + a + (b if b != a else rng.choice(second))

    def _resident(self, household: Household, member: Member, ethnicity: str):
        rng = self.rng
        number, birth = self._birth_and_id(member.sex, member.age)
        info = parse_id_number(number, today=self.today)  # exactly as resident_create derives them
        if age_on(info.birth_date, self.today) != member.age or info.sex != member.sex:
            raise DemoError(f"generated ID {mask_id_number(number)} does not say what was meant")
        age = member.age
        name = self._name(member.surname, info.sex, info.birth_date.year).strip()
        initials = self.initials.get(name)
        if initials is None:
            initials = self.initials[name] = name_initials(name)
        phone = ""
        if age < 62 or rng.random() < 0.6:
            try:
                phone = validate_phone(make_phone(rng, self.used_phones))
            except IdentifierError:  # pragma: no cover - the prefixes are all valid
                raise DemoError("generated an invalid phone number") from None
        female = info.sex == "F"
        education = self._education(info.birth_date.year, age)
        care = self._care(female, age)
        status = self._status(age, care != Care.NONE and female)
        disabled = rng.random() < 0.03
        resident = Resident(
            household=household,
            name=name,
            name_initials=initials,
            id_number_encrypted=pii.encrypt(info.number),
            id_number_hash=pii.lookup_hash(info.number),
            id_number_masked=mask_id_number(info.number),
            phone_encrypted=pii.encrypt(phone) if phone else "",
            phone_hash=pii.lookup_hash(phone) if phone else "",
            phone_masked=mask_phone(phone) if phone else "",
            birth_date=info.birth_date,
            sex=info.sex,
            ethnicity=ethnicity,
            education=education,
            employment_status=status,
            has_disability=disabled,
            disability_note=rng.choice(v.DISABILITY_NOTES) if disabled else "",
            care_duties=care,
            consent_share_with_employers=rng.random() < 0.65,
            notes=rng.choice(v.RESIDENT_NOTES) if rng.random() < 0.1 else "",
            unresolved_skill_texts=[rng.choice(v.UNRESOLVED_SKILL_TEXTS)] if rng.random() < 0.05 else [],
            **self._preferences(female, age, care != Care.NONE, status),
        )
        skills, occupations = self._skills(info.sex, age, ethnicity, education, status)
        return resident, skills, occupations

    def _education(self, birth_year: int, age: int) -> str:
        rng = self.rng
        if age <= 18 and rng.random() < 0.7:
            return rng.choice((Edu.SENIOR, Edu.VOCATIONAL, Edu.JUNIOR))
        if birth_year < 1975:
            table = ((Edu.NONE, 18), (Edu.PRIMARY, 45), (Edu.JUNIOR, 30), (Edu.SENIOR, 5), (Edu.VOCATIONAL, 2))
        elif birth_year < 1995:
            table = ((Edu.NONE, 3), (Edu.PRIMARY, 20), (Edu.JUNIOR, 52), (Edu.SENIOR, 12), (Edu.VOCATIONAL, 10),
                     (Edu.COLLEGE, 3))
        else:
            table = ((Edu.PRIMARY, 3), (Edu.JUNIOR, 35), (Edu.SENIOR, 22), (Edu.VOCATIONAL, 25), (Edu.COLLEGE, 15))
        return weighted(rng, table)

    def _care(self, female: bool, age: int) -> str:
        rng = self.rng
        if 25 <= age <= 45:
            if female:
                return weighted(rng, ((Care.CHILDREN, 50), (Care.BOTH, 8), (Care.ELDERLY, 7), (Care.NONE, 35)))
            return Care.CHILDREN if rng.random() < 0.1 else Care.NONE
        if 46 <= age <= 60:
            return weighted(rng, ((Care.ELDERLY, 15), (Care.CHILDREN, 5), (Care.NONE, 80)))
        return Care.NONE

    def _status(self, age: int, female_with_care: bool) -> str:
        rng = self.rng
        if age <= 19:
            return weighted(rng, ((Status.STUDENT, 55), (Status.SEEKING, 30), (Status.EMPLOYED, 15)))
        if age >= 60:
            return weighted(rng, ((Status.RETIRED, 25), (Status.NOT_SEEKING, 30), (Status.SEEKING, 30),
                                  (Status.EMPLOYED, 8), (Status.SELF_EMPLOYED, 7)))
        not_seeking = 22 if female_with_care else 12
        return weighted(rng, ((Status.EMPLOYED, 28), (Status.SELF_EMPLOYED, 7), (Status.SEEKING, 48),
                              (Status.NOT_SEEKING, not_seeking)))

    def _preferences(self, female: bool, age: int, care: bool, status: str) -> dict:
        rng = self.rng
        wage = None if rng.random() < 0.08 else Decimal(int(round(rng.triangular(1800, 4500, 2800), -2)))
        if rng.random() < 0.05:
            commute = None
        elif care and female:
            commute = Decimal(rng.randint(5, 15))
        elif not female:
            commute = Decimal(rng.randint(15, 60))
        else:
            commute = Decimal(rng.randint(5, 40))
        home = rng.random() < (0.9 if care and female else 0.65 if female else 0.3)
        outside = rng.random() < (0.03 if care else 0.45 if not female and age <= 45 else 0.12)
        if care:
            work_time = weighted(rng, ((WorkTime.PART, 50), (WorkTime.ANY, 40), (WorkTime.FULL, 10)))
        elif status == Status.STUDENT:
            work_time = weighted(rng, ((WorkTime.PART, 60), (WorkTime.ANY, 40)))
        else:
            work_time = weighted(rng, ((WorkTime.FULL, 55), (WorkTime.ANY, 35), (WorkTime.PART, 10)))
        return {"min_monthly_wage": wage, "max_commute_km": commute, "accepts_home_based": home,
                "accepts_outside_county": outside, "work_time": work_time}

    def _skills(self, sex: str, age: int, ethnicity: str, education: str, status: str):
        rng = self.rng
        band = 0 if age < 25 else 1 if age < 45 else 2 if age < 60 else 3
        levels = (30, 40, 20, 8, 2) if band == 0 else (10, 30, 35, 20, 5)
        chosen: dict[str, tuple[int, str]] = {}
        wanted: list[str] = []
        if status == Status.STUDENT and rng.random() < 0.6:
            profile_count = 0
        else:
            profile_count = weighted(rng, ((1, 70), (2, 25), (0, 5)))
        candidates = [(p, p.weights[band]) for p in self.profiles if p.sex in ("", sex) and p.weights[band] > 0]
        for _ in range(profile_count):
            profile = weighted(rng, candidates)
            for code in rng.sample(profile.skills, k=min(len(profile.skills), rng.randint(1, 4))):
                level = weighted(rng, zip((1, 2, 3, 4, 5), levels, strict=True))
                roll = rng.random()
                source = (ResidentSkill.Source.TRAINING if roll < 0.1 and code in COURSE_SKILLS
                          else ResidentSkill.Source.VERIFIED if roll > 0.95 else ResidentSkill.Source.SELF)
                if code not in chosen or chosen[code][0] < level:
                    chosen[code] = (level, source)
            if profile.occupations and rng.random() < 0.7:
                wanted.extend(rng.sample(profile.occupations, k=min(len(profile.occupations), rng.randint(1, 2))))
        general = []
        if ethnicity in v.GENERAL_SKILLS_BY_ETHNICITY and rng.random() < 0.5:
            general.append(v.GENERAL_SKILLS_BY_ETHNICITY[ethnicity])
        if rng.random() < 0.3:
            general.append("gen.local_dialect")
        if age < 50 and rng.random() < 0.4:
            general.append("gen.mandarin")
        if rng.random() < (0.5 if age < 45 else 0.25 if age < 60 else 0.05):
            general.append("gen.smartphone")
        if sex == "M" and rng.random() < 0.2:
            general.append("gen.physical")
        if education not in (Edu.NONE, Edu.PRIMARY) and rng.random() < 0.2:
            general.append("gen.literacy")
        if education in (Edu.SENIOR, Edu.VOCATIONAL, Edu.COLLEGE) and rng.random() < 0.2:
            general.append("gen.computer")
        for code in general:
            chosen.setdefault(code, (weighted(rng, ((2, 40), (3, 40), (4, 20))), ResidentSkill.Source.SELF))
        skills = [(self.skills[code], level, source) for code, (level, source) in chosen.items() if code in self.skills]
        occupations = [self.occupations[name] for name in dict.fromkeys(wanted) if name in self.occupations]
        return skills, occupations


def create_people(ctx: Context) -> PeopleResult:
    """Write the households and residents in batches; returns counts and the login's resident."""
    options = ctx.options
    maker = ResidentMaker(ctx)
    result = PeopleResult()
    through = Resident.wanted_occupations.through
    bar = ctx.progress(options.residents, "residents")
    employed = {Status.EMPLOYED, Status.SELF_EMPLOYED}
    registered = timezone.make_aware(dt.datetime.combine(years_before(ctx.today, RECORDS_YEARS), dt.time(9)))
    try:
        for chunk in batched(maker.households(options.households, options.residents), HOUSEHOLD_BATCH):
            households = Household.objects.bulk_create([household for household, _people in chunk])
            # The station has kept these records for two years: back-date them, so that the figures of past
            # months (zero-employment households, working-age residents) are not all "new this month".
            Household.objects.filter(pk__in=[h.pk for h in households]).update(created_at=registered)
            residents: list[Resident] = []
            for household, people in chunk:
                residents.extend(resident for resident, _skills, _occupations in people)
                if not any(resident.employment_status in employed for resident, _s, _o in people):
                    result.zero_employment_households += 1
                result.by_site[household.site.name] = result.by_site.get(household.site.name, 0) + 1
            Resident.objects.bulk_create(residents, batch_size=1000)
            Resident.objects.filter(pk__in=[r.pk for r in residents]).update(created_at=registered)
            links, wanted = [], []
            for _household, people in chunk:
                for resident, skills, occupations in people:
                    links.extend(ResidentSkill(resident=resident, skill=skill, level=level, source=source)
                                 for skill, level, source in skills)
                    wanted.extend(through(resident_id=resident.pk, occupation_id=o.pk) for o in occupations)
            ResidentSkill.objects.bulk_create(links, batch_size=1000)
            through.objects.bulk_create(wanted, batch_size=1000)
            if result.login_resident_id is None:
                result.login_resident_id = _login_candidate(chunk, ctx.today)
            result.households += len(chunk)
            result.residents += len(residents)
            result.skills += len(links)
            bar.update(len(residents))
            reset_queries()  # with DEBUG on, Django would keep every batch's SQL in memory
    finally:
        bar.close()
    return result


def _login_candidate(chunk, today: dt.date) -> int | None:
    """The first adult with a phone at 黄岔安置点 (room 1): the demo's `resident` login."""
    fallback = None
    for household, people in chunk:
        if household.site.code != v.HUANGCHA_CODE:
            continue
        for resident, _skills, _occupations in people:
            fallback = fallback or resident.pk
            if resident.phone_masked and 20 <= age_on(resident.birth_date, today) <= 50:
                return resident.pk
    return fallback


__all__ = ["PeopleResult", "ResidentMaker", "create_people"]
