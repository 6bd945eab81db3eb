from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("调查中")
    CLOSED = "closed", _("已结束")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    SCALE = "scale", _("满意度量表")


class QuestionRole(models.TextChoices):
    """What an item measures: knowledge items have correct answers (知晓率), behaviour items
    healthy answers (健康行为形成率), satisfaction items a scale (满意率); demographic items
    say who answered; general items are only tallied."""

    GENERAL = "general", _("一般题")
    KNOWLEDGE = "knowledge", _("知识题")
    BEHAVIOUR = "behaviour", _("行为题")
    SATISFACTION = "satisfaction", _("满意度题")
    DEMOGRAPHIC = "demographic", _("基本情况")


class Demographic(models.TextChoices):
    AGE_GROUP = "age_group", _("年龄段")
    SEX = "sex", _("性别")
    COMMUNITY = "community", _("所在社区")
    RESIDENT_TYPE = "resident_type", _("居住类型")


class AgeGroup(models.TextChoices):
    A15 = "15-24", _("15–24岁")
    A25 = "25-34", _("25–34岁")
    A35 = "35-44", _("35–44岁")
    A45 = "45-54", _("45–54岁")
    A55 = "55-64", _("55–64岁")
    A65 = "65+", _("65岁及以上")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ResidentType(models.TextChoices):
    REGISTERED = "registered", _("户籍居民")
    RESIDENT = "resident", _("常住非户籍居民")
    MIGRANT = "migrant", _("流动人口")
    WORKER = "worker", _("辖区单位职工")
    STUDENT = "student", _("学生")


# The codes a demographic item's options carry, per demographic (community options carry a
# jurisdiction instead).
DEMOGRAPHIC_VALUES = {
    Demographic.AGE_GROUP: AgeGroup,
    Demographic.SEX: Sex,
    Demographic.RESIDENT_TYPE: ResidentType,
}


class Channel(models.TextChoices):
    PUBLIC = "public", _("扫码自填")
    INTERVIEW = "interview", _("入户/拦截访问")


class RefusalReason(models.TextChoices):
    DUPLICATE = "duplicate", _("同一设备重复作答")
    RATE = "rate", _("同一来源提交过多")
    BOT = "bot", _("疑似自动提交")
    CLOSED = "closed", _("调查已结束")
