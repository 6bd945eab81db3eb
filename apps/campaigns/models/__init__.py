"""Campaigns (创建项目): the campaign with its phases and groups, the task breakdown, the
self-assessment, the evidence ledger (台账), its binder exports and mock assessments."""

from .assessment import ItemAssessment, MockAssessment, MockScore
from .campaign import Campaign, CampaignGroup, CampaignPhase
from .evidence import BinderExport, EvidenceDocument, EvidenceLink, EvidenceRule
from .tasks import Task

__all__ = [
    "BinderExport",
    "Campaign",
    "CampaignGroup",
    "CampaignPhase",
    "EvidenceDocument",
    "EvidenceLink",
    "EvidenceRule",
    "ItemAssessment",
    "MockAssessment",
    "MockScore",
    "Task",
]
