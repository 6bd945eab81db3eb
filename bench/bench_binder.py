"""The binder of a street in a district campaign: files per second and peak memory of the build.

A district of 10 streets × 6 communities runs a campaign against a 300-item standard (10 sections
of 30 items, one evidence requirement each) with 50,000 evidence links spread evenly over the
streets: the measured street holds 5,000 (10 %). Of a street's links 20 % are uploads (a PDF or a
JPEG of ~200 KB each: random bytes behind a real header, so they do not compress, like real scans
and photos) and 80 % are records of a fake evidence source that renders a .docx per record with
python-docx (as an inspection sheet's provider would) plus, for every second record, a ~200 KB
photo read from disk.

Measured with the real job (`binder_build_run`): wall time, files per second, the process's peak
RSS growth (ru_maxrss) and, in a second run under tracemalloc, the peak of Python allocations,
for a community's binder (~1/6 of the street) and the street's, to show memory does not grow
with the binder.

    .venv/bin/python bench/bench_binder.py [--database-url URL] [--links 50000] [--street-share 0.1]
"""

import argparse
import functools
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STREETS, COMMUNITIES, SECTIONS, ITEMS_PER_SECTION = 10, 6, 10, 30
FILE_SIZE = 200 * 1024
RENDER_SECONDS = [0.0]  # time spent in the fake provider's .docx rendering (the provider's cost, not the binder's)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--street-share", type=float, default=0.1, help="share of the links in the measured street")
    parser.add_argument("--upload-share", type=float, default=0.2)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument(
        "--static-docx",
        action="store_true",
        help="the provider returns one pre-rendered .docx (isolates the binder's cost)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke run: 400 links (40 in the street); a PostgreSQL database is dropped at the end",
    )
    args = parser.parse_args()
    if args.smoke:
        args.links = 400
        if args.database_url:
            import benchdb

            benchdb.drop_at_exit(args.database_url)
    tmp = tempfile.mkdtemp(prefix="cw-binder-")
    os.environ["CHUANGWEI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())  # DEBUG stays off: no query log in memory
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
    started = time.perf_counter()
    world = build(args, tmp)
    print(f"database: {django.db.connection.vendor}; built in {time.perf_counter() - started:.1f}s")
    for label, area in (("community", world["community"]), ("street", world["street"])):
        measure(label, world, area, trace=False)
        if not args.no_tracemalloc:
            measure(label, world, area, trace=True)


def build(args, tmp):
    from django.core.files.base import ContentFile

    from apps.accounts.models import User
    from apps.campaigns.models import Campaign, EvidenceDocument, EvidenceLink
    from apps.core.roles import Role
    from apps.organization import services
    from apps.organization.defaults import ensure_defaults
    from apps.organization.models import JurisdictionLevel
    from apps.standards.models import EvidenceRequirement, Standard, StandardItem, StandardSection, StandardVersion

    rng = random.Random(7)
    ensure_defaults()
    levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}

    def node(parent, level, code, name):
        return services.jurisdiction_create(actor=None, parent=parent, level=levels[level], code=code, name=name)

    city = node(None, "city", "B", "基准市")
    district = node(city, "district", "B-D", "基准区")
    streets = []
    for s in range(STREETS):
        street = node(district, "street", f"B-D-{s}", f"第{s + 1}街道")
        street.communities = [
            node(street, "community", f"B-D-{s}-{c}", f"第{s + 1}街道{c + 1}社区") for c in range(COMMUNITIES)
        ]
        streets.append(street)
    office = User.objects.create(username="bench_office", role=Role.OFFICE, jurisdiction=district, last_name="办")

    standard = Standard.objects.create(code="bench", name="基准标准", kind="national_city")
    version = StandardVersion.objects.create(standard=standard, number=1, source="bench")
    items = []
    for s in range(SECTIONS):
        section = StandardSection.objects.create(version=version, code=str(s + 1), name=f"第{s + 1}大项名称", sort=s)
        for i in range(ITEMS_PER_SECTION):
            items.append(
                StandardItem.objects.create(
                    version=version,
                    section=section,
                    code=f"{s + 1}.{i + 1}",
                    text=f"第{s + 1}.{i + 1}小项的条文内容，说明应当达到的要求和考核方法",
                    kind="plain",
                    sort=i,
                )
            )
    reqs = {item.pk: EvidenceRequirement.objects.create(item=item, name="工作资料", min_count=3) for item in items}
    campaign = Campaign.objects.create(
        title="基准区创建国家卫生城市",
        level="national_city",
        jurisdiction=district,
        standard_version=version,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        created_by=office,
    )

    # Files of realistic size, generated once and stored once per document (as uploads are).
    pdf = b"%PDF-1.4\n" + rng.randbytes(FILE_SIZE) + b"\n%%EOF\n"
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF" + rng.randbytes(FILE_SIZE)
    photo_path = os.path.join(tmp, "photo.jpg")
    Path(photo_path).write_bytes(jpeg)

    per_street = int(args.links * args.street_share)
    links, uploads = [], 0
    measured = streets[0]
    for s, street in enumerate(streets):
        count = per_street if s == 0 else (args.links - per_street) // (STREETS - 1)
        for n in range(count):
            community = street.communities[n % COMMUNITIES]
            item = items[n % len(items)]
            day = date(2026, 1, 1) + timedelta(days=n % 330)
            upload = s == 0 and n % round(1 / args.upload_share) == 0
            if upload:
                content, ext = (pdf, "pdf") if n % 2 else (jpeg, "jpg")
                document = EvidenceDocument(
                    campaign=campaign,
                    item=item,
                    requirement=reqs[item.pk],
                    jurisdiction=community,
                    title=f"上传资料{n:05d}",
                    occurred_on=day,
                    original_name=f"扫描件{n}.{ext}",
                    content_type="application/pdf",
                    size=len(content),
                    sha256="0" * 64,
                    uploaded_by=office,
                )
                document.file.save(f"scan{n}.{ext}", ContentFile(content), save=False)
                document.save()
                uploads += 1
            links.append(
                EvidenceLink(
                    campaign=campaign,
                    item=item,
                    requirement=reqs[item.pk],
                    kind="upload" if upload else "rule",
                    source="campaigns.upload" if upload else "bench.sheet",
                    object_id=str(document.pk) if upload else f"{s}-{n}",
                    title=f"上传资料{n:05d}" if upload else f"{community.name}检查记录{n:05d}",
                    occurred_on=day,
                    jurisdiction_path=community.path,
                    document=document if upload else None,
                )
            )
            if len(links) >= 5000:
                EvidenceLink.objects.bulk_create(links)
                links = []
    EvidenceLink.objects.bulk_create(links)
    register_source(photo_path, static=args.static_docx)
    print(
        f"links: {EvidenceLink.objects.count()} (street {measured.name}: {per_street}, of which {uploads} uploads "
        f"of ~{FILE_SIZE // 1024} KB); items: {len(items)}"
    )
    return {"campaign": campaign, "office": office, "street": measured, "community": measured.communities[0]}


