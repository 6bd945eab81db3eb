"""The organisation's part of the demo street: one district, one street office with 6
communities and 81 resident groups (52,000 people, as in seed 004 L7), grids, buildings,
~300 units of every type, responsibility zones with history, leadership and working
groups. (The accounts, one per role, are the accounts app's part.)

`build(demo)` fills the shared demo context (`street`, `communities`, `estates`, `grids`,
`units`) for the builders that run after it; it knows nothing of them.
Deterministic: every random draw comes from `demo.rng`.
"""

from datetime import timedelta
from decimal import Decimal

from . import services
from .choices import GroupKind, GroupPosition, UnitStatus, ZoneKind
from .defaults import ensure_defaults
from .models import GroupMember, Jurisdiction, JurisdictionLevel, License, Staff, Unit, UnitType, WorkGroup

CENTER = (Decimal("31.467000"), Decimal("104.683000"))

COMMUNITIES = [
    # name, population, households, resident groups
    ("东苑社区", 9800, 3420, 14),
    ("西城社区", 8600, 3010, 13),
    ("南桥社区", 9100, 3180, 14),
    ("北街社区", 7900, 2760, 13),
    ("新华社区", 8700, 3050, 14),
    ("滨河社区", 7900, 2770, 13),
]
ESTATES = [
    "锦绣花园",
    "幸福小区",
    "和平里",
    "阳光城",
    "翠苑",
    "金桂园",
    "康乐小区",
    "紫荆苑",
    "丽景湾",
    "书香苑",
    "长兴小区",
    "文化小区",
    "向阳小区",
    "建设新村",
    "兴隆家园",
    "怡景园",
    "春晖小区",
    "桃园小区",
    "滨江花园",
    "银杏苑",
    "青年小区",
    "东风小区",
    "电力小区",
    "粮站宿舍",
    "供销社宿舍",
    "邮电小区",
    "教师公寓",
    "医院宿舍",
    "纺织厂小区",
    "国税小区",
    "水务小区",
    "新村一组",
    "新村二组",
    "新村三组",
    "老街居民组",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽华",
    "海燕",
    "国强",
    "桂英",
    "明",
    "静",
    "伟",
    "芳",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
    "霞",
    "平",
    "刚",
    "红梅",
    "晓东",
    "春兰",
    "玉珍",
    "德华",
    "文静",
    "子豪",
    "雨涵",
]
ROADS = [
    "人民路",
    "解放路",
    "建设路",
    "中山街",
    "滨河路",
    "新华街",
    "文化路",
    "胜利街",
    "东风路",
    "北环路",
    "南桥街",
    "西城巷",
]

UNIT_PLAN = [
    # type code, count, name patterns
    (
        "shop",
        80,
        ["{s}记便利店", "{r}{n}号超市", "{s}氏五金店", "{s}家服装店", "{s}记烟酒店", "{r}水果店", "{s}记干洗店"],
    ),
    ("catering", 50, ["{s}记面馆", "{s}家小炒", "{r}火锅店", "{s}记包子铺", "{s}氏烧烤", "老{s}家冒菜", "{r}早餐店"]),
    ("six_small", 40, ["{s}记理发店", "{r}美容美发", "{s}家小旅馆", "{r}网吧", "{s}记足浴", "{r}KTV"]),
    ("property", 20, ["{e}物业服务中心", "{s}信物业管理有限公司{e}项目部"]),
    ("partner", 15, ["区{b}局", "{r}供电所", "区{b}中心", "{r}邮政支局", "区{b}办公室"]),
    ("government", 8, ["城关街道办事处", "区{b}局", "{r}派出所", "区{b}委员会"]),
    ("school", 8, ["{r}小学", "城关第{c}中学", "{e}幼儿园"]),
    ("medical", 8, ["城关街道社区卫生服务中心", "{r}诊所", "{s}氏口腔诊所", "{r}药房"]),
    ("market", 4, ["{r}农贸市场"]),
    ("stall", 40, ["{r}农贸市场{n}号摊位"]),
    ("construction", 6, ["{e}二期建筑工地", "{r}道路改造工地"]),
    ("rental", 15, ["{e}{n}栋出租屋"]),
    ("other", 6, ["{r}公共厕所", "{r}垃圾中转站"]),
]
BUREAUS = ["城管", "卫健", "市场监管", "住建", "生态环境", "交通运输", "文旅", "教育", "水务", "民政"]
LICENSES = {
    "catering": ["食品经营许可证", "营业执照"],
    "six_small": ["卫生许可证", "营业执照"],
    "shop": ["营业执照"],
    "market": ["营业执照"],
}


