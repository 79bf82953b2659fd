"""Demo employers and job postings, checked by the same rules as jobs.services and written in batches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import reset_queries

from jobs.models import Employer, JobPosting, JobSkill
from taxonomy.identifiers import IdentifierError, make_uscc, validate_phone, validate_uscc
from taxonomy.models import Place

from . import vocabulary as v
from .context import Context, DemoError, batched, make_phone, money, weighted

INDUSTRIES = {industry.code: industry for industry in v.INDUSTRIES}
# How often each industry appears among the generated (non-showcase) employers.
INDUSTRY_WEIGHTS = {
    "rattan": 1.0, "handicraft": 1.0, "flute": 0.2, "garment": 1.0, "electronics": 1.2, "shoes": 0.6, "food": 1.0,
    "construction": 1.6, "housekeeping": 1.2, "catering": 1.2, "hotel": 0.6, "tea": 0.8, "agriculture": 1.0,
    "ecommerce": 0.8, "logistics": 0.8, "property": 0.8, "retail": 1.0, "repair": 0.6,
}
WORKSHOP_INDUSTRIES = ("rattan", "handicraft", "garment", "food")
HOME_BASED_NOTES = {
    "rattan": "可居家就业，藤料上门发放、成品上门收取。",
    "handicraft": "可居家就业，材料上门发放、成品上门收取。",
}
EXTRA_SKILL_TEXTS = ("会看藤椅图纸", "能适应高温车间", "有电子厂经验优先", "会骑三轮车送货", "熟悉侗族纹样")


@dataclass
class EmploymentResult:
    employers: int = 0
    postings: int = 0
    posting_skills: int = 0
    workshops: int = 0
    piece_rate: int = 0  # piece-rate postings …
    piece_estimates: int = 0  # … and how many of them state their monthly earnings
    by_status: dict[str, int] | None = None


class EmployerMaker:
    """Draws employers: the showcase ones first, then names made of place, brand and industry."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.rng = ctx.rng("employers")
        self.used_names: set[str] = set()
        self.used_usccs: set[str] = set()
        self.used_phones: set[str] = set()
        vocab = ctx.vocab
        self.places_by_id = {place.pk: place for place in vocab.places.values()}
        pingxi = vocab.places[v.PINGXI_CODE]
        self.local_places = [(pingxi, 6.0)] + [(p, 3.0 if p.is_resettlement_site else 1.0) for p in vocab.pingxi_places]
        self.county_places = [(p, 2.0 if p.level == Place.Level.TOWN else 0.3) for p in vocab.county_places]
        self.outside_places = [(p, 3.0 if p.code in (v.BIJIANG_CODE, v.WANSHAN_CODE) else 1.0)
                               for p in vocab.outside_places]

    def employers(self, count: int) -> list[tuple[Employer, str]]:
        made = []
        for name, industry, place_code, workshop, address in v.SHOWCASE_EMPLOYERS[:count]:
            made.append((self._employer(name, INDUSTRIES[industry], self.ctx.vocab.place(place_code), workshop,
                                        address), industry))
        while len(made) < count:
            industry = INDUSTRIES[weighted(self.rng, INDUSTRY_WEIGHTS.items())]
            made.append((self._generated(industry), industry.code))
        return made

    def _generated(self, industry: v.Industry) -> Employer:
        rng = self.rng
        roll = rng.random()
        if roll < industry.in_county * 0.6:
            place = weighted(rng, self.local_places)
        elif roll < industry.in_county or not self.outside_places:
            place = weighted(rng, self.county_places or self.local_places)
        else:
            place = weighted(rng, self.outside_places)
        in_county = place.code.startswith(v.COUNTY_CODE)
        coastal = not in_county and industry.code in ("electronics", "shoes", "garment") and rng.random() < 0.6
        for _attempt in range(100):
            brand = rng.choice(v.BRANDS)
            ending = rng.choice(industry.brands)
            if coastal:
                core = ending.removesuffix("有限公司")
                name = f"{rng.choice(v.NAME_PREFIXES_COASTAL)}{brand}{core}（铜仁）有限公司"
            else:
                prefix = rng.choice(v.NAME_PREFIXES_IN_COUNTY if in_county else v.NAME_PREFIXES_OUTSIDE)
                name = f"{prefix}{brand}{ending}"
            if name not in self.used_names:
                break
        else:
            name = f"{name}（{len(self.used_names) + 1}）"
        workshop = (industry.code in WORKSHOP_INDUSTRIES and place.is_resettlement_site and rng.random() < 0.6) or (
            in_county and rng.random() < 0.03)
        parent = self.places_by_id.get(place.parent_id)
        town = parent.name if parent and place.level in (Place.Level.VILLAGE, Place.Level.SITE) else ""
        address = f"{town}{place.name}{rng.choice(industry.address_hint)}{rng.randint(1, 120)}号"
        return self._employer(name, industry, place, workshop, address)

    def _employer(self, name: str, industry: v.Industry, place: Place, workshop: bool, address: str) -> Employer:
        rng = self.rng
        self.used_names.add(name)
        kind = "93" if "合作社" in name else "92" if name.endswith(("部", "宾馆", "饭庄")) else "91"
        region = place.code[:6]
        while True:
            uscc = validate_uscc(make_uscc(region, rng.randrange(10**8, 10**9), kind=kind))  # as employer_create does
            if uscc not in self.used_usccs:
                self.used_usccs.add(uscc)
                break
        surname = weighted(rng, v.SURNAMES)
        try:
            phone = validate_phone(make_phone(rng, self.used_phones))
        except IdentifierError:  # pragma: no cover - the prefixes are all valid
            raise DemoError("generated an invalid phone number") from None
        return Employer(
            name=name.strip(), uscc=uscc, place=place, address=address[:200],
            contact_name=f"{surname}{rng.choice(v.CONTACT_TITLES)}", contact_phone=phone,
            is_poverty_workshop=workshop, created_by=self.ctx.users.get("bureau"),
        )


