"""Standard workbooks for the import tests (unit and browser)."""

HEADERS = [
    "标准代码",
    "标准名称",
    "标准类别",
    "大项编号",
    "大项名称",
    "小项编号",
    "条文",
    "考核方法",
    "类型",
    "分值",
    "所需资料",
    "指标名称",
    "指标类型",
    "比较",
    "达标值",
    "单位",
    "系统数据",
    "示例",
]


def row(code="town-2026", **values) -> list:
    """One row by header (the defaults make a plain item in section 1)."""
    base = {"标准代码": code, "大项编号": "1", "小项编号": "1.1", "条文": "条文", "类型": "达标项", "示例": "否"}
    base.update(values)
    return [base.get(header, "") for header in HEADERS]


def good_rows(code="town-2026", name="某镇卫生镇标准（导入）") -> list[list]:
    """Two sections, four items: a prerequisite, a scored item with an indicator, a plain item with
    requirements, and a continuation row adding a second indicator."""
    return [
        row(
            code,
            标准名称=name,
            标准类别="省卫生镇",
            大项名称="申报必备条件",
            大项编号="0",
            小项编号="0.1",
            条文="垃圾处理达到标准要求",
            类型="必备条件",
        ),
        row(
            code,
            大项编号="1",
            大项名称="爱国卫生组织管理",
            小项编号="1.1",
            条文="成立创卫领导小组，定期召开例会",
            考核方法="查阅资料",
            类型="计分项",
            分值=4,
            所需资料="领导小组成立文件；例会记录×4",
        ),
        row(
            code,
            大项编号="1",
            小项编号="1.2",
            条文="群众对卫生状况满意",
            考核方法="问卷调查",
            类型="计分项",
            分值="2.5",
            指标名称="群众满意率",
            比较="≥",
            达标值=90,
            单位="%",
        ),
        row(
            code,
            大项编号="1",
            小项编号="1.2",
            条文="",
            指标名称="调查样本量",
            指标类型="数量",
            达标值=100,
            单位="份",
            比较=">=",
        ),
        row(code, 大项编号="1", 小项编号="1.3", 条文="健康教育宣传栏定期更换", 所需资料="宣传栏照片×12", 示例="是"),
    ]
