#!/usr/bin/env python
"""A street's year summary at city scale (issue 15): seconds to assemble it from the records and
to render it, on a database that ``cases_scale.py --keep-db --no-api`` built (1,000,000 cases by
default; the other benchmarks' records are counted too where they were added).

For the busiest street (by cases in the year) it times:

- **assemble**: the generator's draft (every registered section's figures for the street's
  subtree and the year, computed together) and the printed document built from it;
- **create**: `services.report_create` as the page runs it (the draft, its parts, the first
  revision and the audit event), inside a transaction rolled back after each run;
- **consistency**: the checks run before export (rates, children against the street, the apps'
  own checks);
- **.docx**: rendering the printed document (python-docx, GB/T 9704 layout), Simplified and
  Traditional;
- **PDF**: LibreOffice's conversion of the .docx (3 runs: it takes seconds).

``--smoke`` (CI, scripts/bench_smoke.sh) builds the smoke city of ``cases_scale.py --smoke`` into
its own database (dropped at the end), 2 runs after 1 warm-up, one PDF, into
``reports_summary-smoke.md`` (git-ignored); any failure exits non-zero.

    .venv/bin/python bench/reports_summary.py --database-url postgresql://postgres@127.0.0.1:5432/chuangwei_hlists_bench
    .venv/bin/python bench/reports_summary.py --smoke
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import time
from datetime import date
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from org_scale import measure, setup_django  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_hlists_bench"
SMOKE_URL = "postgresql://postgres@127.0.0.1:5432/chuangwei_reports_summary_smoke_bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=0, help="the summary's year (default: the year with most cases)")
    parser.add_argument("--label", default="after")
    parser.add_argument("--results-dir", default=str(BENCH_DIR / "results"))
    parser.add_argument("--smoke", action="store_true", help="CI smoke run on the smoke city (see above)")
    args = parser.parse_args(argv)
    if args.smoke:
        if args.database_url == DEFAULT_URL:
            args.database_url = SMOKE_URL
        args.runs, args.warmup, args.pdf_runs, args.label = 2, 1, 1, "smoke"
    return args


def busiest_street(year: int):
    """The street with most cases reported in `year`, and an account of its own (added once)."""
    from django.db import connection

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.organization.models import Jurisdiction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT j.parent_id, count(*) FROM cases_case c "
            "JOIN organization_jurisdiction j ON j.id = c.jurisdiction_id "
            "WHERE c.created_at >= %s AND c.created_at < %s GROUP BY j.parent_id ORDER BY 2 DESC LIMIT 1",
            [date(year, 1, 1), date(year + 1, 1, 1)],
        )
        row = cursor.fetchone()
    street = Jurisdiction.objects.get(pk=row[0])
    while street.level.code not in ("street", "town") and street.parent_id:
        street = street.parent
    user = User.objects.filter(username="bench_summary_street").first()
    if user is None:
        user = User(username="bench_summary_street", role=Role.STREET, jurisdiction=street)
        user.set_unusable_password()
        user.save()
    return street, user, row[1]


def busiest_year() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(year FROM created_at)::int, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else date.today().year


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if args.smoke:
        import cases_scale

        cases_scale.build_smoke_city(args.database_url, lambda: setup_django(args.database_url))
    else:
        setup_django(args.database_url)
    from django.db import connection, transaction

    from apps.cases.models import Case
    from apps.reports import consistency, generator, layout, services
    from apps.reports.choices import ReportKind

    year = args.year or busiest_year()
    start, end = date(year, 1, 1), date(year, 12, 31)
    street, user, street_cases = busiest_street(year)
    kind = ReportKind.YEAR_SUMMARY

    class Rollback(Exception):
        pass

    holder = {}

    def assemble():
        drafts, values = generator.draft_parts(kind, street, start, end, street.name, user)
        for draft in drafts:
            draft.figures = {k: values[k] for k in generator.keys_in(draft.text) if k in values}
        holder["document"] = generator.document_for(_Report(street, kind, start, end), drafts)
        holder["keys"] = list(values)
        holder["values"] = {key: generator.figure_value(entry) for key, entry in values.items()}

    def create():
        try:
            with transaction.atomic():
                holder["report"] = services.report_create(
                    actor=user, jurisdiction=street, kind=kind, period_start=start, period_end=end
                )
                raise Rollback
        except Rollback:
            pass

    def check():
        consistency.find_inconsistencies(street, start, end, holder["keys"], values=holder["values"])

    def docx():
        holder["docx"] = layout.render_docx(holder["document"])

    def docx_traditional():
        layout.render_docx(layout.to_traditional(holder["document"]))

    def pdf():
        layout.render_pdf(holder["docx"])

    rows = []
    for name, call, runs, warmup in (
        ("assemble (draft + printed document)", assemble, args.runs, args.warmup),
        ("create (as the page: draft, parts, revision, audit)", create, args.runs, args.warmup),
        ("consistency checks", check, args.runs, args.warmup),
        (".docx (Simplified)", docx, args.runs, args.warmup),
        (".docx (Traditional)", docx_traditional, args.runs, args.warmup),
        ("PDF (LibreOffice)", pdf, args.pdf_runs, 0),
    ):
        stats = measure(call, runs, warmup)
        rows.append((name, stats))
        print(
            f"{name}: median {stats['median']:.0f} ms, p95 {stats['p95']:.0f} ms, {stats['queries']} queries",
            flush=True,
        )

    document = holder["document"]
    figures = len({run.figure_key for run in document.figures})
    total = Case.objects.count()
    lines = [
        f"# A street's year summary at {total:,} cases — {args.label}",
        "",
        f"Street {street.name} (id {street.pk}), {street_cases:,} cases reported in {year}; "
        f"{len(document.blocks)} blocks, {figures} distinct figures quoted; .docx {len(holder['docx']):,} bytes. "
        f"{connection.vendor} {getattr(connection, 'pg_version', 0) // 10000 or ''}; {platform.node()}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; median / p95 in ms over the timed runs.",
        "",
        "| step | runs | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, stats in rows:
        runs = args.pdf_runs if name.startswith("PDF") else args.runs
        lines.append(f"| {name} | {runs} | {stats['median']:.0f} | {stats['p95']:.0f} | {stats['queries']} |")
    out = Path(args.results_dir) / f"reports_summary-{args.label}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} at {time.strftime('%H:%M:%S')}")
    if not figures or not holder["docx"].startswith(b"PK"):
        print("the summary quoted no figure or the .docx is not a zip", file=sys.stderr)
        return 1
    return 0


class _Report:
    """The fields `document_for` reads, for a document not saved."""

    def __init__(self, node, kind, start, end):
        from apps.reports import generator

        self.kind, self.period_start, self.period_end = kind, start, end
        self.office = node.name
        self.title = generator.default_title(kind, node.name, start, end)
        self.doc_number = self.addressee = ""
        self.issued_on = end
        self.number_style = False


if __name__ == "__main__":
    sys.exit(main())