class PostingMaker:
    """Draws postings from the templates of each employer's industry."""

    def __init__(self, ctx: Context, employers: list[tuple[Employer, str]], stream: str = "postings"):
        self.ctx = ctx
        self.rng = ctx.rng(stream)
        # Its own stream, so that adding piece-rate estimates left every other drawn value as it was.
        self.piece_rng = ctx.rng("piece-estimates")
        self.today = ctx.today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.employers = employers
        rng = self.rng
        weights = []
        for employer, industry in employers:
            weight = INDUSTRIES[industry].posting_weight * rng.uniform(0.5, 1.5)
            weights.append(weight * (2.0 if employer.is_poverty_workshop else 1.0))
        self.cum_weights = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cum_weights.append(total)
        vocab = ctx.vocab
        self.project_places = [vocab.places[v.PINGXI_CODE], *vocab.pingxi_places, *[
            p for p in vocab.county_places if p.level == Place.Level.TOWN]]

    def posting(self) -> tuple[JobPosting, list[JobSkill]]:
        rng = self.rng
        employer, industry_code = rng.choices(self.employers, cum_weights=self.cum_weights)[0]
        industry = INDUSTRIES[industry_code]
        template = rng.choice(industry.templates)
        title = rng.choice(template.titles)
        if rng.random() < 0.1:
            title += rng.choice(("（长期招聘）", "（急招）", "（就近就业）"))
        occupation = self.ctx.vocab.occupations.get(template.occupation) if template.occupation else None
        unit, low, high, spread, step = rng.choice(template.wages)
        wage_min, wage_max = self._wages(low, high, spread, step)
        piece_estimate = self._piece_estimate(template) if unit == v.PIECE else None
        home_based = rng.random() < template.home_based
        work_time = rng.choice(template.work_times)
        hours = rng.choice(template.hours)
        if work_time == "part":
            hours = min(hours, rng.choice((4, 5, 6)))
        age_min, age_max = self._ages(template.ages)
        openings = rng.randint(*template.openings)
        status = weighted(rng, (("open", 68), ("draft", 8), ("closed", 12), ("filled", 12)))
        filled = {"filled": openings, "draft": 0}.get(status)
        if filled is None:
            filled = rng.randint(0, openings - 1 if status == "open" else openings) if rng.random() < 0.4 else 0
        valid_until, published_at = self._dates(status)
        place = employer.place
        if not home_based and industry.code == "construction" and rng.random() < 0.4:
            place = rng.choice(self.project_places)
        posting = JobPosting(
            employer=employer, title=title.strip(), occupation=occupation,
            occupation_confidence=1.0 if occupation else None,
            description=self._description(employer, industry, template, unit, wage_min, wage_max, home_based,
                                          piece_estimate),
            openings=openings, filled=filled, wage_min=wage_min, wage_max=wage_max, wage_unit=unit,
            piece_monthly_estimate=piece_estimate,
            work_mode=JobPosting.WorkMode.HOME_BASED if home_based else JobPosting.WorkMode.ON_SITE,
            work_time=work_time, place=place, hours_per_day=Decimal(str(hours)),
            hours_note=self._hours_note(work_time, hours, home_based), age_min=age_min, age_max=age_max,
            status=status, valid_until=valid_until, published_at=published_at,
            unresolved_skill_texts=[rng.choice(EXTRA_SKILL_TEXTS)] if rng.random() < 0.03 else [],
            posted_by=self.ctx.users.get("bureau"),
        )
        check_posting(posting)
        links = [JobSkill(posting=posting, skill=self.ctx.vocab.skills[code], level=level, mandatory=mandatory,
                          kind=JobSkill.Kind.REQUIRED)
                 for code, level, mandatory in template.required if code in self.ctx.vocab.skills]
        seen = {code for code, _level, _mandatory in template.required}
        links += [JobSkill(posting=posting, skill=self.ctx.vocab.skills[code], level=level,
                           kind=JobSkill.Kind.PREFERRED, mandatory=False)
                  for code, level in template.preferred
                  if code in self.ctx.vocab.skills and code not in seen and rng.random() < 0.7]
        return posting, links

    def _wages(self, low: float, high: float, spread: float, step: float) -> tuple[Decimal | None, Decimal | None]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:  # 面议: no figure given
            return None, None
        wage_min = _round_to(rng.uniform(low, high), step)
        if roll < 0.12:
            return money(wage_min), None
        return money(wage_min), money(wage_min + _round_to(rng.uniform(0, spread), step))

    def _piece_estimate(self, template: v.PostingTemplate) -> Decimal | None:
        """Most piece-rate postings say what a worker earns a month at the rate (to the hundred yuan)."""
        earnings = v.PIECE_MONTHLY_EARNINGS.get(template.titles[0])
        rng = self.piece_rng
        if earnings is None or rng.random() >= v.PIECE_ESTIMATE_SHARE:
            return None
        return money(_round_to(rng.uniform(*earnings), 100))

    def _ages(self, ages: tuple[int, int]) -> tuple[int | None, int | None]:
        rng = self.rng
        if rng.random() < 0.1:
            return None, None
        low = min(70, max(16, ages[0] + rng.choice((-2, 0, 0, 2))))
        high = min(70, max(low, ages[1] + rng.choice((-5, 0, 0, 5))))
        return low, high

    def _dates(self, status: str) -> tuple[dt.date, dt.datetime | None]:
        rng, today = self.rng, self.today
        if status == "draft":
            return today + dt.timedelta(days=rng.randint(15, 120)), None
        if status == "open":
            offset = rng.randint(7, 150) if rng.random() < 0.88 else -rng.randint(1, 45)  # some expired
        else:
            offset = rng.randint(-120, 60)
        valid_until = today + dt.timedelta(days=offset)
        published = min(today, valid_until - dt.timedelta(days=rng.randint(20, 120)))
        at = dt.datetime.combine(published, dt.time(8, 30), tzinfo=self.tz) + dt.timedelta(minutes=rng.randint(0, 540))
        return valid_until, at

    def _hours_note(self, work_time: str, hours: float, home_based: bool) -> str:
        rng = self.rng
        if home_based or work_time == "flexible":
            return rng.choice(("时间自由，按件计酬", "领料回家做，按时交货", "农闲时多做，农忙时少做"))
        if work_time == "part":
            return rng.choice(("上午或下午半天", "每天4小时，时间可商量", "周末及节假日"))
        if hours >= 11:
            return "两班倒，每班12小时，月休4天"
        return rng.choice(("早8:00—晚6:00，中午休息2小时", "早8:30—晚5:30，月休4天", "长白班，做六休一"))

    def _description(self, employer: Employer, industry: v.Industry, template: v.PostingTemplate, unit: str,
                     wage_min: Decimal | None, wage_max: Decimal | None, home_based: bool,
                     piece_estimate: Decimal | None = None) -> str:
        rng = self.rng
        unit_text = {"month": "元/月", "day": "元/天", "hour": "元/小时", "piece": "元/件"}[unit]
        if wage_min is None:
            pay = "工资面议"
        elif wage_max is None:
            pay = f"工资{wage_min.normalize():f}{unit_text}起"
        elif wage_max == wage_min:
            pay = f"工资{wage_min.normalize():f}{unit_text}"
        else:
            pay = f"工资{wage_min.normalize():f}—{wage_max.normalize():f}{unit_text}"
        if piece_estimate is not None:
            pay += f"，熟练后月收入约{piece_estimate.normalize():f}元"
        benefits = "、".join(rng.sample(industry.benefits, k=min(2, len(industry.benefits)))) if industry.benefits else ""
        parts = [f"工作内容：{template.duties}。" if template.duties else "", f"{pay}。",
                 f"待遇：{benefits}。" if benefits else "",
                 (HOME_BASED_NOTES.get(industry.code, "可居家办公。") if home_based else ""),
                 f"报名：到{v.STATION_NAME}或联系{employer.contact_name}。"]
        return "".join(parts)


