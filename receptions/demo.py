"""Two years of the station's receptions, duty rotas, requests and suggestions for the demo, written through the
services (with their clocks set to the day in question), in numbers close to the station's 2021 report: 50+
receptions a year, 50+ online questions answered, 200+ problems resolved, 40+ opinions, 5 suggestions.

Called by `seed_demo` after the station, people and jobs exist (this app sits above stations/demo). Its volume
follows the demo's size: `scale` is the demo's residents over the default demo's (1.0 for the default), so a
small test seed is quick. Market days stay what they are (the calendar does not shrink): fewer people come to
each, and fewer requests arrive; the suggestions stay five a year, as long as requests are there to form them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from config.tasks import coalesced
from freshness.services import bumps_batched
from residents.models import Resident
from stations.models import Deputy, LiaisonStation
from stations.selectors import station_place_ids
from training.market_days import market_days

from . import services
from .models import DutyShift, Reception, Request, RequestEvent, Suggestion
from .selectors import station_staff

YEARS = 2
RECEPTION_SHARE = 0.78  # of market days with a reception (≈ 56 of 72 a year)
PEOPLE_PER_RECEPTION = (2, 7)
REQUESTS_PER_YEAR = 250  # problems and opinions from every channel
OPINION_SHARE = 0.22
ONLINE_SHARE = 0.32  # from the public page or a resident's phone
SUGGESTIONS_PER_YEAR = 5

TEXTS = {
    "employment": ["想找离家近的工作", "希望能在家做手工计件", "扶贫车间还招人吗", "工资拖欠了两个月", "想去县城做保洁"],
    "training": ["想学藤椅编织", "家政培训什么时候开班", "培训证书怎么领", "想学电商直播带货"],
    "livelihood": ["安置点停水了", "楼道路灯坏了", "孩子转学手续怎么办", "医保报销不会办", "小区垃圾清运不及时",
                   "饮水管老化漏水", "希望增设公交站点"],
    "other": ["户口迁移咨询", "想了解搬迁后续扶持政策", "老人养老金查询"],
}
OPINIONS = ["建议安置点增设儿童活动场地", "建议扶贫车间延长收货时间", "建议增加夜间巡逻", "建议开设老年食堂",
            "建议集中供水管网改造"]
SUGGESTION_TITLES = ["关于黄岔安置点饮水管网改造的建议", "关于扩大扶贫车间居家计件规模的建议", "关于安置点增设公交站点的建议",
                     "关于加强搬迁群众技能培训的建议", "关于完善安置点公共服务设施的建议"]


@dataclass
class ReceptionDemoResult:
    shifts: int = 0
    receptions: int = 0
    requests: int = 0
    suggestions: int = 0


def reset() -> None:
    """Delete what this module wrote (before the station and residents it points at go)."""
    RequestEvent.objects.all().delete()
    Reception.objects.all().delete()
    Request.objects.all().delete()
    Suggestion.objects.all().delete()
    DutyShift.objects.all().delete()


def _at(day: dt.date, hour: int, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))


@transaction.atomic
def create_receptions(*, station: LiaisonStation, today: dt.date, seed: int = 7,
                      scale: float = 1.0) -> ReceptionDemoResult:
    rng = random.Random(f"lianxin-demo:{seed}:receptions")
    people_per_reception = tuple(max(1, round(n * scale)) for n in PEOPLE_PER_RECEPTION)
    requests_per_year = max(1, round(REQUESTS_PER_YEAR * scale))
    result = ReceptionDemoResult()
    start = today.replace(year=today.year - YEARS)
    staff = station_staff(station)
    if not staff:
        return result
    worker = staff[0]
    deputies = list(Deputy.objects.filter(station=station).order_by("id"))
    places = station_place_ids(station)
    residents = list(Resident.objects.filter(household__site_id__in=places).select_related("household")
                     .order_by("id")[:4000])
    if not residents:
        return result
    services.station_notice_set(station=station, opening_hours="周一至周五 9:00–17:00；逢农历一、六赶集日全天接待",
                                phone="0856-3221234",
                                introduction="平溪街道人大代表联络站，联系服务易地扶贫搬迁群众，收集意见建议，推荐就业和培训。")
    for index, deputy in enumerate(deputies):
        services.deputy_notice_set(deputy=deputy, duties=rng.choice(["就业帮扶", "民生事务", "培训组织", "社区治理"]),
                                   phone=f"138{5000_0000 + index * 7919:08d}", phone_public=index % 3 == 0)
    days = list(market_days(start, today + dt.timedelta(days=40)))
    # Re-rankings asked by the profile updates of job receptions: one for the county at the end.
    with coalesced({"matching.tasks.resident_rerank"}, into="matching.tasks.county_ranking"), bumps_batched():
        result.shifts = len(services.duty_rota_fill(station=station, days=[d.date for d in days]))
        for market_day in days:
            day = market_day.date
            if day > today or rng.random() > RECEPTION_SHARE:
                continue
            for _person in range(rng.randint(*people_per_reception)):
                resident = rng.choice(residents)
                topic = rng.choices(["job", "training", "other"], [0.45, 0.25, 0.30])[0]
                note = rng.choice(TEXTS["livelihood"] + TEXTS["other"]) if topic == "other" else \
                    rng.choice(TEXTS["employment" if topic == "job" else "training"])
                reception = services.reception_record(
                    station=station, resident=resident, topic=topic, received_by=worker, note=note, day=day,
                    now=_at(day, rng.randint(9, 16), rng))
                result.receptions += 1
                if reception.request is not None:
                    _handle(reception.request, rng, deputies, staff, today)
                    result.requests += 1
        total_days = (today - start).days
        for _n in range(int(requests_per_year * YEARS * 0.75)):  # with the receptions' requests, ≈ 250 a year
            day = start + dt.timedelta(days=rng.randrange(total_days))
            opinion = rng.random() < OPINION_SHARE
            category = rng.choices(list(TEXTS), [0.3, 0.15, 0.45, 0.10])[0]
            online = rng.random() < ONLINE_SHARE
            resident = rng.choice(residents) if not online or rng.random() < 0.5 else None
            channel = ("resident" if resident else "public") if online else "desk"
            request = services.request_submit(
                station=station, text=rng.choice(OPINIONS) if opinion else rng.choice(TEXTS[category]),
                channel=channel, resident=resident, contact_name="" if resident else rng.choice("王李张杨吴姚龙田") + "先生",
                phone="" if resident else f"139{rng.randrange(10**8):08d}", category=category,
                kind="opinion" if opinion else "problem", submitted_by=None if online else worker,
                now=_at(day, rng.randint(8, 20), rng))
            _handle(request, rng, deputies, staff, today)
            result.requests += 1
        result.suggestions = _suggestions(station, deputies, rng, start, today)
    return result


def _handle(request: Request, rng: random.Random, deputies, staff, today: dt.date) -> None:
    """Take a request as far as its age allows: assigned the next day, answered within days, mostly resolved."""
    received = request.received_at
    actor = staff[0]
    step = received + dt.timedelta(hours=rng.randint(2, 30))
    if step.date() > today:
        return
    deputy = rng.choice(deputies) if deputies and rng.random() < 0.6 else None
    services.request_assign(request=request, actor=actor, deputy=deputy, user=None if deputy else rng.choice(staff),
                            now=step)
    step += dt.timedelta(hours=rng.randint(12, 200))
    if timezone.localtime(step).date() > today:
        return
    services.request_record_handling(request=request, actor=actor, handling="已联系相关部门核实处理", now=step)
    step += dt.timedelta(hours=rng.randint(1, 48))
    if timezone.localtime(step).date() > today:
        return
    services.request_answer(request=request, actor=actor, reply="您反映的问题已转相关部门处理，结果已电话告知。", now=step)
    if request.resident_id and rng.random() < 0.5:
        services.request_rate(request=request, actor=None, rating=rng.choices([5, 4, 3, 2], [5, 3, 1, 0.3])[0],
                              now=step + dt.timedelta(days=1))
    step += dt.timedelta(days=rng.randint(1, 20))
    if timezone.localtime(step).date() <= today and rng.random() < 0.92:
        services.request_resolve(request=request, actor=actor, now=step)


def _suggestions(station, deputies, rng: random.Random, start: dt.date, today: dt.date) -> int:
    """Five suggestions a year, each from related opinions and livelihood problems of the months before."""
    made = 0
    for year_index in range(YEARS):
        for number in range(SUGGESTIONS_PER_YEAR):
            day = start + dt.timedelta(days=year_index * 365 + 60 + number * 60)
            if day > today or not deputies:
                continue
            pool = list(Request.objects.filter(station=station, suggestion__isnull=True,
                                               category__in=["livelihood", "employment"],
                                               received_at__lt=_at(day, 8, rng)).order_by("-received_at")[:30])
            if len(pool) < 2:
                continue
            deputy = rng.choice([d for d in deputies if d.user_id] or deputies)
            picked = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
            suggestion = services.suggestion_raise(
                deputy=deputy, requests=picked, title=SUGGESTION_TITLES[number % len(SUGGESTION_TITLES)],
                body="根据群众反映的问题，建议有关部门统筹解决。", actor=deputy.user, addressed_to="玉屏县人民政府",
                now=_at(day, 10, rng))
            services.suggestion_advance(suggestion=suggestion, status="submitted", on=day)
            if day + dt.timedelta(days=45) <= today:
                services.suggestion_advance(suggestion=suggestion, status="answered", response="已列入年度工作计划，正在实施。",
                                            on=day + dt.timedelta(days=45))
            made += 1
    return made

