"""Pure text normalisation for job titles and skill phrases (no Django: used by the coders and the engine)."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Characters that print as nothing (zero-width space/joiners, word joiner, BOM, soft hyphen, LRM/RLM):
# removed from every text typed in, so that "​" is empty and "缝​纫​工" is 缝纫工.
# Control characters other than tab, line feed and carriage return (NUL, bell, escape, DEL, the C1 block) print as
# nothing too, and no spreadsheet can hold them (openpyxl refuses them in a cell): removed the same way.
CONTROLS = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
INVISIBLE = dict.fromkeys(
    (*map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"), *CONTROLS)
)
# Bidirectional embeddings, overrides and isolates: they make "‮gpj.exe" look like "exe.jpg"; refused in names.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# Full-width punctuation and currency signs of Chinese text, and the ellipsis (……): kept as typed, since NFKC
# would rewrite （二期） to (二期), ：to :, ￥ to ¥ and …… to ......; everything else is folded.
KEPT_AS_TYPED = re.compile("([\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff60\uffe0-\uffe6\u2025\u2026]+)")


def clean_text(value: str) -> str:
    """Text as typed, in its canonical form: without the characters that print as nothing, then NFKC
    (full-width letters and digits to ASCII, ligatures and compatibility forms unfolded) except for the
    full-width punctuation of Chinese text, which stays as typed. Emptiness and length are judged on this
    form: a title of zero-width spaces is empty, ＡＢ１２ is AB12 and counts 4."""
    parts = KEPT_AS_TYPED.split(value.translate(INVISIBLE))
    folded = "".join(part if index % 2 else unicodedata.normalize("NFKC", part) for index, part in enumerate(parts))
    return unicodedata.normalize("NFC", folded)


# Big places that job postings name as the place of work (广东东莞电子厂普工 …). Tongren's own
# divisions come from places_tongren.csv; these are the usual destinations of labour migration.
BIG_PLACES = tuple(
    (
        "贵州 贵阳 遵义 安顺 毕节 六盘水 凯里 都匀 兴义 黔东南 黔南 黔西南 广东 广州 深圳 东莞 佛山 中山 珠海 惠州 "
        "江门 肇庆 汕头 浙江 杭州 宁波 温州 金华 义乌 台州 嘉兴 绍兴 湖州 慈溪 余姚 江苏 苏州 昆山 无锡 常州 "
        "南京 南通 福建 厦门 福州 泉州 晋江 莆田 湖南 长沙 怀化 株洲 新晃 芷江 上海 北京 天津 重庆 四川 成都 "
        "云南 昆明 广西 柳州 桂林 湖北 武汉 江西 南昌 安徽 合肥 山东 青岛 河南 郑州 海南 海口 三亚"
    ).split()
)
# Phrases that say where, not what.
PLACE_WORDS = tuple("县城 城区 市区 本地 省内 省外 外省 县内 市内 沿海 长三角 珠三角 江浙沪".split())

_ETHNIC_SUFFIX = re.compile(
    r"(?:(?:侗|苗|土家|仡佬|布依|彝|回|水|瑶|壮|蒙古|白)族)*(?:自治县|自治州|县|市|区|街道办事处|办事处|街道|镇|乡)$"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")

_SALARY_UNITS = r"(?:元|块|k|千|w|万)"
_PERIOD = r"(?:(?:/|每|一)\s*)?(?:月|天|日|小时|时|h|件|个|年|周|单|趟|平方|平米|方|吨)"
_NUM = r"\d+(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十百千万]+"
_RANGE_SEP = r"\s*[-~—–至到]\s*"

# Order matters: ages before salaries (18-45岁 is not a wage), salaries before counts.
_NOISE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # ages and age limits
        rf"(?:年龄)?[:：]?\s*\d{{2}}{_RANGE_SEP}\d{{2}}\s*周?岁(?:以下|以内|以上|之间)?",
        r"(?:年龄)?[:：]?\s*\d{2}\s*周?岁(?:以下|以内|以上|之间|左右)?",
        r"年龄不限|不限年龄|年龄要求|年龄",
        # salaries: keyword + amount, ranges, amounts with a unit or a period, piece rates
        rf"(?:月薪|日薪|时薪|底薪|年薪|薪资|薪水|工资|保底|综合工资|综合薪资|待遇|月入|日入|收入|税前|税后|包底)"
        rf"[:：]?\s*(?:{_NUM}|{_CN_NUM})(?:{_RANGE_SEP}(?:{_NUM}|{_CN_NUM}))?\s*{_SALARY_UNITS}?"
        rf"\s*(?:以上|左右|起|上下|\+)?\s*{_PERIOD}?",
        rf"{_NUM}\s*{_SALARY_UNITS}?{_RANGE_SEP}{_NUM}\s*{_SALARY_UNITS}?\s*(?:以上|左右|\+)?\s*{_PERIOD}?",
        rf"{_NUM}\s*(?:元|块)\s*(?:以上|左右|起|\+)?\s*{_PERIOD}?",
        rf"{_NUM}\s*(?:/|每)\s*(?:月|天|日|小时|时|件|个|年)",
        rf"{_NUM}\s*(?:k|w)\+?(?![a-z])",
        rf"(?<![a-z\d]){_NUM}\s*(?:千|万)(?:元)?(?:以上|左右|起|\+)?",
        r"\d{3,}\s*\+",
        r"\d+\s*(?:小时|个小时)",
        r"\d+\s*吨",
        # head counts
        r"(?:若干|数|多|\d+|[一二两三四五六七八九十]+)\s*(?:名|人|位)",
        r"\d+\s*个",
        r"若干",
        # recruiting words
        r"高薪诚聘|高薪招聘|高薪急聘|火热招聘|火热招募|紧急招聘|紧急招|诚聘|急聘|急招|急需|急缺|热招|诚招|厂家直招|直招|"
        r"长期招聘|长期招|常年招|大量招|现招|特招|招工|招募|聘请|聘用",
        r"招聘(?!专员|主管|经理|助理|师|顾问)",
        # pay and conditions
        r"计件|计时|按件计酬|面议|薪资面议|工资面议|薪资优厚|待遇优厚|待遇从优|高薪|底薪|提成|上不封顶|多劳多得|"
        r"工资日结|日结|月结|周结|当天结|现结|月休\d*天?|工资|薪资|薪水|薪酬|待遇",
        r"包吃包住|包吃住|包食宿|提供食宿|免费食宿|食宿|包住|包吃|包三餐|管吃住|管吃|管住|五险一金|五险|缴社保|买社保|社保|"
        r"周末双休|双休|单休|大小周|长白班|白班|夜班|两班倒|三班倒|两班|倒班|做六休一|带薪年假|年终奖|加班费|不加班|有加班|"
        r"朝九晚五|坐班|在家办公|居家办公|可居家|居家就业|家门口就业|就近就业|离家近|交通补贴|餐补|全勤奖|包车接送|"
        r"免费培训|带薪培训|可培训|包培训|有培训|持证上岗|持证|有证|熟练工|熟手|学历不限|经验不限|无经验可|无需经验|"
        r"(?:初中|高中|中专|大专|本科)(?:及)?以上(?:学历)?|身体健康|吃苦耐劳|责任心强|福利好|环境好|工作轻松|"
        r"长期稳定|长期|临时工|临时|兼职|全职|正式工|可带回家做|带回家做|居家|周末|早晚班|早班|晚班|中班",
        r"扶贫车间|就业车间|帮扶车间|就业帮扶|易地扶贫搬迁|搬迁群众|脱贫户|监测户",
        r"(?:宝妈|女性|男性|女士|男士|本地人|退役军人|有经验者?|经验|会电脑者?)?优先",
        r"男女不限|男女均可|男女皆可|男女|仅限女性?|仅限男性?|限女性?|限男性?|女性|男性",
        r"要求|以上|以下|以内|左右",
    )
)
_RECRUIT_HEAD = re.compile(
    r"(?:^|(?<=[\s厂司店部院馆园场区村镇县市道]))(?!招聘(?:专员|主管|经理|助理|师|顾问))(?:招|聘)+(?![商标生投牌])"
)
_COMPANY = re.compile(
    r"[\u4e00-\u9fffa-z0-9]{2,20}?(?:有限责任公司|股份有限公司|有限公司|集团公司|集团|公司)"
)
_PLACE_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{2,5}?(?:自治县|县(?!城|级)|(?<!城)市(?![场政民])|开发区|经开区|高新区|工业园区?|园区|区(?!域)|镇|乡(?![村镇])|街道)"
)
# 江红招聘抛光工, 霞浦县莱福牛餐饮...招聘服务员: whoever recruits, before the recruiting word.
_COMPANY_BEFORE_RECRUITING = re.compile(
    r"^.{2,30}?(?:高薪诚聘|高薪招聘|诚聘|急聘|直聘|招聘|诚招|急招)(?!专员|主管|经理|助理|师|顾问|会|$)"
)
# Job-board reference numbers (j10078, mj002234, id142822).
_JOB_ID = re.compile(r"(?<![a-z])[a-z]{1,3}\d{3,}")
# English words of five letters or more mixed into a Chinese title (assistant, outsourcing).
_ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{5,}(?![a-z])")
_TRAILING = re.compile(r"(?:岗位|职位|若干|数名|多名)+$")
_BRACKETED = re.compile(r"【[^】]*】|\[[^\]]*\]|〔[^〕]*〕|\([^)]*\)|<[^>]*>|《[^》]*》|「[^」]*」")
_SEPARATOR = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width (NFKC); Chinese is unchanged."""
    return unicodedata.normalize("NFKC", text or "")


