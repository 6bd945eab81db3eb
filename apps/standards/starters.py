"""The standards shipped with the product: the structures the seed documents name, no invented clauses.

Pure data (no Django imports), so the data migration that installs them can read it.

- 国家卫生城市和国家卫生县标准（2021版）: the eight parts of the 2021 standard (DOMAIN.md §5). The
  official clause text is not at hand, so every item is an example (`is_example`) written from the
  work the seed documents describe, never presented as the clause. One threshold is real: the
  national mandatory 满意率 ≥ 90% (DOMAIN.md §3). Other thresholds are example values, or left
  empty where no figure is known (the vector indices: DOMAIN.md §3 forbids inventing them).
- 江苏省卫生镇标准: its 10 大项 and 4 必备条件 as the seed quotes them (`001` L1085, L1087):
  real text. Its 51 小项 are not in the seeds: only a few example items, to be replaced by the
  official ones through the import template.
- 广东省卫生村标准: `001` L97 is a community plan's summary of the standard; its phrases become
  example items.

Each item names the seed line it was drawn from (`seed`), kept in the source text of the data only.
"""

NATIONAL = {
    "code": "national-2021",
    "name": "国家卫生城市和国家卫生县标准（2021版）",
    "kind": "national_city",
    "issuer": "全国爱国卫生运动委员会",
    "year": 2021,
    "is_example": True,
    "description": (
        "结构：标准的八个部分（爱国卫生组织管理、健康教育和健康促进、市容环境卫生、生态环境、重点场所卫生、"
        "食品和饮用水安全、疾病防控与医疗卫生服务、病媒生物预防控制）。各小项均为示例，条文依据示例文档"
        "（001 L19–L35、L97、L143–L187、L725，002 L35，003 L59–L61、L139）所述的日常工作整理，并非官方条文，"
        "请按官方文本导入或修改。满意率≥90%为国家标准的硬性要求；其余达标值为示例值，病媒生物密度指数未给出"
        "达标值（应按 GB/T 27770–27773 的 C 级要求填写）。"
    ),
    "sections": [
        {
            "code": "一",
            "name": "爱国卫生组织管理",
            "items": [
                {
                    "code": "1.1",
                    "seed": "001 L101-L111",
                    "text": "成立创卫领导小组和资料、健康教育宣传、环境卫生、食品卫生、除四害等工作小组，明确职责分工",
                    "method": "查阅资料",
                    "requirements": [
                        ("领导小组和工作小组成立文件", 1),
                        ("工作例会会议记录", 4, "meetings.minutes", "regular"),
                    ],
                },
                {
                    "code": "1.2",
                    "seed": "001 L725; 003 L61",
                    "text": "制定任务分解表（责任分解表），层层签订目标责任书并公示",
                    "method": "查阅资料",
                    "requirements": [("任务分解表", 1), ("目标责任书", 1, "agreements.signed", "target")],
                },
                {
                    "code": "1.3",
                    "seed": "000 L43; 001 L389",
                    "text": "日常巡查发现的问题及时下发整改通知，按期整改结案，留存整改前后照片",
                    "method": "查阅资料，抽查案件",
                    "requirements": [("已结案的整改案件（含整改前后照片）", 10, "cases.closed")],
                    "indicators": [
                        {
                            "name": "按期结案率",
                            "threshold": "90",
                            "unit": "%",
                            "figure_key": "cases.on_time_rate",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "1.4",
                    "seed": "DOMAIN.md §3 (national mandatory ≥90%)",
                    "text": "群众对卫生状况满意",
                    "method": "问卷调查",
                    "requirements": [("群众满意度调查报告", 1)],
                    "indicators": [
                        {
                            "name": "群众对卫生状况满意率",
                            "threshold": "90",
                            "unit": "%",
                            "figure_key": "surveys.satisfaction",
                            "is_example": False,
                        }
                    ],
                },
            ],
        },
        {
            "code": "二",
            "name": "健康教育和健康促进",
            "items": [
                {
                    "code": "2.1",
                    "seed": "001 L143, L1073",
                    "text": "设置固定的健康教育宣传栏，定期更换内容",
                    "method": "现场查看，查阅资料",
                    "requirements": [("健康教育宣传栏照片（每期）", 4, "education.board_updates")],
                    "indicators": [
                        {
                            "name": "宣传栏按期更换率",
                            "threshold": "100",
                            "unit": "%",
                            "figure_key": "education.boards_on_time",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "2.2",
                    "seed": "001 L447; 004 L27",
                    "text": "定期举办健康知识讲座和培训，宣传健康生活方式",
                    "method": "查阅资料",
                    "requirements": [
                        ("健康教育工作计划", 1, "education.plans"),
                        ("讲座通知、签到表和照片", 2, "education.activities", "lecture"),
                    ],
                    "indicators": [
                        {
                            "name": "健康教育开课率",
                            "threshold": "100",
                            "unit": "%",
                            "figure_key": "education.course_rate",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "2.3",
                    "seed": "001 L149",
                    "text": "公共场所设有禁烟标志，辖区内无烟草广告",
                    "method": "现场查看",
                    "requirements": [("无烟场所检查记录", 4, "education.smokefree_checks")],
                    "indicators": [
                        {
                            "name": "无烟场所检查合格率",
                            "threshold": "100",
                            "unit": "%",
                            "figure_key": "education.smokefree_pass_rate",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "2.4",
                    "seed": "002 L35",
                    "text": "居民掌握基本的健康知识",
                    "method": "问卷调查",
                    "requirements": [("知晓率调查结果", 1, "surveys.results")],
                    "indicators": [
                        {
                            "name": "居民健康知识知晓率",
                            "threshold": "85",
                            "unit": "%",
                            "figure_key": "surveys.awareness",
                            "is_example": True,
                        },
                        {
                            "name": "居民健康行为形成率",
                            "threshold": "70",
                            "unit": "%",
                            "figure_key": "surveys.behaviour",
                            "is_example": True,
                        },
                    ],
                },
            ],
        },
        {
            "code": "三",
            "name": "市容环境卫生",
            "items": [
                {
                    "code": "3.1",
                    "seed": "001 L97, L159",
                    "text": "道路平整，无暴露垃圾，生活垃圾日产日清",
                    "method": "现场检查，查阅检查记录",
                    "requirements": [
                        ("环境卫生检查记录", 4, "inspections.sheet"),
                        ("环境卫生集中清理活动记录", 4, "activities.records", "cleanup"),
                    ],
                    "indicators": [
                        {
                            "name": "检查平均得分",
                            "measure": "value",
                            "threshold": "85",
                            "unit": "分",
                            "figure_key": "inspections.average_percent",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "3.2",
                    "seed": "001 L29, L161",
                    "text": "落实“门前三包”责任制，商户签订责任书",
                    "method": "查阅资料，现场抽查",
                    "requirements": [("门前三包责任书", 1, "agreements.signed", "frontage3")],
                    "indicators": [
                        {
                            "name": "门前三包普及率",
                            "threshold": "100",
                            "unit": "%",
                            "figure_key": "agreements.coverage_rate.frontage3",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "3.3",
                    "seed": "001 L97",
                    "text": "住宅楼及公共区域无乱堆乱放、乱贴乱画、乱搭乱建",
                    "method": "现场检查",
                    "requirements": [("整改结案的案件", 5, "cases.closed")],
                },
            ],
        },
        {
            "code": "四",
            "name": "生态环境",
            "items": [
                {
                    "code": "4.1",
                    "seed": "001 L159",
                    "text": "辖区排水畅通，无污水溢流、积存",
                    "method": "现场检查",
                },
                {
                    "code": "4.2",
                    "seed": "001 L97",
                    "text": "无违章饲养家禽家畜",
                    "method": "现场检查",
                },
            ],
        },
        {
            "code": "五",
            "name": "重点场所卫生",
            "items": [
                {
                    "code": "5.1",
                    "seed": "003 L59-L61",
                    "text": "农贸市场实行包干管理，摊位卫生责任到人并公示",
                    "method": "现场检查，查阅资料",
                    "requirements": [("市场检查记录", 2, "inspections.sheet")],
                },
                {
                    "code": "5.2",
                    "seed": "003 L139",
                    "text": "“六小”行业证照齐全，卫生设施完善",
                    "method": "现场抽查",
                },
            ],
        },
        {
            "code": "六",
            "name": "食品和饮用水安全",
            "items": [
                {
                    "code": "6.1",
                    "seed": "001 L175",
                    "text": "食品生产经营和餐饮单位持有效许可证，从业人员持健康合格证",
                    "method": "现场抽查",
                },
                {
                    "code": "6.2",
                    "seed": "001 L177",
                    "text": "饮食店有专用餐具消毒、保洁设施，防尘、防蝇、防鼠及上下水设施齐全",
                    "method": "现场抽查",
                },
            ],
        },
        {
            "code": "七",
            "name": "疾病防控与医疗卫生服务",
            "items": [
                {
                    "code": "7.1",
                    "seed": "001 L31-L33",
                    "text": "建立居民健康档案",
                    "method": "查阅资料",
                    "requirements": [("居民健康档案建档情况", 1)],
                },
                {
                    "code": "7.2",
                    "seed": "001 L35",
                    "text": "做好儿童免疫接种通知和65岁以上居民免费体检",
                    "method": "查阅资料",
                },
            ],
        },
        {
            "code": "八",
            "name": "病媒生物预防控制",
            "items": [
                {
                    "code": "8.1",
                    "seed": "001 L181, L527; 004 L35",
                    "text": "制定除四害年度计划，定期开展统一的灭鼠、灭蚊蝇行动",
                    "method": "查阅资料",
                    "requirements": [
                        ("除四害工作计划", 1),
                        ("除四害作业和统一行动记录（含照片）", 2, "pestcontrol.operations"),
                    ],
                },
                {
                    "code": "8.2",
                    "seed": "001 L185, L527",
                    "text": "科学合理用药，严禁使用国家禁用药物；统一投药的购药率、保留率达到要求",
                    "method": "现场检查，入户抽查",
                    "indicators": [
                        {
                            "name": "购药率",
                            "threshold": "98",
                            "unit": "%",
                            "figure_key": "pestcontrol.purchase_rate",
                            "is_example": True,
                        },
                        {
                            "name": "保留率",
                            "threshold": "98",
                            "unit": "%",
                            "figure_key": "pestcontrol.retention_rate",
                            "is_example": True,
                        },
                    ],
                },
                {
                    "code": "8.3",
                    "seed": "001 L25, L187",
                    "text": "定期检查清理伊蚊幼虫孳生地",
                    "method": "入户调查",
                    "requirements": [("伊蚊入户调查记录", 4, "pestcontrol.household_surveys")],
                    # No threshold: the control level comes from GB/T 27771, which is not at hand;
                    # the index itself is computed from the household survey's visits.
                    "indicators": [
                        {
                            "name": "布雷图指数",
                            "measure": "index",
                            "comparator": "lte",
                            "unit": "",
                            "figure_key": "pestcontrol.index.breteau_index",
                            "is_example": True,
                        }
                    ],
                },
                {
                    "code": "8.4",
                    "seed": "002 L41; DOMAIN.md §3 (国家卫生城市 at least C)",
                    "text": "鼠、蚊、蝇、蟑螂密度控制在国家标准C级以上",
                    "method": "现场监测",
                    "requirements": [("病媒生物密度监测记录", 4, "pestcontrol.surveys")],
                    # The grade figure is an ordinal (A=1, B=2, C=3, 未达C级=4): "≤ 3" is at least C.
                    "indicators": [
                        {
                            "name": f"{pest}密度控制水平（A=1，B=2，C=3，未达C级=4）",
                            "measure": "value",
                            "comparator": "lte",
                            "threshold": "3",
                            "unit": "级",
                            "figure_key": f"pestcontrol.grade.{key}",
                            "is_example": False,
                        }
                        for pest, key in (("鼠", "rat"), ("蚊", "mosquito"), ("蝇", "fly"), ("蟑螂", "cockroach"))
                    ],
                },
            ],
        },
    ],
}

JIANGSU_SECTIONS = [
    "爱国卫生组织管理",
    "健康教育",
    "环境卫生",
    "环境保护",
    "病媒生物防制",
    "卫生监督",
    "疾病预防与控制",
    "社区和单位卫生",
    "镇辖村卫生",
    "群众满意度",
]

# 001 L1087, word for word: real text, not examples.
JIANGSU_PREREQUISITES = [
    "取得省辖市卫生镇称号一年以上",
    "垃圾处理达到标准要求",
    "环境保护各项指标达到标准要求",
    "生活饮用水安全和无害化卫生户厕普及率达到标准要求",
]

JIANGSU = {
    "code": "jiangsu-town",
    "name": "江苏省卫生镇标准",
    "kind": "provincial_town",
    "issuer": "江苏省爱国卫生运动委员会",
    "year": None,
    "is_example": True,
    "description": (
        "10 个大项和 4 个申报必备条件取自示例文档 001 L1085–L1087（原文）。官方标准共有 51 个小项，"
        "示例文档未列出，这里只有少量示例小项（标有“示例”）：请用导入模板按官方文本导入全部小项，"
        "导入后生成新版本。"
    ),
    "sections": [
        {"code": "0", "name": "申报必备条件", "items": []},
        *({"code": str(n), "name": name, "items": []} for n, name in enumerate(JIANGSU_SECTIONS, start=1)),
    ],
}
JIANGSU["sections"][0]["items"] = [
    {"code": f"0.{n}", "seed": "001 L1087", "text": text, "kind": "prerequisite", "is_example": False}
    for n, text in enumerate(JIANGSU_PREREQUISITES, start=1)
]
# Example 小项 (the official 51 are not in the seeds), drawn from the Jiangsu town's own report.
_JIANGSU_EXAMPLES = {
    "1": [
        {
            "code": "1.1",
            "seed": "001 L1031, L1033",
            "text": "成立创卫领导小组及其办公室，建立领导小组月（周）例会制度",
            "method": "查阅资料",
            "requirements": [("领导小组成立文件", 1), ("例会记录", 4, "meetings.minutes", "regular")],
        }
    ],
    "2": [
        {
            "code": "2.1",
            "seed": "001 L1073",
            "text": "设有固定的健康教育宣传栏，内容每月一更换",
            "method": "现场查看",
            "requirements": [("宣传栏照片（每月）", 12, "education.board_updates")],
        }
    ],
    "3": [
        {
            "code": "3.1",
            "seed": "001 L1083",
            "text": "落实“组保洁、村收集、镇中转”的保洁和垃圾处置机制",
            "method": "现场检查，查阅检查记录",
            "requirements": [
                ("环境卫生检查记录", 4, "inspections.sheet"),
                ("环境卫生集中清理活动记录", 4, "activities.records", "cleanup"),
            ],
        }
    ],
    "10": [
        {
            "code": "10.1",
            "seed": "DOMAIN.md §3",
            "text": "群众对卫生状况满意",
            "method": "问卷调查",
            # The provincial threshold is not in the seeds: left empty, to be filled from the official text.
            "indicators": [
                {"name": "群众满意率", "unit": "%", "figure_key": "surveys.satisfaction", "is_example": True}
            ],
        }
    ],
}
for _section in JIANGSU["sections"]:
    _section["items"] = _section["items"] or _JIANGSU_EXAMPLES.get(_section["code"], [])

GUANGDONG = {
    "code": "guangdong-village",
    "name": "广东省卫生村标准",
    "kind": "provincial_village",
    "issuer": "广东省爱国卫生运动委员会",
    "year": None,
    "is_example": True,
    "description": (
        "示例文档 001 L97 是一个社区创建方案对《广东省卫生村标准》要求的概括，这里的小项据此整理，均为示例，"
        "并非官方条文与结构；请按官方文本导入。"
    ),
    "sections": [
        {
            "code": "1",
            "name": "环境卫生",
            "is_example": True,
            "items": [
                {"code": "1.1", "seed": "001 L97", "text": "社区环境整洁，道路硬化、平整", "method": "现场检查"},
                {
                    "code": "1.2",
                    "seed": "001 L97",
                    "text": "下水道畅通、无污水积存",
                    "method": "现场检查",
                },
                {"code": "1.3", "seed": "001 L97", "text": "无违章建筑", "method": "现场检查"},
                {
                    "code": "1.4",
                    "seed": "001 L97",
                    "text": "住宅楼及公共区域无乱堆乱放、乱贴乱画现象",
                    "method": "现场检查",
                    "requirements": [("环境卫生检查记录", 2, "inspections.sheet")],
                },
                {"code": "1.5", "seed": "001 L97", "text": "无违章饲养家禽家畜", "method": "现场检查"},
                {
                    "code": "1.6",
                    "seed": "001 L97",
                    "text": "环卫设施保存完好、生活垃圾日产日清",
                    "method": "现场检查",
                    "requirements": [("整改结案的案件", 3, "cases.closed")],
                },
            ],
        },
        {
            "code": "2",
            "name": "病媒生物防制",
            "is_example": True,
            "items": [
                {
                    "code": "2.1",
                    "seed": "001 L97",
                    "text": "落实除“四害”措施",
                    "method": "查阅资料，现场检查",
                    "requirements": [("除四害工作记录", 2)],
                }
            ],
        },
    ],
}


def starter_standards() -> list[dict]:
    """The shipped standards, in the order they are listed."""
    return [NATIONAL, JIANGSU, GUANGDONG]
