def show(demo):
    from collections import Counter
    from datetime import timedelta

    from apps.accounts.models import User
    from apps.cases.models import Case, Notification
    from apps.cases.statistics import case_statistics
    from apps.inspections.models import Inspection

    street = User.objects.get(username="street")
    rows = case_statistics(user=street, start=demo.today - timedelta(days=60), end=demo.today, group_by="jurisdiction")
    for r in rows:
        print(
            f"{r.label:10} rep={r.reported:3} due={r.due:3} closed={r.closed:3} ontime={r.closed_on_time:3} "
            f"rate={r.on_time_closure_rate} avg_h={r.avg_close_hours} rework={r.returned_for_rework}"
        )
    overdue = [c for c in Case.objects.all() if c.deadline_state(demo.now) == "overdue"]
    names = {c.path: c.name for c in demo.communities}
    print(
        "overdue now:",
        len(overdue),
        Counter(next(n for p, n in names.items() if c.jurisdiction.path.startswith(p)) for c in overdue),
    )
    print("status:", Counter(Case.objects.values_list("status", flat=True)))
    print("sources:", Counter(Case.objects.values_list("source", flat=True)))
    for name in ("unit", "dongyuan", "xicheng", "street", "inspector"):
        qs = Notification.objects.filter(recipient__username=name)
        n, unread = qs.count(), qs.filter(read_at__isnull=True).count()
        print(f"notifications {name}: {n}, unread {unread} ({unread / n:.0%})" if n else f"{name}: none")
    hours = Counter(c.created_at.astimezone().hour for c in Case.objects.all())
    print("report hours:", sorted(hours.items()))
    sheets = Inspection.objects.filter(submitted_at__isnull=False)
    print("sheets", sheets.count(), "bad", sum(1 for s in sheets if not s.submitted_at > s.started_at))