def _is_kept(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Mn"


def normalise_text(text: str) -> str:
    """NFKC, lower-case Latin, and drop whitespace, punctuation and symbols (Chinese kept)."""
    return "".join(char for char in to_halfwidth(text).lower() if _is_kept(char))


def _short_place_name(name: str) -> str:
    short = _ETHNIC_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    """Place-name fragments to strip from job titles, longest first.

    Tongren's divisions in full (玉屏侗族自治县, 平溪街道, 七里塘村 …) and in short form for the city,
    the counties and the towns of Yuping (铜仁, 玉屏, 平溪, 大龙 …), plus big destinations (东莞, 浙江 …).
    Short forms of other towns are only stripped with their suffix (茶店街道, not 茶店).
    """
    names: set[str] = set(PLACE_WORDS)
    for place in BIG_PLACES:
        names.update({place, place + "省", place + "市"})
    path = DATA_DIR / "places_tongren.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(_place_variants(row["name"], row["level"], row["code"]))
    sites = DATA_DIR / "sites.csv"
    if sites.exists():
        with sites.open(encoding="utf-8", newline="") as handle:
            names.update(row["name"] for row in csv.DictReader(handle) if row.get("name"))
    names = {name for name in names if len(name) >= 2 and name not in {"市辖区", "街道社区"}}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


def _place_variants(name: str, level: str, code: str) -> set[str]:
    for suffix, replacement in (("办事处", ""), ("村委会", "村"), ("居委会", "社区")):
        if name.endswith(suffix):
            name = name[: -len(suffix)] + replacement
    variants = {name}
    if level == "village":
        return variants if len(name) >= 3 else set()
    short = _short_place_name(name)
    if short == name:
        return variants
    in_yuping = code.startswith("520622")
    if level in ("city", "county") or in_yuping:
        variants.add(short)
    if level == "county":
        variants.update({short + "县", short + "县城"})
    elif level == "town":
        variants.update({short + "镇", short + "乡", short + "街道"})
    elif level == "city":
        variants.add(short + "市")
    return variants


@lru_cache(maxsize=1)
def _occupation_words() -> frozenset[str]:
    """Names and aliases of the classification (a place name inside one of them is not stripped)."""
    path = DATA_DIR / "csco22.csv"
    words: set[str] = set()
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                words.add(row["name"])
                words.update(alias.strip() for alias in (row.get("alias") or "").split(","))
    return frozenset(word for word in words if word)


@lru_cache(maxsize=1)
def china_place_names() -> frozenset[str]:
    """Provinces, cities, districts and counties of China (cncity.csv), full and short names.

    A short name that is part of an occupation's name or alias (白云, 和平 …) is left out, and so are
    names shorter than two characters.
    """
    path = DATA_DIR / "cncity.csv"
    names: set[str] = set()
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(name.strip() for name in (row.get("name") or "", row.get("short_name") or ""))
    occupation_text = "\n".join(_occupation_words())
    return frozenset(
        name for name in names if len(name) >= 2 and name != "中国" and name not in occupation_text
    )


@lru_cache(maxsize=1)
def _place_lookup() -> tuple[frozenset[str], int]:
    names = set(place_names()) | china_place_names()
    return frozenset(names), max(len(name) for name in names)


def strip_places(text: str) -> str:
    """Replace every place name in the text (longest match first, left to right) by a space."""
    names, longest = _place_lookup()
    pieces: list[str] = []
    start = position = 0
    length = len(text)
    while position < length:
        for size in range(min(longest, length - position), 1, -1):
            if text[position : position + size] in names:
                pieces.append(text[start:position])
                pieces.append(" ")
                position += size
                start = position
                break
        else:
            position += 1
    pieces.append(text[start:])
    return "".join(pieces)


def _strip_brackets(text: str) -> str:
    """Drop bracketed notes (【玉屏】, （限女）); keep the content when nothing else is left."""
    stripped = _BRACKETED.sub(" ", text)
    if normalise_text(stripped):
        return stripped
    return re.sub(r"[【】\[\]〔〕()<>《》「」]", " ", text)


def _remove_noise(text: str) -> str:
    text = _COMPANY_BEFORE_RECRUITING.sub(" ", text)
    text = _JOB_ID.sub(" ", text)
    if has_cjk(text):
        text = _ENGLISH_WORD.sub(" ", text)
    text = strip_places(text)
    text = _COMPANY.sub(" ", text)
    for pattern in _NOISE_PATTERNS:
        text = pattern.sub(" ", text)
    return _RECRUIT_HEAD.sub(" ", text)


def _tidy_segment(segment: str) -> str:
    segment = _RECRUIT_HEAD.sub("", segment)
    prefix = _PLACE_PREFIX.match(segment)
    if prefix and prefix.end() < len(segment):
        segment = segment[prefix.end() :]
    segment = _TRAILING.sub("", segment)
    # Leftover digits mean nothing on their own (licence classes such as c1, b2 keep theirs).
    segment = re.sub(r"(?<![a-z])\d+(?:\.\d+)?", "", segment)
    return segment


def title_segments(text: str, *, fallback: bool = True) -> list[str]:
    """The cleaned pieces of a job title, in order ('木工 支模' → ['木工', '支模']); see clean_job_title.

    When everything looks like noise ('急招 日结 包吃住'), the plain normalised text comes back as the
    one segment, or nothing when `fallback` is False.
    """
    if not text:
        return []
    lowered = to_halfwidth(text).lower()
    denoised = _remove_noise(_strip_brackets(lowered))
    segments = [_tidy_segment(piece) for piece in _SEPARATOR.split(denoised)]
    segments = [segment for segment in segments if segment]
    # A lone Chinese character left between removed fragments (城, 男) is debris, not a title.
    if len(segments) > 1:
        segments = [segment for segment in segments if len(segment) > 1 or not has_cjk(segment)] or segments
    if segments or not fallback:
        return segments
    plain = normalise_text(lowered)
    return [plain] if plain else []


def clean_job_title(text: str) -> str:
    """A posted job title without recruiting noise, normalised: '急招藤椅编织工10名 包吃住' → '藤椅编织工'.

    Removes bracketed notes, salaries, head counts, ages, benefits, recruiting words, place names
    and company names, then joins what is left. Never returns an empty string for a title that had
    letters or digits: when everything looks like noise, the plain normalised text is returned.
    """
    return "".join(title_segments(text))


_SKILL_PREFIXES = tuple(
    sorted(
        "熟练掌握 熟练使用 熟练 熟悉 擅长 精通 掌握 会做 会用 能够 可以 还会 也会 都会 还能 "
        "比较会 很会 学过 做过 干过 从事过 从事 具有 具备 能 会 做 懂 有".split(),
        key=len,
        reverse=True,
    )
)
_SKILL_SUFFIXES = tuple("相关工作经验 工作经验 相关经验 的经验 经验 技能 技术 手艺 工作 等".split())
# Words that start like a prefix but are whole words (会计 is not 会 + 计).
_PROTECTED_STARTS = tuple("会计 会议 会展 会务 会员 会籍 能源 能效 有机 有色 有线 有限 做账".split())
_YEARS = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几多半]+)\s*(?:年|个月)(?:以上|左右|多|的)?|多年|好几年|几年"
)


def normalise_skill_text(text: str) -> str:
    """A skill phrase reduced to its core: '有3年电焊经验' → '电焊', '会做保洁' → '保洁', '做饭' stays."""
    phrase = _YEARS.sub("", normalise_text(text))
    changed = True
    while changed:
        changed = False
        for prefix in _SKILL_PREFIXES:
            rest = phrase[len(prefix) :]
            if phrase.startswith(prefix) and len(rest) >= 2 and not phrase.startswith(_PROTECTED_STARTS):
                phrase, changed = rest, True
                break
        for suffix in _SKILL_SUFFIXES:
            rest = phrase[: -len(suffix)]
            if phrase.endswith(suffix) and len(rest) >= 2:
                phrase, changed = rest, True
                break
    return phrase


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return bool(_CJK.search(text or ""))
