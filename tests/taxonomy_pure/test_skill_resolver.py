"""Resolving free-text skill phrases to the skill vocabulary (taxonomy.skill_resolver)."""

from __future__ import annotations

import pytest

from taxonomy.skill_resolver import (
    METHODS,
    ResolverSettings,
    SkillResolution,
    SkillResolver,
    split_skill_text,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("编藤椅", "rattan.weaving"),
        ("会编藤椅", "rattan.weaving"),
        ("藤椅编织", "rattan.weaving"),
        ("育儿嫂", "care.infant"),
        ("带小孩", "care.infant"),
        ("带孩子", "care.infant"),
        ("做保洁", "house.cleaning"),
        ("打扫卫生", "house.cleaning"),
        ("月嫂", "care.maternal"),
        ("会开车", "drive.c1"),
        ("C1驾照", "drive.c1"),
        ("开叉车", "drive.forklift"),
        ("砌砖", "build.masonry"),
        ("电焊", "build.welding"),
        ("有3年电焊经验", "build.welding"),
        ("熟练使用电动缝纫机", "factory.industrial_sewing"),
        ("蒸藤条", "rattan.steaming"),
        ("藤条削皮", "rattan.peeling"),
        ("上漆", "rattan.finishing"),
        ("苗族刺绣", "craft.miao_embroidery"),
        ("蜡染", "craft.batik"),
        ("采茶", "agri.tea_picking"),
        ("种香菇", "agri.mushroom"),
        ("开挖掘机", "drive.excavator"),
        ("送外卖", "drive.delivery"),
        ("直播带货", "ecom.livestream"),
        ("会说普通话", "gen.mandarin"),
        ("会用智能手机", "gen.smartphone"),
        ("懂电脑", "gen.computer"),
        ("能吃苦耐劳", "gen.physical"),
        ("照顾老人", "care.elderly"),
        ("医院陪护", "care.patient"),
        ("做家常菜", "house.home_cooking"),
        ("会计", "office.accounting"),
    ],
)
def test_resolves_everyday_phrases(resolver, text, code):
    result = resolver.resolve(text)
    assert result.skill_code == code, result
    assert result.skill_name == resolver.skill(code).name
    assert result.text == text


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("藤编", "exact"),
        ("保洁", "exact"),
        ("编藤椅", "alias"),
        ("做保洁", "alias"),
        ("藤椅编制工艺", "fuzzy"),
    ],
)
def test_methods(resolver, text, method):
    assert resolver.resolve(text).method == method


def test_confidence_order(resolver):
    exact, alias, approximate = (resolver.resolve(text) for text in ("藤编", "编藤椅", "会编苗绣"))
    assert exact.confidence == 1.0
    assert 0.9 <= alias.confidence < 1.0
    assert approximate.method in {"fuzzy", "ngram"}
    assert 0.0 < approximate.confidence < alias.confidence


def test_approximate_phrases(resolver):
    assert resolver.resolve("会编苗绣").skill_code == "craft.miao_embroidery"
    assert resolver.resolve("打扫房间卫生").skill_code == "house.cleaning"
    assert resolver.resolve("照顾老年人").skill_code == "care.elderly"


@pytest.mark.parametrize("text", ["吹唢呐", "不会开车", "没有驾照", "", "！！"])
def test_unresolved_text_is_kept(resolver, text):
    result = resolver.resolve(text)
    assert (result.skill_code, result.skill_name, result.method, result.confidence) == (
        None,
        None,
        "none",
        0.0,
    )
    assert result.text == text


def test_resolve_many_keeps_order_and_length(resolver):
    texts = ["编藤椅", "吹唢呐", "带小孩", "", "开叉车"]
    results = resolver.resolve_many(texts)
    assert [r.text for r in results] == texts
    assert [r.skill_code for r in results] == ["rattan.weaving", None, "care.infant", None, "drive.forklift"]
    assert all(isinstance(r, SkillResolution) and r.method in METHODS for r in results)
    assert results == [resolver.resolve(text) for text in texts]


def test_resolve_text_splits_first(resolver):
    results = resolver.resolve_text("会编藤椅、做保洁，带孩子/开叉车")
    assert [r.skill_code for r in results] == [
        "rattan.weaving",
        "house.cleaning",
        "care.infant",
        "drive.forklift",
    ]


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("会编藤椅、做保洁，带孩子/开叉车", ["会编藤椅", "做保洁", "带孩子", "开叉车"]),
        ("砌砖; 抹灰\n贴瓷砖", ["砌砖", "抹灰", "贴瓷砖"]),
        ("编藤椅和做保洁", ["编藤椅", "做保洁"]),
        ("会开车还会修车", ["会开车", "修车"]),
        ("养猪以及种菜", ["养猪", "种菜"]),
        ("和面", ["和面"]),
        ("新娘跟妆", ["新娘跟妆"]),
        ("保洁、保洁", ["保洁"]),
        ("", []),
        (" 、，", []),
    ],
)
def test_split_skill_text(text, phrases):
    assert split_skill_text(text) == phrases


def test_thresholds_are_settings(skill_rows):
    strict = SkillResolver.from_rows(
        skill_rows, settings=ResolverSettings(fuzzy_threshold=100, ngram_threshold=1.01)
    )
    assert strict.resolve("会编苗绣").method in {"fuzzy", "none"}  # only the contained alias path is left
    assert strict.resolve("照顾老年人").method == "none"


def test_from_tuples():
    resolver = SkillResolver.from_rows(
        [
            ("craft.batik", "蜡染", "handicraft", "画蜡|点蜡"),
            ("house.cleaning", "保洁", "housekeeping", ["做保洁"]),
        ]
    )
    assert resolver.resolve("点蜡").skill_code == "craft.batik"
    assert resolver.resolve("做保洁").method == "alias"


def test_empty_vocabulary_is_rejected():
    with pytest.raises(ValueError, match="no skills"):
        SkillResolver.from_rows([])
