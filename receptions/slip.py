"""The printable slip a resident takes home from a reception: A5, large print, in Chinese — the 5 best jobs
(employer, pay, place, contact) and the next training sessions near home. Drawn with reportlab in
Noto Sans CJK SC cut to the characters of the slip and embedded as TrueType (see cjk_font.py): a CID font
that is not embedded prints blank on a reader without it — the rendered test image showed exactly that)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .cjk_font import register_for

JOBS_ON_SLIP = 5
# The slip's own words (the font is cut to these and the data's characters).
FIXED_TEXT = ("就业信息单为您推荐的工作暂时没有合适的岗位，有新岗位时工作人员会联系您。单位：工资：地点：—电话：请到联络站咨询"
              "家附近的培训近期没有开班，请关注联络站通知。·，约公里月日年—有问题请找联络站，电话；下一个赶集日。（）　")
SESSIONS_ON_SLIP = 3


@dataclass(frozen=True)
class SlipJob:
    title: str
    employer: str
    wage: str
    place: str
    contact: str
    work_mode: str


@dataclass(frozen=True)
class SlipSession:
    course: str
    start: dt.date
    end: dt.date
    place: str
    distance_km: float | None


@dataclass(frozen=True)
class Slip:
    station: str
    resident_name: str
    day: dt.date
    jobs: list[SlipJob]
    sessions: list[SlipSession]
    station_phone: str = ""
    next_market_day: str = ""


def _wrap(canvas: Canvas, text: str, width: float, size: float, font: str) -> list[str]:
    """Break Chinese text into lines that fit (character by character: there are no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if canvas.stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines or [""]


def slip_pdf(slip: Slip) -> bytes:
    """The slip as PDF bytes (one A5 page; a second when the lists do not fit)."""
    font = register_for(repr(slip) + FIXED_TEXT)
    buffer = io.BytesIO()
    width, height = A5
    margin = 12 * mm
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1)
    canvas.setTitle(f"{slip.station} 就业信息单")
    canvas.setAuthor(slip.station)
    y = height - margin
    usable = width - 2 * margin

    def line(text: str, size: float = 12, gap: float = 1.45, indent: float = 0) -> None:
        nonlocal y
        for part in _wrap(canvas, text, usable - indent, size, font):
            if y - size < margin:
                canvas.showPage()
                y = height - margin
            canvas.setFont(font, size)
            canvas.drawString(margin + indent, y - size, part)
            y -= size * gap

    def rule() -> None:
        nonlocal y
        canvas.setLineWidth(0.6)
        canvas.line(margin, y - 2, width - margin, y - 2)
        y -= 8

    line(slip.station, 12, 1.4)
    line("就业信息单", 18, 1.5)
    line(f"{slip.resident_name}　{slip.day:%Y年%m月%d日}", 12, 1.5)
    rule()
    line("为您推荐的工作", 15, 1.5)
    if not slip.jobs:
        line("暂时没有合适的岗位，有新岗位时工作人员会联系您。", 12)
    for number, job in enumerate(slip.jobs[:JOBS_ON_SLIP], start=1):
        line(f"{number}. {job.title}（{job.work_mode}）", 13, 1.3)
        line(f"单位：{job.employer}　电话：{job.contact or '请到联络站咨询'}", 11.5, 1.3, indent=5 * mm)
        line(f"工资：{job.wage}　地点：{job.place or '—'}", 11.5, 1.5, indent=5 * mm)
    rule()
    line("家附近的培训", 15, 1.5)
    if not slip.sessions:
        line("近期没有开班，请关注联络站通知。", 12)
    for session in slip.sessions[:SESSIONS_ON_SLIP]:
        distance = f"，约{session.distance_km:.0f}公里" if session.distance_km is not None else ""
        line(f"· {session.course}", 13, 1.3)
        line(f"{session.start:%m月%d日}—{session.end:%m月%d日}，{session.place}{distance}", 11.5, 1.5, indent=5 * mm)
    rule()
    footer = "有问题请找联络站"
    if slip.station_phone:
        footer += f"，电话 {slip.station_phone}"
    if slip.next_market_day:
        footer += f"；下一个赶集日 {slip.next_market_day}"
    line(footer + "。", 11)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
