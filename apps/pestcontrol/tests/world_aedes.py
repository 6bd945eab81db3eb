"""The aedes part of the access-matrix world: a household survey at the grid (so the grid
worker, the community A1 desk, street A and the leader see it; community A2 does not), a
submitted-ready one, a positive visit with a photo and no case yet."""

import json
import uuid
from datetime import date


def extend(o) -> None:
    from apps.cases.categories import ensure_categories
    from apps.pestcontrol.services import aedes as services

    ensure_categories()
    today = date.today()
    o.aedes_survey = services.household_survey_open(actor=o.grid, jurisdiction=o.grid_a1, surveyed_on=today)
    o.aedes_survey_full = services.household_survey_open(actor=o.community, jurisdiction=o.comm_a1, surveyed_on=today)
    services.visit_record(
        actor=o.community,
        survey=o.aedes_survey_full,
        client_id=uuid.uuid4(),
        address="1号",
        containers={"jar": {"wet": 2, "positive": 0}},
    )
    o.aedes_visit_positive, _created = services.visit_record(
        actor=o.grid,
        survey=o.aedes_survey,
        client_id=uuid.uuid4(),
        address="幸福小区1栋101",
        lat="31.467100",
        lng="104.683100",
        containers={"plant": {"wet": 3, "positive": 1, "larvae": 5}},
        photos=[o.jpeg()],
        open_case=False,
    )
    o.aedes_photo = o.aedes_visit_positive.photos.first()
    o.aedes_visit_body = lambda: json.dumps(
        {"client_id": str(uuid.uuid4()), "address": "2号", "containers": {"tyre": {"wet": 1, "positive": 0}}}
    )
