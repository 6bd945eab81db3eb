"""A city-wide awareness survey (知晓率调查) of 100,000 respondents and its results page.

A city of 2 districts × 5 streets × 10 communities (100 communities) runs one survey of 20
questions (8 knowledge, 5 behaviour, 4 satisfaction scale items, age group, sex and community):
100,000 responses and 2,000,000 answers, written with bulk inserts (PostgreSQL: `COPY` for the
answers) and scored here as the services score them. A sampling plan (400 per community, an age
quota per group) is added. Then `surveys:questionnaire_results` is timed through
django.test.Client (whole request: middleware, view, template), warm-up then timed runs, median
and the SQL queries per request:

- the open survey grouped per community (100 rows) and per age group (6 rows) — computed live;
- the same survey closed: the page reads `frozen_results` (the snapshot taken at closing).

    .venv/bin/python bench/bench_surveys.py --database-url postgresql://postgres@127.0.0.1:5432/chuangwei_surveys_bench
    .venv/bin/python bench/bench_surveys.py --smoke      # 500 responses on SQLite, a few seconds (CI)

The database named in the URL is DROPPED and re-created (its name must contain "bench"), and
dropped again at the end unless --keep-db. The results table is printed and written to
bench/results/bench_surveys-<vendor>[-smoke].md.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DISTRICTS, STREETS, COMMUNITIES = 2, 5, 10
AGES = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]
KNOWLEDGE, BEHAVIOUR, SATISFACTION = 8, 5, 4


def setup(database_url: str):
    tmp = tempfile.mkdtemp(prefix="cw-surveys-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        import benchdb  # drop + create (a copy of the migrated $BENCH_TEMPLATE_DB in smoke runs)

        benchdb.create_postgres(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = os.path.join(tmp, "media")
    settings.CHUANGWEI_REQUIRE_AUDIT_LABELS = False
    import benchdb

    benchdb.migrate()


def _drop(create: bool):
    import psycopg

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    assert "bench" in name, "the database is dropped: its name must contain 'bench'"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def build_city():
    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.organization import services
    from apps.organization.defaults import ensure_defaults
    from apps.organization.models import JurisdictionLevel

    ensure_defaults()
    levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}

    def node(parent, level, code, name):
        return services.jurisdiction_create(actor=None, parent=parent, level=levels[level], code=code, name=name)

    city = node(None, "city", "S", "基准市")
    communities = []
    for d in range(DISTRICTS):
        district = node(city, "district", f"S-{d}", f"第{d + 1}区")
        for s in range(STREETS):
            street = node(district, "street", f"S-{d}-{s}", f"{d + 1}区{s + 1}街道")
            communities += [
                node(street, "community", f"S-{d}-{s}-{c}", f"{d + 1}区{s + 1}街{c + 1}社区")
                for c in range(COMMUNITIES)
            ]
    office = User.objects.create(username="bench_city_office", role=Role.OFFICE, jurisdiction=city, last_name="办")
    return city, communities, office


def build_survey(city, communities):
    from django.utils import timezone

    from apps.surveys.models import AgeQuota, Option, Question, Questionnaire, QuestionnaireVersion, SamplingTarget

    q = Questionnaire.objects.create(
        jurisdiction=city, title="全市创卫知晓率调查（基准）", status="open", opened_at=timezone.now()
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    q.current_version = v
    q.save(update_fields=["current_version"])
    items = []  # (question, options, role)

    def question(sort, role, texts, **extra):
        question = Question.objects.create(version=v, sort=sort, text=f"第{sort}题", role=role, **extra)
        options = [Option.objects.create(question=question, sort=i, **t) for i, t in enumerate(texts)]
        items.append((question, options, role))

    sort = 1
    for _ in range(KNOWLEDGE):
        question(sort, "knowledge", [{"text": "对", "is_correct": True}, {"text": "错"}, {"text": "不知道"}])
        sort += 1
    for _ in range(BEHAVIOUR):
        question(sort, "behaviour", [{"text": "经常", "is_healthy": True}, {"text": "偶尔"}, {"text": "从不"}])
        sort += 1
    for _ in range(SATISFACTION):
        question(
            sort,
            "satisfaction",
            [{"text": str(s), "score": s} for s in (5, 4, 3, 2, 1)] + [{"text": "不了解"}],
            kind="scale",
        )
        sort += 1
    question(sort, "demographic", [{"text": a, "value": a} for a in AGES], demographic="age_group")
    question(
        sort + 1, "demographic", [{"text": "男", "value": "male"}, {"text": "女", "value": "female"}], demographic="sex"
    )
    question(sort + 2, "demographic", [{"text": c.name, "community": c} for c in communities], demographic="community")
    SamplingTarget.objects.bulk_create(SamplingTarget(questionnaire=q, community=c, target=400) for c in communities)
    AgeQuota.objects.bulk_create(AgeQuota(questionnaire=q, age_group=a, target=6000) for a in AGES)
    return q, v, items


def build_responses(q, v, items, communities, n: int):
    """n scored responses with one answer per question (single choice everywhere)."""
    from django.db import connection
    from django.utils import timezone

    from apps.surveys.models import Answer, Response

    rng = random.Random(13)
    now = timezone.now()
    batch = 10_000
    made = 0
    while made < n:
        size = min(batch, n - made)
        responses, picks = [], []
        for _ in range(size):
            skill = rng.random()
            chosen = []
            k_ok = b_ok = s_pos = s_total = 0
            age = sex = community = None
            for question, options, role in items:
                if role == "knowledge":
                    o = options[0] if rng.random() < 0.5 + 0.4 * skill else options[rng.randrange(1, 3)]
                    k_ok += o.is_correct
                elif role == "behaviour":
                    o = options[0] if rng.random() < 0.4 + 0.5 * skill else options[rng.randrange(1, 3)]
                    b_ok += o.is_healthy
                elif role == "satisfaction":
                    o = options[min(5, int(rng.random() ** 1.5 * 6))]
                    if o.score is not None:
                        s_total += 1
                        s_pos += o.score >= 4
                elif question.demographic == "age_group":
                    o = rng.choice(options)
                    age = o.value
                elif question.demographic == "sex":
                    o = rng.choice(options)
                    sex = o.value
                else:
                    o = options[min(len(options) - 1, int(rng.random() ** 1.3 * len(options)))]
                    community = o.community_id
                chosen.append((question.pk, o.pk))
            responses.append(
                Response(
                    questionnaire=q,
                    version=v,
                    channel="public" if rng.random() < 0.7 else "interview",
                    answered_at=now,
                    received_at=now,
                    community_id=community,
                    age_group=age,
                    sex=sex,
                    knowledge_correct=k_ok,
                    knowledge_total=KNOWLEDGE,
                    behaviour_healthy=b_ok,
                    behaviour_total=BEHAVIOUR,
                    satisfaction_positive=s_pos,
                    satisfaction_total=s_total,
                    aware=k_ok * 100 >= 60 * KNOWLEDGE,
                    behaviour_formed=b_ok * 100 >= 60 * BEHAVIOUR,
                )
            )
            picks.append(chosen)
        created = Response.objects.bulk_create(responses, batch_size=5000)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for r, chosen in zip(created, picks, strict=True):
                for question_id, option_id in chosen:
                    buffer.write(f"{r.pk}\t{question_id}\t{option_id}\n")
            buffer.seek(0)
            sql = "COPY surveys_answer (response_id, question_id, option_id) FROM STDIN"
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                while data := buffer.read(1 << 20):
                    copy.write(data)
        else:
            Answer.objects.bulk_create(
                (
                    Answer(response_id=r.pk, question_id=qid, option_id=oid)
                    for r, chosen in zip(created, picks, strict=True)
                    for qid, oid in chosen
                ),
                batch_size=5000,
            )
        made += size
    return made


def timed(label, call, runs, warmup=1):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert call().status_code == 200
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - began) * 1000)
        queries = len(ctx.captured_queries)
        assert response.status_code == 200, response
    return f"| {label} | {statistics.median(times):.0f} ms | {max(times):.0f} ms | {queries} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="500 responses, 2 runs (CI)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.responses, args.runs = 500, 2
    setup(args.database_url)
    from django.core.cache.backends.dummy import DummyCache
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from apps.surveys.models import Answer, Response
    from apps.surveys.results import snapshot
    from apps.surveys.selectors import results as results_selectors

    try:
        began = time.perf_counter()
        with transaction.atomic():
            city, communities, office = build_city()
            q, v, items = build_survey(city, communities)
            made = build_responses(q, v, items, communities, args.responses)
        built = time.perf_counter() - began
        assert Response.objects.count() == made
        answers = Answer.objects.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(office)
        url = reverse("surveys:questionnaire_results", args=[q.pk])

        def cold(*a):
            """The page with the live results computed (the cache bypassed)."""
            with mock.patch.object(results_selectors, "cache", DummyCache("dummy", {})):
                return client.get(*a)

        lines = [
            f"database: {connection.vendor}; {len(communities)} communities, {made:,} responses of {len(items)} "
            f"questions, {answers:,} answers, built in {built:.1f}s; {args.runs} timed runs after 1 warm-up",
            "",
            "| results page | median | max | queries |",
            "|---|---|---|---|",
            timed("open survey, per community (live, computed)", lambda: cold(url), args.runs),
            timed("open survey, per age group (live, computed)", lambda: cold(url, {"group": "age_group"}), args.runs),
            timed("open survey, per community (live, cached ≤ 60 s)", lambda: client.get(url), args.runs),
            timed(
                "open survey, per age group (live, cached ≤ 60 s)",
                lambda: client.get(url, {"group": "age_group"}),
                args.runs,
            ),
        ]
        began = time.perf_counter()
        q.frozen_results = snapshot(q)
        frozen_ms = (time.perf_counter() - began) * 1000
        q.status = "closed"
        q.closed_at = q.opened_at
        q.save(update_fields=["frozen_results", "status", "closed_at"])
        lines += [
            timed("closed survey, per community (frozen)", lambda: client.get(url), args.runs),
            timed("closed survey, per age group (frozen)", lambda: client.get(url, {"group": "age_group"}), args.runs),
            "",
            f"snapshot() at closing: {frozen_ms:.0f} ms; overall 知晓率 {q.frozen_results['overall']['awareness']}",
        ]
        report = "\n".join(lines)
        print(report)
        out = (
            Path(__file__).parent / "results" / f"bench_surveys-{connection.vendor}{'-smoke' if args.smoke else ''}.md"
        )
        out.write_text("# bench_surveys\n\n" + report + "\n")
    finally:
        connection.close()
        if os.environ["DATABASE_URL"].startswith("postgres") and not args.keep_db:
            _drop(create=False)


if __name__ == "__main__":
    main()
