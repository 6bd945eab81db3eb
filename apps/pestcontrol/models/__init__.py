"""除四害与病媒生物监测: operations and campaigns (operations.py), the drug ledger (drugs.py),
surveys with raw observations (surveys.py), control levels as versioned data (levels.py) and
the Aedes household survey (aedes.py)."""

from .aedes import AedesSetting, BreedingSitePhoto, ContainerRecord, HouseholdVisit, VectorAlert
from .drugs import BannedSubstance, Product, StockMovement, Store
from .levels import ControlStandard, ControlThreshold, ControlVersion
from .operations import FollowUpCheck, Operation, OperationDrug, OperationPhoto, PestCampaign
from .surveys import MethodSetting, Survey

__all__ = [
    "AedesSetting",
    "BannedSubstance",
    "BreedingSitePhoto",
    "ContainerRecord",
    "ControlStandard",
    "ControlThreshold",
    "ControlVersion",
    "FollowUpCheck",
    "HouseholdVisit",
    "MethodSetting",
    "Operation",
    "OperationDrug",
    "OperationPhoto",
    "PestCampaign",
    "Product",
    "StockMovement",
    "Store",
    "Survey",
    "VectorAlert",
]