def register_source(photo_path, *, static=False):
    """A provider like an inspection sheet's: a generated .docx per record, a photo for every second."""
    from apps.core.evidence import EvidenceFile, EvidenceSource
    from apps.core.registry import registry
    from apps.documents.docx import new_document, paragraph, save_document, title

    def render(object_id):
        started = time.perf_counter()
        try:
            return _render(object_id)
        finally:
            RENDER_SECONDS[0] += time.perf_counter() - started

    def _render(object_id):
        document = new_document()
        title(document, "检查记录")
        for line in range(12):
            paragraph(document, f"记录 {object_id} 第{line + 1}条：检查情况、存在问题和整改要求。")
        return save_document(document)

    if static:
        rendered = _render("0")

        def render(object_id):  # the static variant
            return rendered

    def files(object_ids):
        out = {}
        for object_id in object_ids:
            out[object_id] = [EvidenceFile(name="检查表.docx", render=lambda i=object_id: render(i))]
            if int(object_id.rsplit("-", 1)[1]) % 4 < 2:
                out[object_id].append(EvidenceFile(name="现场照片.jpg", open=functools.partial(open, photo_path, "rb")))
        return out

    source = EvidenceSource(key="bench.sheet", label="检查记录", records=lambda query: [], files=files)
    registry.apps["campaigns"].evidence_providers.append(source)


def measure(label, world, area, *, trace):
    from apps.campaigns.binder.jobs import binder_build_run
    from apps.campaigns.models import BinderExport

    binder = BinderExport.objects.create(campaign=world["campaign"], jurisdiction=area, created_by=world["office"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    RENDER_SECONDS[0] = 0.0
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    binder_build_run(binder.pk)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    binder.refresh_from_db()
    assert binder.status == "succeeded", binder.message
    line = (
        f"{label:9s} {area.name}: {binder.total} pieces, {binder.file_count} files, {binder.size / 1e6:.1f} MB zip "
        f"in {elapsed:.1f}s = {binder.file_count / elapsed:.0f} files/s, {binder.size / 1e6 / elapsed:.1f} MB/s "
        f"(of which {RENDER_SECONDS[0]:.1f}s rendering the provider's .docx)"
    )
    if trace:
        line += f"; tracemalloc peak {peak / 1e6:.1f} MB (timing slowed by tracing)"
    else:
        line += f"; max RSS {rss_after / 1024:.0f} MB (grew {max(0, rss_after - rss_before) / 1024:.0f} MB)"
    print(line, flush=True)


if __name__ == "__main__":
    main()
