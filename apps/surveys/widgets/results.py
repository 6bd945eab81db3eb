"""The home-page panel `surveys.open`: the open surveys the user may view, with the answers so
far against the sampling plan (three queries); None when no survey is open."""

from django.urls import reverse

from ..selectors import results as selectors


def open_surveys(request) -> dict | None:
    rows = selectors.open_surveys(request.user)
    if not rows:
        return None
    for row in rows:
        row["url"] = reverse("surveys:questionnaire_results", args=[row["q"].pk])
        planned = row["planned"]
        row["percent"] = min(100, round(row["answers"] * 100 / planned)) if planned else None
    return {"rows": rows}
