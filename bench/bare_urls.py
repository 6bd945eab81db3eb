"""The project's URLs plus bare baseline views, mounted only for the benchmarks (issue 14).

- ``POST /bench/bare-case/`` (token auth, the same DRF authentication and permission classes as the
  API) inserts one ``Case`` row with the minimal valid fields (category, jurisdiction = the caller's,
  a unique code and tracking code, reporter = the caller) and answers 201 ``{"id": …}``: no
  validation, no place lookup, no recurrence check, no event or audit row. ``cases_scale.py`` drives
  it through the same gunicorn as ``POST /api/v1/cases/`` to show what the framework alone costs.
- ``GET /bench/bare-statistics/?start=YYYY-MM-01`` (session login, the same middleware as every
  page) reads the month's figures of the user's jurisdiction per child jurisdiction from the
  pre-aggregated table ``bench_case_month`` (cases_baselines.month_figures_sql, built by the
  benchmark) and renders them, with the rates, through a minimal template as one HTML table.
- ``GET /bench/bare-open-cases/`` (session login) reads the user's first 50 open cases by raw SQL
  (cases_baselines.open_list_sql) and renders them through a minimal template as one HTML table
  (each row a dict: a template's `row.0` tries a key and an attribute, two exceptions, before the
  index, which would make the bare page slower than it need be).

The bare pages use no context processor, menu, form or link: what a page of the same figures
costs with Django's request handling, session, login and template engine and nothing else.
"""

import secrets
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases.models import Case
from bench import cases_baselines
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (same error pages)
from config.urls import urlpatterns as project_urlpatterns


class BareCase(APIView):
    def post(self, request):
        case = Case.objects.create(
            category_id=int(request.data["category"]),
            jurisdiction_id=request.user.jurisdiction_id,
            code="BENCH" + secrets.token_hex(8),
            reporter=request.user,
        )
        return Response({"id": case.pk}, status=201)


STATISTICS_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>statistics</title></head><body>
<table data-testid="stats-table"><tr><th></th>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}<tr>{% for value in row %}
<td>{% if value is None %}—{% else %}{{ value }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}</table></body></html>"""
)

LIST_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>cases</title></head><body>
<table data-testid="case-table">
<tr><th>code</th><th>category</th><th>place</th><th>status</th><th>unit</th><th>deadline</th></tr>
{% for r in rows %}<tr><td><a href="/cases/{{ r.id }}/">{{ r.code }}</a>{% if r.is_recurrence %} R{% endif %}
<div>{{ r.source }} · {{ r.created_at|date:"m-d H:i" }}</div></td>
<td>{% if r.parent %}{{ r.parent }}/{% endif %}{{ r.category }}</td><td>{{ r.place }}<div>{{ r.address }}</div></td>
<td>{{ r.status }}</td><td>{{ r.unit|default:r.staff|default:"—" }}</td>
<td>{{ r.deadline_at|date:"m-d H:i"|default:"—" }}</td></tr>
{% endfor %}</table></body></html>"""
)
LIST_COLUMNS = ("id", "code", "is_recurrence", "source", "created_at", "category", "parent", "place", "address")
LIST_COLUMNS += ("status", "unit", "staff", "deadline_at")  # open_list_sql's columns, in its order


def _rate(numerator, denominator):
    return None if not denominator else round(100 * numerator / denominator, 1)


@login_required
def bare_statistics(request):
    """The month's figures per child jurisdiction from ``bench_case_month``, one HTML table."""
    read = cases_baselines.month_figures_sql(request.user.jurisdiction, date.fromisoformat(request.GET["start"]))
    names = list(cases_baselines.SUMMARY_COLUMNS)
    rows = []
    for _pk, name, _path, *values in read():
        f = dict(zip(names, values, strict=True))
        closed = f["closed"]
        rows.append(
            [
                name,
                f["reported"],
                f["registered"],
                _rate(f["registered"], f["reported"]),
                f["dispatched"],
                f["handled_on_time"],
                _rate(f["handled_on_time"], f["dispatched"]),
                closed,
                f["closed_on_time"],
                f["returned_for_rework"],
                _rate(f["returned_for_rework"], f["dispatched"]),
                round(f["close_seconds"] / 3600 / closed, 1) if closed else None,
                f["recurrences"],
            ]
        )
    headers = ["上报", "立案", "立案率", "派遣", "按期处置", "按期处置率", "结案", "按期结案", "返工", "返工率"]
    headers += ["平均结案时长(小时)", "重复发生"]
    return HttpResponse(STATISTICS_TEMPLATE.render({"headers": headers, "rows": rows}))


@login_required
def bare_open_cases(request):
    """The user's first 50 open cases by raw SQL, one HTML table."""
    rows = [dict(zip(LIST_COLUMNS, row, strict=True)) for row in cases_baselines.open_list_sql(request.user)()]
    return HttpResponse(LIST_TEMPLATE.render({"rows": rows}))


urlpatterns = [
    path("bench/bare-case/", BareCase.as_view(), name="bench_bare_case"),
    path("bench/bare-statistics/", bare_statistics, name="bench_bare_statistics"),
    path("bench/bare-open-cases/", bare_open_cases, name="bench_bare_open_cases"),
    *project_urlpatterns,
]