class PastPostingMaker(PostingMaker):
    """Postings of the two years before the recent ones: published between PAST_SPAN days and RECENT_DAYS
    ago, each valid 30–120 days. With a history to come they are open (the history's recommendations reach
    them while they are; expiry closes them at the end), without one they are closed already."""

    PAST_SPAN, RECENT_DAYS = 730, 240

    def __init__(self, ctx: Context, employers: list[tuple[Employer, str]], *, open_for_history: bool):
        super().__init__(ctx, employers, stream="past-postings")
        self.dates_rng = ctx.rng("past-posting-dates")
        self.open_for_history = open_for_history

    def posting(self) -> tuple[JobPosting, list[JobSkill]]:
        posting, links = super().posting()
        rng = self.dates_rng
        published = self.today - dt.timedelta(days=rng.randint(self.RECENT_DAYS, self.PAST_SPAN))
        posting.published_at = (dt.datetime.combine(published, dt.time(8, 30), tzinfo=self.tz)
                                + dt.timedelta(minutes=rng.randint(0, 540)))
        posting.valid_until = published + dt.timedelta(days=rng.randint(30, 120))
        posting.status = JobPosting.Status.OPEN if self.open_for_history else JobPosting.Status.CLOSED
        posting.filled = 0
        return posting, links


