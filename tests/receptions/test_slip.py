"""The slip itself: one A5 page with five jobs and three sessions, its Chinese drawn from an embedded font (the
rendered page has the text, not blanks), and long names wrapped rather than cut."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium

from receptions.slip import Slip, SlipJob, SlipSession, slip_pdf


def _slip(**extra) -> Slip:
    job = SlipJob("手工串珠", "康华扶贫车间", "2元/件（约2,400元/月）", "康华社区", "0856-1234567", "居家就业")
    session = SlipSession("藤椅加工基础", dt.date(2026, 12, 10), dt.date(2026, 12, 20), "康华社区", 1.2)
    return Slip(station="平溪街道人大代表联络站", resident_name="王小芳", day=dt.date(2026, 12, 7), jobs=[job] * 5,
                sessions=[session] * 3, station_phone="0856-3221234", next_market_day="12月11日（冬月初一）", **extra)


def test_five_jobs_and_three_sessions_fit_one_a5_page_with_the_font_embedded():
    pdf = slip_pdf(_slip())
    assert b"/FontFile2" in pdf  # a TrueType font program travels with the file
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert text.count("手工串珠") == 5
    assert "0856-3221234" in text
    grey = page.render(scale=1).to_pil().convert("L")
    dark = sum(1 for value in grey.tobytes() if value < 128)
    assert dark > 4000  # the Chinese is drawn, not left blank


def test_an_empty_slip_says_so():
    pdf = slip_pdf(Slip(station="平溪街道人大代表联络站", resident_name="王小芳", day=dt.date(2026, 12, 7), jobs=[],
                        sessions=[]))
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "暂时没有合适的岗位" in text
    assert "近期没有开班" in text
