"""The fixed words of the Pingxi demo: names, places, deputies, courses, employers and job templates.

Everything here is plain data (tuples, dataclasses) so the generators stay short and the demo
stays the same from one run to the next. Skill codes refer to `taxonomy/data/skills.csv`;
occupations are named as in the 2022 national classification (level 4) and looked up by name.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Places (codes of taxonomy/data/places_tongren.csv and sites.csv)
COUNTY_CODE = "520622"  # 玉屏侗族自治县
PINGXI_CODE = "520622002000"  # 平溪街道
HUANGCHA_CODE = "520622002S01"  # 黄岔安置点
KANGHUA_CODE = "520622002S02"  # 康华社区
DALONG_CODE = "520622101000"  # 大龙镇
BIJIANG_CODE = "520602000000"  # 碧江区
WANSHAN_CODE = "520603000000"  # 万山区

STATION_NAME = "平溪街道人大代表联络站"
STATION_ADDRESS = "玉屏侗族自治县平溪街道康华社区综合服务中心二楼"

# Which room serves which places (by name); places of 平溪街道 not listed go round-robin.
ROOMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("第一联络室", ("黄岔安置点", "安坪村", "文水社区", "平溪村")),
    ("第二联络室", ("康华社区", "七里塘村", "教场坝社区", "红花村")),
    ("第三联络室", ("舞阳村", "马头田村", "杨柳村")),
)

# Where households live: most at the two resettlement sites, the rest in the villages.
SITE_WEIGHTS: dict[str, float] = {
    "黄岔安置点": 40, "康华社区": 32, "安坪村": 5, "七里塘村": 5, "文水社区": 3, "教场坝社区": 3,
    "平溪村": 3, "红花村": 2, "舞阳村": 2.5, "马头田村": 2, "杨柳村": 2.5,
}
OTHER_PLACE_WEIGHT = 2.0

# --- People
SURNAMES: tuple[tuple[str, int], ...] = (
    ("杨", 14), ("吴", 12), ("姚", 8), ("龙", 8), ("田", 7), ("张", 6), ("刘", 5), ("李", 5), ("周", 4),
    ("罗", 4), ("蒲", 3), ("石", 3), ("王", 3), ("陈", 2), ("黄", 2), ("彭", 2), ("麻", 2), ("舒", 2),
    ("胡", 2), ("邓", 2), ("唐", 1), ("潘", 1), ("向", 1), ("欧", 1), ("万", 1),
)

# Given-name characters by sex and by generation (born before 1975, 1975–1994, from 1995).
GIVEN_NAMES: dict[tuple[str, int], tuple[str, str]] = {
    ("M", 0): ("正光明国建德文昌世兴永金再茂本胜春", "华平明林军荣贵福安成生忠发强和云"),
    ("M", 1): ("志海小红俊永超伟晓建朝飞", "峰涛军伟强勇波刚辉杰林明"),
    ("M", 2): ("浩宇子俊家天文博锦一梓思", "轩杰豪宇辰航涛鹏然阳博睿"),
    ("F", 0): ("秀桂玉春金翠素兰凤英银", "英兰花芳珍梅莲香菊芬琴仙"),
    ("F", 1): ("丽小晓春红艳燕海美彩金", "琴燕霞梅丽娟芳萍艳敏莉红"),
    ("F", 2): ("欣雨佳思梓诗婷紫雅心", "怡婷雪悦涵琪瑶萱妍彤颖蕾"),
}

ETHNICITIES: tuple[tuple[str, float], ...] = (("侗族", 56), ("汉族", 30), ("苗族", 9), ("土家族", 4), ("仡佬族", 1))

DISABILITY_NOTES = (
    "肢体残疾四级（左腿）", "肢体残疾三级", "听力残疾三级", "视力残疾四级", "言语残疾四级", "智力残疾（轻度）",
)

PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158",
    "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)

UNRESOLVED_SKILL_TEXTS = (
    "会做侗家油茶", "会开三轮车", "会吹芦笙", "做过玉屏箫笛", "会编背篼", "在浙江鞋厂干过三年", "会修农用水泵",
    "会种烤烟", "做过月子餐", "会打糍粑",
)

RESIDENT_NOTES = (
    "赶集日到站登记。", "希望在安置点附近就业。", "家中有老人需要照顾，只能做半天。", "想学藤椅编织。",
    "曾在广东电子厂务工，现返乡。", "有意参加家政培训。", "希望居家做手工。", "愿意去县外务工。",
)

# Skill profiles: (profile, sex, weight by age band 16–24, 25–44, 45–59, 60–70, skills with weights)
@dataclass(frozen=True)
class SkillProfile:
    """A kind of working life, with the skills it brings and the occupations it wants."""

    name: str
    sex: str  # "M", "F" or "" for both
    weights: tuple[float, float, float, float]  # by age band 16–24, 25–44, 45–59, 60–70
    skills: tuple[str, ...]
    occupations: tuple[str, ...] = ()


SKILL_PROFILES: tuple[SkillProfile, ...] = (
    SkillProfile("handicraft", "F", (2, 6, 5, 3), (
        "craft.dong_embroidery", "craft.embroidery", "craft.fabric_art", "craft.beading", "craft.knotting",
        "craft.knitting", "craft.cloth_shoes", "craft.brocade", "craft.batik", "craft.ethnic_costume",
    ), ("民间工艺品制作工", "抽纱刺绣工")),
    SkillProfile("rattan", "", (1, 3, 3, 1), (
        "rattan.weaving", "rattan.binding", "rattan.peeling", "rattan.steaming", "rattan.trimming",
        "rattan.frame_bending", "rattan.nailing", "rattan.finishing", "rattan.material_selection",
    ), ("竹藤师", "木竹藤材处理工")),
    SkillProfile("housekeeping", "F", (1, 4, 4, 1), (
        "house.general", "house.cleaning", "house.home_cooking", "house.laundry", "care.infant", "care.elderly",
        "care.maternal",
    ), ("家政服务员", "养老护理员", "保洁员")),
    SkillProfile("garment", "F", (3, 4, 2, 0.2), (
        "factory.sewing", "factory.industrial_sewing", "factory.cutting", "factory.ironing", "factory.packing",
        "factory.qc",
    ), ("缝纫工",)),
    SkillProfile("electronics", "", (5, 3, 1, 0), (
        "factory.assembly_line", "factory.electronics_assembly", "factory.soldering", "factory.packing",
        "factory.qc", "gen.shift_work",
    ), ("电子设备装接工",)),
    SkillProfile("construction", "M", (2, 7, 6, 2), (
        "build.masonry", "build.rebar", "build.carpentry", "build.concrete", "build.labourer", "build.scaffolding",
        "build.plastering", "build.tiling", "build.welding", "build.painting", "build.plumbing_electric",
        "build.formwork", "build.rural_house",
    ), ("砌筑工", "钢筋工", "装饰装修工", "乡村建设工匠")),
    SkillProfile("driving", "M", (2, 4, 2, 0.3), (
        "drive.c1", "drive.b2", "drive.forklift", "drive.excavator", "drive.delivery", "drive.motorcycle",
        "logi.loading",
    ), ("道路货运汽车驾驶员", "快递员")),
    SkillProfile("logistics", "", (3, 2, 1, 0.2), (
        "logi.loading", "logi.sorting", "logi.courier", "logi.warehouse", "logi.scanner", "ecom.order",
    ), ("快递员", "装卸搬运工", "仓储管理员")),
    SkillProfile("farming", "", (0.5, 2, 5, 7), (
        "agri.crop", "agri.vegetable", "agri.tea_picking", "agri.tea_garden", "agri.poultry", "agri.pig",
        "agri.cattle", "agri.mushroom", "agri.fruit", "agri.machinery",
    ), ("农艺工", "家禽饲养员")),
    SkillProfile("catering", "", (2, 2, 1.5, 0.3), (
        "cook.chinese", "cook.prep", "cook.pastry", "cook.local_snacks", "cook.waiter", "cook.dishwashing",
        "cook.canteen", "gen.health_certificate",
    ), ("中式烹调师", "餐厅服务员")),
    SkillProfile("ecommerce", "", (3, 1, 0.1, 0), (
        "ecom.livestream", "ecom.video", "ecom.customer_service", "ecom.shop_ops", "ecom.order", "gen.computer",
    ), ("互联网营销师", "电子商务师")),
    SkillProfile("retail", "", (3, 1.5, 0.5, 0.1), (
        "retail.cashier", "retail.shop_assistant", "retail.shelf", "retail.sales",
    ), ("收银员", "商品营业员")),
    SkillProfile("security", "M", (0.3, 1, 3, 2), (
        "sec.guard", "sec.property", "sec.parking", "sec.monitoring",
    ), ("保安员",)),
    SkillProfile("repair", "M", (1, 1.5, 1, 0.3), (
        "repair.motorcycle", "repair.appliance", "repair.electrician", "repair.car", "repair.phone",
    ), ("汽车维修工",)),
)

GENERAL_SKILLS_BY_ETHNICITY = {"侗族": "gen.dong_language", "苗族": "gen.miao_language"}

# --- Deputies: (name, level, room index)
DEPUTIES: tuple[tuple[str, str, int], ...] = (
    ("杨秀珍", "county", 0), ("吴正华", "city", 0), ("姚本贵", "county", 0), ("龙玉兰", "county", 0),
    ("田茂军", "county", 0), ("周建国", "city", 0),
    ("张兴荣", "county", 1), ("刘德明", "city", 1), ("李春梅", "county", 1), ("罗世英", "county", 1),
    ("蒲光辉", "county", 1),
    ("杨再兴", "city", 2), ("吴爱萍", "county", 2), ("姚茂林", "county", 2), ("龙桂花", "county", 2),
    ("石国平", "county", 2),
)

# --- Logins: username → (group, surname, given name)
LOGINS: dict[str, tuple[str, str, str]] = {
    "admin": ("", "管理员", ""),
    "bureau": ("bureau", "吴", "敏"),
    "liaison": ("liaison", "姚", "丽"),
    "resident": ("resident", "", ""),
    "deputy": ("deputy", "", ""),
}
DEMO_PASSWORD = "lianxin-demo"  # noqa: S105 - the documented demo password

# --- Training: (code, name, hours, description, skills granted with levels)
COURSES: tuple[tuple[str, str, int, str, tuple[tuple[str, int], ...]], ...] = (
    ("handicraft", "手工艺品制作", 40, "侗绣、布艺香包、串珠和中国结等手工艺品制作，结业后可在扶贫车间或居家计件。", (
        ("craft.dong_embroidery", 2), ("craft.embroidery", 2), ("craft.fabric_art", 2), ("craft.beading", 2),
        ("craft.knotting", 2),
    )),
    ("rattan-chair", "藤椅加工", 60, "藤料挑选、蒸煮软化、骨架制作、藤编、缠扎、钉装、修边和上漆，康华社区扶贫车间实训。", (
        ("rattan.material_selection", 2), ("rattan.steaming", 2), ("rattan.frame_bending", 2),
        ("rattan.weaving", 3), ("rattan.binding", 2), ("rattan.nailing", 2), ("rattan.trimming", 2),
        ("rattan.finishing", 2),
    )),
    ("housekeeping", "家政服务", 56, "家庭保洁、家常菜、洗衣熨烫、婴幼儿和老人照护，考核合格颁发结业证书并推荐上岗。", (
        ("house.general", 3), ("house.cleaning", 3), ("house.home_cooking", 2), ("house.laundry", 2),
        ("care.infant", 2), ("care.elderly", 2),
    )),
)
TRAINING_PARTNERS = ("县就业局", "县人社局", "县妇联", "县农业农村局", "平溪街道办事处", "县残联", "县总工会")
TRAINERS: dict[str, tuple[str, ...]] = {
    "handicraft": ("姚秀英（侗绣传承人）", "吴春兰", "龙彩霞"),
    "rattan-chair": ("杨光明（藤编师傅）", "田正华", "蒲建林"),
    "housekeeping": ("刘晓燕（高级育婴师）", "周美娟", "李丽萍"),
}
# Where sessions run: (place name, venue)
TRAINING_VENUES: tuple[tuple[str, str], ...] = (
    ("康华社区", "康华社区扶贫车间培训室"),
    ("黄岔安置点", "黄岔安置点社区服务中心"),
    ("平溪街道", "平溪街道人大代表联络站会议室"),
    ("安坪村", "安坪村村委会会议室"),
    ("七里塘村", "七里塘村新时代文明实践站"),
)


# --- Employers and postings
@dataclass(frozen=True)
class PostingTemplate:
    """A kind of job an employer of an industry posts, and the ranges its postings take."""

    titles: tuple[str, ...]
    occupation: str  # level-4 occupation name, "" when a bureau would leave it uncoded
    required: tuple[tuple[str, int, bool], ...] = ()  # (skill code, level, mandatory)
    preferred: tuple[tuple[str, int], ...] = ()
    wages: tuple[tuple[str, float, float, float, float], ...] = (("month", 2600, 3600, 1200, 100),)
    home_based: float = 0.0  # probability that a posting is home-based
    work_times: tuple[str, ...] = ("full",)
    hours: tuple[float, ...] = (8,)
    ages: tuple[int, int] = (18, 55)
    openings: tuple[int, int] = (1, 10)
    duties: str = ""


@dataclass(frozen=True)
class Industry:
    """A line of business: how its employers are named and what they post."""

    code: str
    brands: tuple[str, ...]  # name endings
    templates: tuple[PostingTemplate, ...]
    benefits: tuple[str, ...] = ()
    posting_weight: float = 1.0  # how many postings an employer of this industry puts out, relatively
    kinds: tuple[str, ...] = ("91",)  # USCC kind: 91 company, 92 individual business, 93 cooperative
    in_county: float = 0.85  # probability that a generated employer sits in Yuping county
    address_hint: tuple[str, ...] = ("工业园区", "经济开发区", "大道", "路")


PIECE, DAY, HOUR, MONTH = "piece", "day", "hour", "month"

INDUSTRIES: tuple[Industry, ...] = (
    Industry("rattan", ("藤艺有限公司", "藤编工艺品有限公司", "藤制品加工厂", "藤椅专业合作社"), (
        PostingTemplate(("藤椅编织工", "藤椅编织工（计件）", "藤编工（可领料回家编）", "藤椅编织学徒（包教包会）"),
                        "竹藤师", (("rattan.weaving", 2, True),), (("rattan.binding", 2), ("gen.patience", 1)),
                        ((PIECE, 35, 60, 40, 1), (MONTH, 2500, 3200, 1500, 100)), 0.35, ("full", "flexible"), (8,),
                        (18, 60), (5, 30), "在骨架上编织椅面和靠背，按件计酬，多劳多得"),
        PostingTemplate(("藤条蒸煮工", "藤料处理工", "藤条削皮打磨工"), "木竹藤材处理工",
                        (("rattan.steaming", 1, False), ("rattan.peeling", 1, False)), (("gen.physical", 1),),
                        ((DAY, 120, 160, 40, 10), (MONTH, 2600, 3200, 800, 100)), 0, ("full",), (8,), (18, 55),
                        (2, 8), "藤条浸泡、蒸煮、削皮、打磨"),
        PostingTemplate(("藤椅骨架制作工", "藤椅弯架师傅"), "竹藤师", (("rattan.frame_bending", 3, True),),
                        (("rattan.nailing", 2),), ((MONTH, 3500, 4500, 1500, 100), (PIECE, 15, 30, 10, 1)), 0,
                        ("full",), (8, 9), (20, 55), (1, 4), "粗藤加热弯曲定型，拼装藤椅骨架"),
        PostingTemplate(("藤椅钉装工", "藤椅喷漆工", "藤椅修边工"), "木竹藤材处理工", (("rattan.nailing", 2, False),),
                        (("rattan.finishing", 2), ("rattan.trimming", 1)), ((MONTH, 3000, 3800, 800, 100),), 0,
                        ("full",), (8,), (18, 55), (1, 6), "钉装、修边、上漆"),
        PostingTemplate(("藤椅质检包装工", "藤制品包装工"), "包装工", (("rattan.packing", 1, False),),
                        (("rattan.quality_check", 1),), ((MONTH, 2400, 3000, 600, 100), (HOUR, 14, 18, 4, 1)), 0,
                        ("full", "part"), (8, 5), (18, 60), (1, 5), "检查、套膜、装箱"),
    ), ("就近就业", "可带孩子上班", "计件工资当月结清", "提供免费技能培训"), 3.0, ("91", "93"), 0.95),
    Industry("handicraft", ("手工艺品有限公司", "民族工艺品专业合作社", "侗绣文化有限公司", "文创有限公司"), (
        PostingTemplate(("侗绣绣娘（居家计件）", "手工刺绣工", "绣片加工（可居家）", "侗绣绣娘"), "抽纱刺绣工",
                        (("craft.dong_embroidery", 2, False),), (("craft.embroidery", 2), ("gen.patience", 1)),
                        ((PIECE, 5, 30, 20, 1), (MONTH, 2000, 2800, 1000, 100)), 0.7, ("flexible", "part"),
                        (4, 6, 8), (16, 65), (5, 40), "按样稿绣制侗绣绣片，领料交货在扶贫车间"),
        PostingTemplate(("手工艺品制作工", "民族工艺品制作工（计件）", "香包布艺手工（居家）"), "民间工艺品制作工",
                        (("craft.fabric_art", 1, False),), (("craft.beading", 1), ("craft.knotting", 1)),
                        ((PIECE, 2, 12, 8, 0.5), (DAY, 80, 120, 30, 10)), 0.7, ("flexible", "part"), (4, 6, 8),
                        (16, 65), (10, 50), "缝制香包、布偶等布艺品，按件计酬"),
        PostingTemplate(("串珠手工（可带回家做）", "中国结编织工（计件）", "手串编织工"), "民间工艺品制作工",
                        (("craft.beading", 1, False),), (("craft.knotting", 1),), ((PIECE, 0.5, 3, 2, 0.5),), 0.85,
                        ("flexible",), (4, 6), (16, 70), (10, 60), "串珠饰品、中国结编织，材料上门发放"),
        PostingTemplate(("蜡染工", "蜡染画制作工"), "民间工艺品制作工", (("craft.batik", 2, True),),
                        (("craft.tie_dye", 1),), ((DAY, 100, 150, 40, 10), (PIECE, 20, 60, 30, 5)), 0.3,
                        ("full", "flexible"), (8,), (18, 60), (2, 8), "画蜡、浸染、脱蜡"),
        PostingTemplate(("民族服饰缝制工", "侗族服饰制作工"), "民间工艺品制作工", (("craft.ethnic_costume", 2, False),),
                        (("factory.sewing", 2),), ((MONTH, 2600, 3500, 1000, 100), (PIECE, 30, 80, 40, 5)), 0.4,
                        ("full", "flexible"), (8,), (18, 60), (2, 10), "裁剪缝制民族服装"),
    ), ("居家就业", "材料上门发放", "计件工资月结", "免费培训"), 2.5, ("91", "93"), 0.95),
    Industry("flute", ("箫笛文化产业有限公司", "箫笛工艺厂"), (
        PostingTemplate(("箫笛制作工", "玉屏箫笛雕刻工", "箫笛打磨工"), "吹奏乐器制作工",
                        (("craft.wood_carving", 2, False),), (("gen.patience", 1), ("factory.polishing", 1)),
                        ((MONTH, 2800, 4000, 1200, 100), (PIECE, 8, 25, 10, 1)), 0.1, ("full",), (8,), (18, 55),
                        (2, 8), "选竹、钻孔、雕刻、打磨和上漆"),
    ), ("非遗技艺传承", "包午餐"), 1.0, ("91",), 1.0),
    Industry("garment", ("服饰有限公司", "制衣厂", "服装加工厂"), (
        PostingTemplate(("缝纫工", "平车工（熟手）", "车工（计件）", "缝纫工（学徒可教）"), "缝纫工",
                        (("factory.industrial_sewing", 2, True),), (("factory.sewing", 2),),
                        ((MONTH, 3000, 4200, 1800, 100), (PIECE, 1, 4, 2, 0.5)), 0, ("full",), (8, 9, 10),
                        (18, 50), (5, 40), "按工序车缝成衣"),
        PostingTemplate(("裁床工", "裁剪工"), "裁剪工", (("factory.cutting", 2, False),), (),
                        ((MONTH, 3200, 4200, 1000, 100),), 0, ("full",), (8, 9), (18, 50), (1, 5), "按样板开料裁片"),
        PostingTemplate(("整烫工", "后道包装工"), "包装工", (("factory.packing", 1, False),), (("factory.ironing", 1),),
                        ((MONTH, 2600, 3400, 800, 100),), 0, ("full",), (8,), (18, 55), (2, 10), "整烫、折叠、装袋"),
        PostingTemplate(("服装质检员", "查货员"), "质检员", (("factory.qc", 2, False),), (("gen.literacy", 2),),
                        ((MONTH, 3000, 3800, 800, 100),), 0, ("full",), (8,), (20, 50), (1, 3), "检验成衣质量"),
    ), ("包吃住", "购买五险", "扶贫车间就近上班", "满勤奖200元"), 2.0, ("91",), 0.85),
    Industry("electronics", ("电子科技有限公司", "电子有限公司", "智能科技有限公司"), (
        PostingTemplate(("电子厂普工", "流水线操作工（长白班）", "电子装配工", "普工（男女不限）"), "电子设备装接工",
                        (("factory.assembly_line", 1, False),),
                        (("factory.electronics_assembly", 1), ("gen.shift_work", 1)),
                        ((MONTH, 3200, 4500, 1500, 100), (HOUR, 16, 22, 4, 1)), 0, ("full",), (8, 10, 11),
                        (18, 45), (10, 60), "流水线装配、插件、测试"),
        PostingTemplate(("焊锡工", "电烙铁焊接工"), "电子设备装接工", (("factory.soldering", 2, True),),
                        (("factory.electronics_assembly", 2),), ((MONTH, 3800, 5000, 1200, 100),), 0, ("full",),
                        (8, 10), (18, 45), (2, 10), "手工焊接电路板"),
        PostingTemplate(("SMT贴片操作员", "贴片机操作工"), "电子设备装接工", (("factory.smt", 2, True),),
                        (("gen.computer", 1), ("gen.shift_work", 1)), ((MONTH, 4000, 5500, 1500, 100),), 0,
                        ("full",), (12,), (18, 40), (2, 8), "操作贴片机，两班倒"),
        PostingTemplate(("品检员", "电子产品质检员"), "质检员", (("factory.qc", 2, False),), (("gen.literacy", 2),),
                        ((MONTH, 3500, 4500, 1000, 100),), 0, ("full",), (8, 10), (18, 40), (1, 6), "外观和功能检验"),
        PostingTemplate(("普工", "操作工", "包装普工"), "", (("factory.packing", 1, False),), (("gen.physical", 1),),
                        ((MONTH, 3000, 4200, 1200, 100), (HOUR, 16, 20, 3, 1)), 0, ("full",), (8, 10), (18, 50),
                        (5, 50), "包装、搬运、看机"),
    ), ("包吃住", "购买五险一金", "有班车接送", "月休4天"), 2.0, ("91",), 0.35),
    Industry("shoes", ("鞋业有限公司", "鞋服有限公司"), (
        PostingTemplate(("针车工", "鞋面缝制工", "制鞋工（学徒）"), "制鞋工", (("factory.shoe", 1, False),),
                        (("factory.industrial_sewing", 2),), ((MONTH, 3500, 5000, 1500, 100), (PIECE, 0.8, 3, 2, 0.2)),
                        0, ("full",), (9, 10), (18, 48), (5, 40), "鞋面车缝、成型"),
        PostingTemplate(("鞋厂普工", "成型线操作工"), "制鞋工", (("factory.assembly_line", 1, False),), (),
                        ((MONTH, 3200, 4500, 1200, 100),), 0, ("full",), (10,), (18, 50), (10, 50), "流水线作业"),
    ), ("包住宿", "工资按时发放", "年底返乡车费报销"), 1.5, ("91",), 0.2),
    Industry("food", ("食品有限公司", "农产品加工有限公司", "油茶开发有限公司"), (
        PostingTemplate(("食品包装工", "分装工"), "包装工", (("factory.packing", 1, False),),
                        (("gen.health_certificate", 1),), ((MONTH, 2500, 3200, 800, 100), (DAY, 100, 130, 20, 10)), 0,
                        ("full", "part"), (8,), (18, 55), (3, 20), "称量、分装、封口、装箱"),
        PostingTemplate(("酸菜腌制工", "腌腊制品加工工"), "酱腌菜制作工", (("cook.pickling", 2, False),),
                        (("gen.health_certificate", 1),), ((MONTH, 2600, 3300, 700, 100),), 0, ("full",), (8,),
                        (20, 60), (2, 8), "清洗、腌制、装坛"),
        PostingTemplate(("食品厂普工", "米粉加工工"), "米面主食制作工", (("factory.food_processing", 1, False),),
                        (("gen.health_certificate", 1),), ((MONTH, 2600, 3400, 800, 100),), 0, ("full",), (8, 10),
                        (18, 55), (3, 20), "原料处理和加工"),
    ), ("包午餐", "购买工伤保险"), 1.2, ("91", "93"), 0.9),
    Industry("construction", ("建筑劳务有限公司", "建设工程有限公司", "建筑工程有限公司", "装饰工程有限公司"), (
        PostingTemplate(("砌筑工", "砖工（大工）", "砌砖师傅"), "砌筑工", (("build.masonry", 3, True),),
                        (("build.blueprint", 1),), ((DAY, 250, 330, 80, 10), (MONTH, 6000, 7500, 1500, 500)), 0,
                        ("full",), (9, 10), (20, 58), (2, 15), "砌筑墙体、抹灰"),
        PostingTemplate(("钢筋工", "钢筋绑扎工"), "钢筋工", (("build.rebar", 2, True),), (("build.blueprint", 1),),
                        ((DAY, 250, 320, 60, 10),), 0, ("full",), (9, 10), (20, 58), (2, 15), "钢筋下料、绑扎"),
        PostingTemplate(("木工（支模）", "模板工"), "混凝土工", (("build.formwork", 2, True),), (("build.carpentry", 2),),
                        ((DAY, 260, 350, 60, 10),), 0, ("full",), (9,), (20, 58), (2, 10), "支模、拆模"),
        PostingTemplate(("架子工（持证）", "脚手架搭设工"), "架子工", (("build.scaffolding", 2, True),),
                        (("gen.safety", 2),), ((DAY, 280, 360, 60, 10),), 0, ("full",), (9,), (20, 55), (1, 6),
                        "搭设、拆除脚手架，需持特种作业证"),
        PostingTemplate(("装修工", "贴砖师傅", "腻子工"), "装饰装修工", (("build.tiling", 2, False),),
                        (("build.plastering", 2), ("build.painting", 1)), ((DAY, 220, 320, 80, 10), (PIECE, 25, 45, 15, 5)),
                        0, ("full",), (8, 9), (20, 58), (1, 6), "室内贴砖、刮腻子、刷漆，计件按平方"),
        PostingTemplate(("水电工", "水电安装工"), "电工", (("build.plumbing_electric", 2, True),),
                        (("repair.electrician", 2),), ((DAY, 250, 320, 60, 10), (MONTH, 5500, 7000, 1500, 500)), 0,
                        ("full",), (8, 9), (20, 55), (1, 4), "水电管线安装，需持电工证"),
        PostingTemplate(("电焊工", "焊工（持证）"), "焊工", (("build.welding", 3, True),), (("gen.safety", 2),),
                        ((DAY, 280, 380, 80, 10),), 0, ("full",), (9,), (20, 55), (1, 5), "钢结构焊接"),
        PostingTemplate(("建筑小工", "工地杂工", "普工（工地）"), "乡村建设工匠", (("build.labourer", 1, False),),
                        (("gen.physical", 1),), ((DAY, 150, 200, 40, 10),), 0, ("full",), (9,), (18, 60), (3, 20),
                        "搬运材料、和砂浆、清理现场"),
        PostingTemplate(("挖机司机", "挖掘机操作手"), "挖掘铲运和桩工机械司机", (("drive.excavator", 3, True),), (),
                        ((MONTH, 7000, 9000, 2000, 500),), 0, ("full",), (9,), (22, 55), (1, 3), "驾驶挖掘机施工"),
    ), ("包住宿", "工资日结或月结", "购买意外险"), 2.0, ("91",), 0.8),
    Industry("housekeeping", ("家政服务有限公司", "家政服务中心", "巾帼家政服务有限公司"), (
        PostingTemplate(("家政服务员", "住家保姆", "钟点工（按小时计）", "家政服务员（县城）"), "家政服务员",
                        (("house.general", 2, False),),
                        (("house.home_cooking", 2), ("house.cleaning", 2), ("gen.health_certificate", 1)),
                        ((MONTH, 3000, 4500, 1500, 100), (HOUR, 25, 35, 10, 5)), 0, ("full", "part", "flexible"),
                        (8, 4), (25, 55), (2, 15), "料理家务、做饭、照看家人"),
        PostingTemplate(("育婴员", "育儿嫂"), "保育师", (("care.infant", 3, True),), (("house.general", 2),),
                        ((MONTH, 4500, 6500, 2000, 500),), 0, ("full",), (10,), (25, 52), (2, 10), "照料0–3岁婴幼儿"),
        PostingTemplate(("月嫂（金牌月嫂）", "母婴护理员"), "家政服务员", (("care.maternal", 3, True),),
                        (("cook.nutrition", 2), ("care.lactation", 1)), ((MONTH, 6000, 9000, 3000, 500),), 0,
                        ("full",), (12,), (28, 52), (1, 6), "产妇和新生儿护理，做月子餐"),
        PostingTemplate(("养老护理员", "老人陪护"), "养老护理员", (("care.elderly", 2, True),),
                        (("care.first_aid", 1), ("gen.patience", 1)), ((MONTH, 3200, 4500, 1200, 100),), 0,
                        ("full",), (8, 12), (25, 58), (2, 10), "照料老人起居、饮食和清洁"),
        PostingTemplate(("保洁员", "开荒保洁", "家庭保洁（兼职）"), "保洁员", (("house.cleaning", 1, False),), (),
                        ((MONTH, 2000, 2600, 500, 100), (HOUR, 18, 25, 5, 1)), 0, ("full", "part"), (8, 4),
                        (25, 62), (2, 10), "住宅和办公区域保洁"),
    ), ("岗前免费培训", "推荐上岗", "可就近安排"), 2.0, ("91", "92"), 0.75),
    Industry("catering", ("餐饮管理有限公司", "侗家饭庄", "酒店有限公司"), (
        PostingTemplate(("厨师", "炒锅师傅", "食堂厨师"), "中式烹调师", (("cook.chinese", 3, True),),
                        (("cook.canteen", 2), ("gen.health_certificate", 1)), ((MONTH, 4000, 5500, 1500, 100),), 0,
                        ("full",), (10,), (22, 55), (1, 3), "炒菜、出菜"),
        PostingTemplate(("帮厨", "切配工"), "中式烹调师", (("cook.prep", 1, False),), (("gen.health_certificate", 1),),
                        ((MONTH, 2600, 3200, 600, 100),), 0, ("full",), (10,), (18, 55), (1, 4), "洗切配菜"),
        PostingTemplate(("餐厅服务员", "传菜员"), "餐厅服务员", (("cook.waiter", 1, False),),
                        (("gen.service_attitude", 1), ("gen.mandarin", 1)), ((MONTH, 2300, 2900, 500, 100),
                                                                             (HOUR, 15, 18, 3, 1)), 0,
                        ("full", "part"), (8, 10), (18, 48), (2, 8), "点菜、上菜、收台"),
        PostingTemplate(("洗碗工",), "餐厅服务员", (("cook.dishwashing", 1, False),), (),
                        ((MONTH, 2000, 2500, 400, 100),), 0, ("full", "part"), (8, 10), (18, 62), (1, 3), "清洗餐具"),
        PostingTemplate(("面点师", "早餐店面点工"), "中式面点师", (("cook.pastry", 2, True),), (("cook.local_snacks", 2),),
                        ((MONTH, 3000, 4000, 1000, 100),), 0, ("full",), (8,), (20, 55), (1, 3), "包子、馒头、米粉"),
    ), ("包吃", "月休4天"), 1.0, ("91", "92"), 0.85),
    Industry("hotel", ("大酒店有限公司", "宾馆"), (
        PostingTemplate(("客房服务员", "酒店客房保洁"), "客房服务员", (("tour.room", 1, False),),
                        (("house.cleaning", 1),), ((MONTH, 2400, 3000, 600, 100), (PIECE, 8, 15, 5, 1)), 0,
                        ("full", "part"), (8,), (18, 55), (2, 8), "清扫客房、铺床"),
        PostingTemplate(("前台接待", "酒店前台"), "前厅服务员", (("tour.front_desk", 1, False),),
                        (("gen.mandarin", 2), ("gen.computer", 1)), ((MONTH, 2600, 3300, 700, 100),), 0, ("full",),
                        (8,), (18, 40), (1, 2), "登记入住、接待客人"),
    ), ("包吃住", "节假日三倍工资"), 0.8, ("91",), 0.7),
    Industry("tea", ("茶业有限公司", "茶叶专业合作社", "生态茶业发展有限公司"), (
        PostingTemplate(("采茶工", "春茶采摘工（按斤计）"), "园艺工", (("agri.tea_picking", 1, False),), (),
                        ((PIECE, 20, 40, 20, 5), (DAY, 80, 120, 40, 10)), 0, ("flexible", "part"), (6, 8), (16, 70),
                        (10, 60), "手工采摘茶鲜叶，按斤计酬"),
        PostingTemplate(("制茶工", "茶叶加工工"), "茶叶加工工", (("agri.tea_processing", 2, True),), (),
                        ((MONTH, 3000, 4000, 1000, 100), (DAY, 120, 180, 40, 10)), 0, ("full",), (8, 10), (18, 58),
                        (1, 5), "杀青、揉捻、烘干"),
        PostingTemplate(("茶园管护工", "茶园除草施肥工"), "农艺工", (("agri.tea_garden", 1, False),),
                        (("agri.plant_protection", 1),), ((DAY, 90, 130, 30, 10),), 0, ("full", "flexible"), (8,),
                        (18, 68), (3, 20), "茶树修剪、除草、施肥"),
        PostingTemplate(("茶艺师", "茶叶门店销售"), "茶艺师", (("cook.tea_art", 2, False),), (("retail.sales", 1),),
                        ((MONTH, 2800, 3500, 1000, 100),), 0, ("full",), (8,), (18, 40), (1, 2), "冲泡、介绍和销售茶叶"),
    ), ("就近务工", "工资日结"), 1.2, ("91", "93"), 0.95),
    Industry("agriculture", ("农业发展有限公司", "种养殖专业合作社", "生态农业有限公司"), (
        PostingTemplate(("蔬菜基地务工", "大棚蔬菜种植工"), "农艺工", (("agri.vegetable", 1, False),), (),
                        ((DAY, 80, 120, 30, 10),), 0, ("full", "flexible"), (8,), (18, 68), (5, 30), "种植、采收、分拣"),
        PostingTemplate(("食用菌采收工", "菌棒生产工"), "食用菌生产工", (("agri.mushroom", 1, False),), (),
                        ((DAY, 90, 130, 30, 10), (MONTH, 2500, 3200, 600, 100)), 0, ("full",), (8,), (18, 65),
                        (3, 20), "菌棒制作、采菇"),
        PostingTemplate(("生猪饲养员", "养殖场饲养员"), "家畜饲养员", (("agri.pig", 2, False),),
                        (("agri.animal_health", 1),), ((MONTH, 3500, 4500, 1000, 100),), 0, ("full",), (8,),
                        (20, 60), (1, 4), "喂养、清栏、防疫"),
        PostingTemplate(("油茶林管护工", "果园务工"), "园艺工", (("agri.fruit", 1, False),), (("agri.crop", 1),),
                        ((DAY, 90, 120, 30, 10),), 0, ("flexible",), (8,), (18, 68), (5, 30), "修剪、施肥、采收"),
    ), ("工资日结", "就近务工"), 1.0, ("93", "91"), 0.95),
    Industry("ecommerce", ("电子商务有限公司", "网络科技有限公司", "电商产业园运营有限公司"), (
        PostingTemplate(("带货主播", "电商主播（侗族特产）", "直播助理"), "互联网营销师", (("ecom.livestream", 2, False),),
                        (("ecom.video", 1), ("gen.mandarin", 2)), ((MONTH, 3000, 5000, 3000, 100),), 0.2,
                        ("full", "flexible"), (8,), (18, 40), (1, 4), "直播介绍、销售本地农特产品"),
        PostingTemplate(("网店客服", "电商客服（可居家）"), "呼叫中心服务员", (("ecom.customer_service", 1, False),),
                        (("gen.computer", 1), ("office.typing", 1)), ((MONTH, 2600, 3300, 800, 100),), 0.5,
                        ("full", "part"), (8,), (18, 45), (2, 8), "在线回复顾客咨询"),
        PostingTemplate(("打包发货员", "电商仓库打包工"), "包装工", (("ecom.order", 1, False),), (("logi.scanner", 1),),
                        ((MONTH, 2500, 3200, 700, 100), (PIECE, 0.3, 1, 0.5, 0.1)), 0, ("full", "part"), (8,),
                        (18, 55), (2, 10), "拣货、打包、贴单"),
        PostingTemplate(("短视频剪辑", "电商运营助理"), "电子商务师", (("ecom.video", 2, False),),
                        (("ecom.shop_ops", 1), ("gen.computer", 2)), ((MONTH, 3000, 4500, 1500, 100),), 0.3, ("full",),
                        (8,), (18, 35), (1, 3), "拍摄剪辑短视频、上架商品"),
    ), ("双休", "提供住宿", "电商免费培训"), 1.0, ("91",), 0.8),
    Industry("logistics", ("物流有限公司", "快递服务有限公司", "供应链管理有限公司"), (
        PostingTemplate(("快递员", "快递派送员"), "快递员", (("logi.courier", 1, False),),
                        (("drive.motorcycle", 1), ("gen.smartphone", 2)), ((PIECE, 1, 2, 0.5, 0.5), (MONTH, 4000, 5500, 2000, 100)),
                        0, ("full",), (9, 10), (18, 50), (1, 6), "收派快递"),
        PostingTemplate(("分拣员", "快递分拣工（夜班）"), "快件处理员", (("logi.sorting", 1, False),),
                        (("gen.shift_work", 1),), ((MONTH, 3200, 4200, 1000, 100), (HOUR, 16, 20, 4, 1)), 0,
                        ("full", "part"), (8, 10), (18, 50), (3, 20), "包裹分拣、扫描"),
        PostingTemplate(("装卸工", "搬运工"), "装卸搬运工", (("logi.loading", 1, False),), (("gen.physical", 2),),
                        ((DAY, 150, 220, 50, 10), (PIECE, 0.1, 0.5, 0.2, 0.1)), 0, ("full",), (8,), (18, 55),
                        (2, 15), "装车卸车"),
        PostingTemplate(("仓管员", "仓库管理员"), "仓储管理员", (("logi.warehouse", 2, False),),
                        (("gen.computer", 1), ("office.software", 1)), ((MONTH, 3200, 4000, 800, 100),), 0, ("full",),
                        (8,), (20, 45), (1, 2), "出入库登记、盘点"),
        PostingTemplate(("叉车司机", "叉车工（持证）"), "起重装卸机械操作工", (("drive.forklift", 2, True),), (),
                        ((MONTH, 4500, 5500, 1000, 100),), 0, ("full",), (8,), (20, 55), (1, 3), "叉车装卸"),
        PostingTemplate(("货车司机（B2）", "厢式货车司机"), "道路货运汽车驾驶员", (("drive.b2", 3, True),), (),
                        ((MONTH, 6000, 8000, 2000, 500),), 0, ("full",), (10,), (23, 55), (1, 3), "县内及周边配送"),
    ), ("购买五险", "包住"), 1.0, ("91",), 0.6),
    Industry("property", ("物业管理有限公司", "保安服务有限公司", "市政园林有限公司"), (
        PostingTemplate(("保安员", "门卫", "小区保安"), "保安员", (("sec.guard", 1, False),), (("gen.discipline", 1),),
                        ((MONTH, 2200, 3000, 600, 100),), 0, ("full",), (12, 8), (20, 60), (1, 6), "门岗值守、巡逻"),
        PostingTemplate(("小区保洁员", "物业保洁"), "保洁员", (("house.cleaning", 1, False),), (),
                        ((MONTH, 1900, 2400, 400, 100), (HOUR, 15, 18, 3, 1)), 0, ("full", "part"), (8, 4), (25, 65),
                        (2, 10), "公共区域保洁"),
        PostingTemplate(("绿化工", "园林养护工"), "园林绿化工", (("agri.greening", 1, False),), (),
                        ((DAY, 100, 140, 30, 10), (MONTH, 2300, 2900, 500, 100)), 0, ("full",), (8,), (20, 65),
                        (2, 8), "修剪绿化带、浇灌"),
        PostingTemplate(("物业管家", "物业客服"), "物业管理师", (("sec.property", 1, False),),
                        (("office.software", 1), ("gen.communication", 2)), ((MONTH, 2800, 3500, 800, 100),), 0,
                        ("full",), (8,), (20, 45), (1, 2), "报修登记、收费和住户服务"),
    ), ("购买五险", "包工作餐"), 1.0, ("91",), 0.9),
    Industry("retail", ("超市有限公司", "商贸有限公司", "购物广场"), (
        PostingTemplate(("收银员", "超市收银员"), "收银员", (("retail.cashier", 1, False),), (("gen.arithmetic", 1),),
                        ((MONTH, 2300, 2900, 500, 100), (HOUR, 14, 17, 3, 1)), 0, ("full", "part"), (8,), (18, 45),
                        (1, 5), "收银、对账"),
        PostingTemplate(("理货员", "超市理货员"), "理货员", (("retail.shelf", 1, False),), (),
                        ((MONTH, 2300, 2800, 500, 100),), 0, ("full", "part"), (8,), (18, 55), (1, 5), "上货、补货、陈列"),
        PostingTemplate(("导购员", "门店营业员"), "商品营业员", (("retail.shop_assistant", 1, False),),
                        (("gen.communication", 2),), ((MONTH, 2500, 3200, 1500, 100),), 0, ("full",), (8,),
                        (18, 45), (1, 4), "接待顾客、介绍商品"),
    ), ("月休4天", "提成另计"), 0.8, ("91", "92"), 0.85),
    Industry("repair", ("汽车服务有限公司", "摩托车维修部", "家电维修服务部"), (
        PostingTemplate(("汽修学徒", "汽车维修工"), "汽车维修工", (("repair.car", 1, False),), (("drive.c1", 1),),
                        ((MONTH, 2500, 4500, 1500, 100),), 0, ("full",), (9,), (18, 40), (1, 3), "汽车保养和维修"),
        PostingTemplate(("电动车维修工",), "自行车与电动自行车维修工", (("repair.motorcycle", 2, False),), (),
                        ((MONTH, 2800, 3800, 800, 100),), 0, ("full",), (9,), (18, 55), (1, 2), "电动车、摩托车维修"),
    ), ("包吃", "学徒期有补贴"), 0.5, ("92", "91"), 0.95),
)

# A piece rate is per piece (a chair, an embroidered panel, a parcel). What a worker typically earns a
# month at it, in CNY (low, high), by the first title of the posting template; most generated
# piece-rate postings state an estimate drawn from it, the rest (1 - PIECE_ESTIMATE_SHARE) leave it out.
PIECE_MONTHLY_EARNINGS: dict[str, tuple[float, float]] = {
    "藤椅编织工": (2200, 3500),
    "藤椅骨架制作工": (3200, 4500),
    "侗绣绣娘（居家计件）": (1500, 2800),
    "手工艺品制作工": (1200, 2500),
    "串珠手工（可带回家做）": (800, 1800),
    "蜡染工": (2200, 3200),
    "民族服饰缝制工": (2500, 3500),
    "箫笛制作工": (2800, 3800),
    "缝纫工": (3200, 4800),
    "针车工": (3500, 5000),
    "装修工": (5000, 7500),
    "客房服务员": (2400, 3200),
    "采茶工": (2000, 3500),
    "打包发货员": (2800, 3800),
    "快递员": (4000, 6000),
    "装卸工": (3000, 4500),
}
PIECE_ESTIMATE_SHARE = 0.85

# Showcase employers every demo has (the first ones generated): (name, industry, place name/code, workshop, address)
SHOWCASE_EMPLOYERS: tuple[tuple[str, str, str, bool, str], ...] = (
    ("玉屏康华藤艺有限公司（康华社区藤编扶贫车间）", "rattan", KANGHUA_CODE, True, "康华社区扶贫车间1号厂房"),
    ("玉屏侗族自治县康华侗绣手工艺品专业合作社", "handicraft", KANGHUA_CODE, True, "康华社区扶贫车间2号厂房"),
    ("玉屏鑫华服饰有限公司（黄岔安置点扶贫车间）", "garment", HUANGCHA_CODE, True, "黄岔安置点扶贫车间"),
    ("玉屏侗族自治县箫笛文化产业有限公司", "flute", PINGXI_CODE, False, "平溪街道箫笛产业园"),
    ("玉屏平溪巾帼家政服务有限公司", "housekeeping", PINGXI_CODE, False, "平溪街道文水社区"),
    ("玉屏侗乡生态茶业有限公司", "tea", "520622102000", False, "朱家场镇茶叶基地"),
    ("玉屏黔东油茶开发有限公司", "food", PINGXI_CODE, False, "平溪街道油茶产业园"),
    ("贵州大龙鑫辰电子科技有限公司", "electronics", DALONG_CODE, False, "大龙经济开发区"),
    ("东莞市长盛电子（铜仁）有限公司", "electronics", BIJIANG_CODE, False, "铜仁高新区"),
    ("浙江瑞安华宇鞋业（万山）有限公司", "shoes", WANSHAN_CODE, False, "万山经济开发区"),
    ("玉屏城建建筑劳务有限公司", "construction", PINGXI_CODE, False, "平溪街道"),
    ("玉屏侗乡电子商务有限公司", "ecommerce", PINGXI_CODE, False, "平溪街道电商服务中心"),
    ("铜仁碧江巾帼家政服务有限公司", "housekeeping", BIJIANG_CODE, False, "碧江区"),
    ("玉屏康华藤椅专业合作社", "rattan", KANGHUA_CODE, True, "康华社区扶贫车间3号厂房"),
)

# Generated employer names: place word + brand word + industry ending
NAME_PREFIXES_IN_COUNTY = ("玉屏", "玉屏侗族自治县", "玉屏县", "平溪", "侗乡")
NAME_PREFIXES_OUTSIDE = ("铜仁", "贵州", "铜仁市", "黔东")
NAME_PREFIXES_COASTAL = ("东莞市", "深圳市", "佛山市", "温州", "宁波", "义乌市", "中山市")
BRANDS = (
    "鑫源", "华兴", "盛达", "恒泰", "宏瑞", "丰和", "顺诚", "信康", "隆祥", "福安", "腾飞", "锦润", "佳利",
    "昌旺", "明金", "汇丰", "永盛", "金桥", "天润", "德胜", "瑞丰", "益民", "惠农", "兴黔", "黔誉", "舞阳",
    "侗韵", "屏峰", "茂源", "新苗", "乐业", "安居", "和美", "协力", "众创", "同心", "连心", "惠民", "富民", "康华",
)

CONTACT_TITLES = ("经理", "主管", "厂长", "负责人", "人事")