def _round_to(value: float, step: float) -> float:
    return round(round(value / step) * step, 2)


def check_posting(posting: JobPosting) -> None:
    """The rules of jobs.services._validate_posting, applied to a generated posting."""
    problems = []
    if posting.wage_min is not None and posting.wage_max is not None and posting.wage_max < posting.wage_min:
        problems.append("wage_max < wage_min")
    if posting.age_min is not None and posting.age_max is not None and posting.age_max < posting.age_min:
        problems.append("age_max < age_min")
    for value in (posting.age_min, posting.age_max):
        if value is not None and not 16 <= value <= 70:
            problems.append("age outside 16–70")
    if not 0 <= posting.filled <= posting.openings:
        problems.append("filled outside 0..openings")
    if posting.hours_per_day is not None and not 0 < posting.hours_per_day <= 24:
        problems.append("hours per day outside (0, 24]")
    if posting.piece_monthly_estimate is not None and (
        posting.wage_unit != "piece" or posting.piece_monthly_estimate < 0
    ):
        problems.append("piece-rate estimate on a posting that is not piece-rate, or negative")
    if posting.occupation is not None and posting.occupation.level < 3:
        problems.append("occupation too broad")
    if not posting.title or len(posting.title) > 120:
        problems.append("bad title")
    if problems:
        raise DemoError(f"generated posting {posting.title!r} breaks rules: {', '.join(problems)}")


def create_employment(ctx: Context) -> EmploymentResult:
    """Write the employers, then the postings with their skills, in batches."""
    options = ctx.options
    result = EmploymentResult(by_status={})
    employers = EmployerMaker(ctx).employers(options.employers)
    Employer.objects.bulk_create([employer for employer, _industry in employers], batch_size=500)
    result.employers = len(employers)
    result.workshops = sum(1 for employer, _industry in employers if employer.is_poverty_workshop)
    if not employers or options.postings + options.past_posting_count <= 0:
        return result
    recent = PostingMaker(ctx, employers)
    past = PastPostingMaker(ctx, employers, open_for_history=options.history)
    total = options.postings + options.past_posting_count
    drawn = [*(recent.posting for _ in range(options.postings)), *(past.posting for _ in range(options.past_posting_count))]
    bar = ctx.progress(total, "postings")
    try:
        for chunk in batched((draw() for draw in drawn), 1000):
            JobPosting.objects.bulk_create([posting for posting, _links in chunk])
            links = [link for _posting, posting_links in chunk for link in posting_links]
            JobSkill.objects.bulk_create(links, batch_size=1000)
            for posting, _links in chunk:
                result.by_status[posting.status] = result.by_status.get(posting.status, 0) + 1
                result.piece_rate += posting.wage_unit == "piece"
                result.piece_estimates += posting.piece_monthly_estimate is not None
            result.postings += len(chunk)
            result.posting_skills += len(links)
            bar.update(len(chunk))
            reset_queries()  # with DEBUG on, Django would keep every batch's SQL in memory
    finally:
        bar.close()
    return result


__all__ = ["EmploymentResult", "check_posting", "create_employment"]
