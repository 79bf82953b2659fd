"""Wages as people write them: 3,200–4,500元/月, 280–330元/天, 35元/小时, 45–60元/件, and 约6,000元/月 for an
estimate. Pure text (no models), used by the pages, the API's display fields and the exports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def yuan_text(value) -> str:
    """An amount in yuan: whole yuan without decimals and with thousands separators (3500.00 → "3,500"), else up
    to two decimals (2.50 → "2.5"). Empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}".rstrip("0")


def _per(unit: str, amount: str) -> str:
    texts = {
        "month": _("%(amount)s yuan/month"),
        "day": _("%(amount)s yuan/day"),
        "hour": _("%(amount)s yuan/hour"),
        "piece": _("%(amount)s yuan/piece"),
    }
    return (texts.get(unit) or _("%(amount)s yuan")) % {"amount": amount}


def wage_text(wage_min, wage_max, unit: str) -> str:
    """A wage or a range in its own unit ("45–60元/件", "35元/小时"); empty when no amount is given."""
    low, high = yuan_text(wage_min), yuan_text(wage_max)
    if not low and not high:
        return ""
    if low and high and Decimal(str(wage_min)) != Decimal(str(wage_max)):
        return _per(unit, f"{low}–{high}")
    return _per(unit, low or high)


def _round_estimate(amount: float) -> int:
    """Estimates are rounded as people say them: to the ten below 1,000, else to the hundred."""
    step = 10 if amount < 1000 else 100
    return int(Decimal(amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def monthly_estimate_text(amount) -> str:
    """A monthly estimate: "约6,000元/月"; empty for None."""
    if amount is None or amount == "":
        return ""
    return _("about %(wage)s") % {"wage": _per("month", yuan_text(_round_estimate(float(amount))))}
