"""Normalisation of job titles and skill phrases (taxonomy.text)."""

from __future__ import annotations

import pytest

from taxonomy.text import (
    clean_job_title,
    has_cjk,
    normalise_skill_text,
    normalise_text,
    place_names,
    title_segments,
    to_halfwidth,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ｃ１驾照", "c1驾照"),
        ("  保 洁 员  ", "保洁员"),
        ("ＡＢＣ　１２３！", "abc123"),
        ("家政服务员（住家）", "家政服务员住家"),
        ("藤椅·编织—工", "藤椅编织工"),
        ("QC/品检", "qc品检"),
        ("", ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_halfwidth_keeps_chinese():
    assert to_halfwidth("藤椅（２把）") == "藤椅(2把)"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # recruiting words, counts, benefits, salaries
        ("急招藤椅编织工10名 包吃住 3000-5000元/月", "藤椅编织工"),
        ("高薪诚聘保洁员 月薪5千", "保洁员"),
        ("长期招普工 五险一金 双休", "普工"),
        ("直招叉车工 8k", "叉车工"),
        ("搬运工 150元/天 日结", "搬运工"),
        ("缝纫工 计件 多劳多得 月结", "缝纫工"),
        ("服务员 时薪20元", "服务员"),
        ("厨师 底薪+提成", "厨师"),
        ("客服 4500元以上", "客服"),
        ("普工 5000+", "普工"),
        ("泥水工 350/天", "泥水工"),
        ("保安 月薪三千", "保安"),
        ("外卖骑手 5k-8k", "外卖骑手"),
        # counts
        ("保育员若干名", "保育员"),
        ("采茶工 50人", "采茶工"),
        ("收银员数名", "收银员"),
        ("洗碗工3人 男女不限", "洗碗工"),
        # ages and sex
        ("保洁员 18-50岁", "保洁员"),
        ("保安 45周岁以下", "保安"),
        ("住家保姆 限女 年龄不限", "住家保姆"),
        ("搬运工 限男", "搬运工"),
        # brackets
        ("【玉屏】住家保姆（限女）", "住家保姆"),
        ("[急]焊工〔持证〕", "焊工"),
        ("(日结)装卸工", "装卸工"),
        ("【藤椅编织工】", "藤椅编织工"),
        # places
        ("铜仁市碧江区保洁员", "保洁员"),
        ("玉屏侗族自治县平溪街道藤编工", "藤编工"),
        ("东莞电子厂普工 日结", "电子厂普工"),
        ("浙江宁波服装厂车工", "服装厂车工"),
        ("贵州省贵阳市家政服务员", "家政服务员"),
        ("大龙开发区工厂普工", "工厂普工"),
        ("七里塘村护林员", "护林员"),
        ("某某县保洁员", "保洁员"),
        ("城区保洁", "保洁"),
        ("快递员 玉屏县城", "快递员"),
        # recruiting heads and companies
        ("招收银员", "收银员"),
        ("聘厨师", "厨师"),
        ("玉屏某某鞋业有限公司缝纫工", "缝纫工"),
        ("平溪街道藤制品厂招藤编师傅5人", "藤制品厂藤编师傅"),
        # words that look like noise but are titles
        ("招商专员", "招商专员"),
        ("招聘专员", "招聘专员"),
        ("超市收银员", "超市收银员"),
        ("市场管理员", "市场管理员"),
        ("乡村建设工匠", "乡村建设工匠"),
        ("社区网格员", "社区网格员"),
        ("C1司机", "c1司机"),
        # nothing but noise falls back to the normalised text
        ("急招", "急招"),
        ("", ""),
    ],
)
def test_clean_job_title(title, expected):
    assert clean_job_title(title) == expected


@pytest.mark.parametrize(
    ("title", "segments"),
    [
        ("木工 支模", ["木工", "支模"]),
        ("普工/操作工 长期", ["普工", "操作工"]),
        ("医院护工 24小时陪护", ["医院护工", "陪护"]),
        ("急招 藤椅编织工", ["藤椅编织工"]),
    ],
)
def test_title_segments(title, segments):
    assert title_segments(title) == segments


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("会编藤椅", "编藤椅"),
        ("做保洁", "保洁"),
        ("熟练使用电动缝纫机", "电动缝纫机"),
        ("擅长做家常菜", "家常菜"),
        ("懂电脑", "电脑"),
        ("能吃苦", "吃苦"),
        ("有3年电焊经验", "电焊"),
        ("五年育婴经验", "育婴"),
        ("多年砌砖工作经验", "砌砖"),
        ("焊接技术", "焊接"),
        ("保洁工作", "保洁"),
        ("电脑技能", "电脑"),
        ("木工手艺", "木工"),
        # too short to strip, or a whole word
        ("做饭", "做饭"),
        ("会做饭", "做饭"),
        ("会计", "会计"),
        ("有机种植", "有机种植"),
        ("Ｃ１驾照", "c1驾照"),
    ],
)
def test_normalise_skill_text(phrase, expected):
    assert normalise_skill_text(phrase) == expected


def test_place_names_come_from_the_divisions_file():
    names = set(place_names())
    assert {
        "玉屏",
        "玉屏侗族自治县",
        "平溪街道",
        "平溪",
        "大龙",
        "铜仁",
        "七里塘村",
        "东莞",
        "浙江省",
    } <= names
    # Short forms of towns outside Yuping are only stripped with their suffix.
    assert "茶店街道" in names
    assert "茶店" not in names
    assert list(place_names()) == sorted(names, key=lambda name: (-len(name), name))


def test_has_cjk():
    assert has_cjk("c1驾照")
    assert not has_cjk("c1")