def _rect(lat0, lng0, dlat, dlng) -> dict:
    ring = [
        [float(lng0), float(lat0)],
        [float(lng0 + dlng), float(lat0)],
        [float(lng0 + dlng), float(lat0 + dlat)],
        [float(lng0), float(lat0 + dlat)],
        [float(lng0), float(lat0)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.000001"))


def build(demo) -> None:
    """Build the organisation of the demo street and leave it in `demo` for the next builders."""
    _Street(demo).build()


class _Street:
    def __init__(self, demo):
        self.demo = demo
        ensure_defaults()
        self.rng = demo.rng
        self.levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}
        self.types = {t.code: t for t in UnitType.objects.all()}
        self.today = demo.today

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self) -> str:
        return "1" + self.rng.choice("3589") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def node(self, parent, level, code, name, *, population=0, households=0, box=None, area=None) -> Jurisdiction:
        fields = {
            "level": self.levels[level],
            "code": code,
            "name": name,
            "population": population,
            "households": households,
            "area_km2": area,
        }
        if box:
            lat0, lng0, dlat, dlng = box
            fields.update(
                boundary=_rect(lat0, lng0, dlat, dlng), center_lat=_q(lat0 + dlat / 2), center_lng=_q(lng0 + dlng / 2)
            )
        return services.jurisdiction_create(actor=None, parent=parent, **fields)

    def build(self) -> None:
        lat, lng = float(CENTER[0]), float(CENTER[1])
        city = self.node(
            None, "city", "510100", "江城市", population=2_150_000, households=760_000, area=Decimal("1320")
        )
        district = self.node(
            city, "district", "510104", "城东区", population=386_000, households=134_000, area=Decimal("86.4")
        )
        street = self.node(
            district,
            "street",
            "510104001",
            "城关街道",
            population=52_000,
            households=18_190,
            box=(lat - 0.012, lng - 0.018, 0.024, 0.036),
            area=Decimal("6.8"),
        )
        communities, estates, grids = [], [], []
        estate_names = iter(ESTATES * 3)
        for c_index, (name, population, households, groups) in enumerate(COMMUNITIES):
            row, col = divmod(c_index, 3)
            c_box = (lat - 0.012 + row * 0.012, lng - 0.018 + col * 0.012, 0.012, 0.012)
            community = self.node(
                street,
                "community",
                f"510104001{c_index + 1:03d}",
                name,
                population=population,
                households=households,
                box=c_box,
                area=Decimal("1.1"),
            )
            communities.append(community)
            pops = self._split(population, groups)
            hh = self._split(households, groups)
            for g in range(groups):
                r, c = divmod(g, 4)
                e_box = (c_box[0] + r * 0.003, c_box[1] + c * 0.003, 0.0028, 0.0028)
                estate_name = f"{next(estate_names)}（第{g + 1}居民组）"
                estate = self.node(
                    community,
                    "estate",
                    f"{community.code}{g + 1:03d}",
                    estate_name,
                    population=pops[g],
                    households=hh[g],
                    box=e_box,
                )
                estates.append(estate)
                grid = self.node(
                    estate,
                    "grid",
                    f"{estate.code}01",
                    f"{name}第{g + 1}网格",
                    population=pops[g],
                    households=hh[g],
                    box=e_box,
                )
                grids.append(grid)
                # The grid's households shared among its buildings (their total is the grid's:
                # apps/organization/consistency.py lists a node whose children hold more or less).
                buildings = self.rng.randint(3, 6)
                for b in range(1, buildings + 1):
                    self.node(
                        grid,
                        "building",
                        f"{grid.code}{b:02d}",
                        f"{estate_name.split('（')[0]}{b}栋",
                        households=hh[g] // buildings + (1 if b <= hh[g] % buildings else 0),
                    )
        units = self._units(estates, grids)
        staff = self._staff(street, communities, grids)
        self._groups(street, communities, staff)
        self._zones(communities, units, staff)
        demo = self.demo
        demo.street, demo.communities, demo.estates, demo.grids, demo.units = street, communities, estates, grids, units

    def _split(self, total: int, parts: int) -> list[int]:
        weights = [self.rng.uniform(0.7, 1.3) for _ in range(parts)]
        shares = [int(total * w / sum(weights)) for w in weights]
        shares[-1] += total - sum(shares)
        return shares

    def _units(self, estates, grids) -> list[Unit]:
        # A unit sits in the grid of its estate, so the grid worker who patrols there sees it.
        grid_of = dict(zip([e.pk for e in estates], grids, strict=True))
        units = []
        counter = 0
        for type_code, count, patterns in UNIT_PLAN:
            for i in range(count):
                counter += 1
                estate = self.rng.choice(estates)
                ring = estate.boundary["coordinates"][0]
                name = self.rng.choice(patterns).format(
                    s=self.rng.choice(SURNAMES),
                    r=self.rng.choice(ROADS),
                    n=i + 1,
                    b=self.rng.choice(BUREAUS),
                    c="一二三四五六七八"[i % 8],
                    e=estate.name.split("（")[0],
                )
                if any(u.name == name for u in units):
                    name = f"{name}（{counter}）"
                status = (
                    UnitStatus.OPERATING
                    if self.rng.random() > 0.06
                    else self.rng.choice([UnitStatus.SUSPENDED, UnitStatus.CANCELLED])
                )
                unit = Unit(
                    unit_type=self.types[type_code],
                    name=name,
                    jurisdiction=grid_of[estate.pk],
                    address=f"{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号",
                    lat=_q(self.rng.uniform(ring[0][1], ring[2][1])),
                    lng=_q(self.rng.uniform(ring[0][0], ring[2][0])),
                    contact_name=self.person(),
                    contact_phone=self.phone(),
                    status=status,
                    credit_code=f"91510104MA{self.rng.randint(10**7, 10**8 - 1)}",
                )
                units.append(unit)
        units = Unit.objects.bulk_create(units)
        licenses = []
        for unit in units:
            for kind in LICENSES.get(unit.unit_type.code, []):
                licenses.append(
                    License(
                        unit=unit,
                        kind=kind,
                        number=f"JY{self.rng.randint(10**12, 10**13 - 1)}",
                        expires_on=self.today + timedelta(days=self.rng.randint(-60, 900)),
                    )
                )
        License.objects.bulk_create(licenses)
        return units

    def _staff(self, street, communities, grids) -> dict:
        staff = {"street": [], "communities": {}, "grids": {}}
        for post in [
            "街道办事处主任",
            "街道党工委副书记",
            "分管卫生副主任",
            "创卫办主任",
            "创卫办干事",
            "城管执法中队长",
        ]:
            staff["street"].append(Staff(name=self.person(), post=post, phone=self.phone(), jurisdiction=street))
        for community in communities:
            people = [
                Staff(name=self.person(), post=post, phone=self.phone(), jurisdiction=community)
                for post in ["社区党委书记、主任", "社区副主任", "社区卫生专干", "社区工作人员", "社区片医"]
            ]
            people += [
                Staff(name=self.person(), post="红袖套义务监督员", phone=self.phone(), jurisdiction=community)
                for _ in range(2)
            ]
            staff["communities"][community.pk] = people
        for grid in grids:
            staff["grids"][grid.pk] = [
                Staff(name=self.person(), post="网格员", phone=self.phone(), jurisdiction=grid),
                Staff(name=self.person(), post="保洁员", phone=self.phone(), jurisdiction=grid),
            ]
        everyone = (
            staff["street"]
            + [p for ps in staff["communities"].values() for p in ps]
            + [p for ps in staff["grids"].values() for p in ps]
        )
        Staff.objects.bulk_create(everyone)
        return staff

    def _groups(self, street, communities, staff) -> None:
        lead = WorkGroup.objects.create(
            name="城关街道爱国卫生工作领导小组",
            kind=GroupKind.LEADERSHIP,
            jurisdiction=street,
            duties="统筹辖区创建国家卫生城市工作；研究部署创卫任务；督促检查各社区、各单位责任落实。领导小组下设办公室，负责日常工作。",
        )
        s = staff["street"]
        members = [
            (s[0], GroupPosition.LEADER, "全面负责"),
            (s[1], GroupPosition.DEPUTY, "协助组长工作"),
            (s[2], GroupPosition.DEPUTY, "分管爱国卫生"),
            (s[3], GroupPosition.OFFICE_HEAD, "负责日常工作"),
            (s[4], GroupPosition.MEMBER, "台账资料"),
            (s[5], GroupPosition.MEMBER, "市容秩序"),
        ]
        for c in communities:
            members.append((staff["communities"][c.pk][0], GroupPosition.MEMBER, f"负责{c.name}创卫工作"))
        GroupMember.objects.bulk_create(
            [GroupMember(group=lead, staff=p, position=pos, duty=d) for p, pos, d in members]
        )
        working = [
            ("资料组", "负责创卫资料的收集、整理、归档，做到“缺什么、补什么”。", s[4]),
            ("健康教育宣传组", "负责健康教育宣传栏更新、宣传活动、健康讲座和知晓率调查。", s[3]),
            ("环境卫生组", "负责辖区环境卫生整治、卫生死角清理、门前三包落实。", s[5]),
            ("食品卫生组", "负责餐饮单位、农贸市场食品卫生检查与整改。", s[2]),
            ("除四害小组", "负责灭鼠、灭蚊、灭蝇、灭蟑工作的组织与效果检查。", s[2]),
            ("督查组", "负责日督查、周检查，督查结果每天反馈并下发督查通知书。", s[1]),
        ]
        for name, duties, leader in working:
            group = WorkGroup.objects.create(
                name=name, kind=GroupKind.WORKING, jurisdiction=street, parent=lead, duties=duties
            )
            GroupMember.objects.create(group=group, staff=leader, position=GroupPosition.LEADER, duty="组长")
        for c in communities:
            people = staff["communities"][c.pk]
            group = WorkGroup.objects.create(
                name=f"{c.name}创卫工作小组",
                kind=GroupKind.WORKING,
                jurisdiction=c,
                parent=lead,
                duties="负责本社区创卫各项任务落实、日常巡查和晨会。",
            )
            GroupMember.objects.bulk_create(
                [
                    GroupMember(group=group, staff=people[0], position=GroupPosition.LEADER, duty="全面负责"),
                    GroupMember(group=group, staff=people[1], position=GroupPosition.DEPUTY, duty="日常巡查"),
                    GroupMember(group=group, staff=people[2], position=GroupPosition.MEMBER, duty="卫生专干、台账"),
                ]
            )

    def _zones(self, communities, units, staff) -> None:
        partners = [u for u in units if u.unit_type.code in ("partner", "government", "property")]
        start = self.today - timedelta(days=300)
        for unit in partners:
            lat, lng = float(unit.lat), float(unit.lng)
            services.zone_create(
                actor=None,
                name=f"{unit.name}包干区域",
                kind=ZoneKind.BAOGAN,
                jurisdiction=unit.jurisdiction,
                boundary=_rect(lat - 0.0006, lng - 0.0008, 0.0012, 0.0016),
                addresses=f"{self.rng.choice(ROADS)}（{self.rng.randint(1, 200)}号至{self.rng.randint(201, 400)}号）",
                requirements="每日两扫，无暴露垃圾、无卫生死角、无乱堆乱放、无乱贴乱画。",
                holder_unit=unit,
                starts_on=start,
            )
        shops = [u for u in units if u.unit_type.code in ("shop", "catering") and u.status == UnitStatus.OPERATING]
        for unit in shops[:60]:
            services.zone_create(
                actor=None,
                name=f"{unit.name}门前三包",
                kind=ZoneKind.FRONTAGE3,
                jurisdiction=unit.jurisdiction,
                addresses=unit.address,
                requirements="包卫生、包绿化、包秩序。",
                holder_unit=unit,
                starts_on=start,
            )
        # Some zones were adjusted ("微调") during the year: keep the history.
        from .models import Zone

        for zone in Zone.objects.filter(kind=ZoneKind.BAOGAN).order_by("id")[:4]:
            other = self.rng.choice(partners)
            services.zone_reassign(
                actor=None,
                zone=zone,
                unit=other,
                staff=None,
                starts_on=self.today - timedelta(days=90),
                note="根据街道创卫办安排微调包干区域",
                expected_version=None,
            )
