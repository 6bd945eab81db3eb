"""Writes to inspections, one module per concept: checklists (versioned), plans and rounds
(sampled), score sheets (saved item by item, frozen on submission; findings → cases;
corrections), appeals. Rankings (compute, publish, recalculate) live in `..rankings`.
Every write is audited. The names below are the package's public services.
"""

from ..rankings import ranking_publish, rankings_recalculate_for, scheme_save
from .appeals import appeal_decide, appeal_submit
from .checklists import (
    checklist_create,
    checklist_item_delete,
    checklist_item_save,
    checklist_section_add,
    checklist_update,
    install_starter_templates,
)
from .common import FINDING_CATEGORY_CODE, INSPECTORS, REVIEWERS
from .rounds import (
    default_round_dates,
    draw_sample,
    plan_create,
    plan_targets,
    plan_update,
    round_open,
    rounds_open_due,
)
from .sheets import (
    finding_open_case,
    inspection_add_photo,
    inspection_correct,
    inspection_create,
    inspection_delete_photo,
    inspection_save_item,
    inspection_start,
    inspection_submit,
)

__all__ = [
    "FINDING_CATEGORY_CODE",
    "INSPECTORS",
    "REVIEWERS",
    "appeal_decide",
    "appeal_submit",
    "checklist_create",
    "checklist_item_delete",
    "checklist_item_save",
    "checklist_section_add",
    "checklist_update",
    "default_round_dates",
    "draw_sample",
    "finding_open_case",
    "inspection_add_photo",
    "inspection_correct",
    "inspection_create",
    "inspection_delete_photo",
    "inspection_save_item",
    "inspection_start",
    "inspection_submit",
    "install_starter_templates",
    "plan_create",
    "plan_targets",
    "plan_update",
    "ranking_publish",
    "rankings_recalculate_for",
    "round_open",
    "rounds_open_due",
    "scheme_save",
]
