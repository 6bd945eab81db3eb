"""What `pestcontrol` contributes to the whole. The app is large, so each part declares its own
entries in a module of this package (operations and the drug ledger, surveys and control levels,
the Aedes household survey, the overview); this module joins them into the one registration."""

from apps.core.registry import register

from . import aedes, home, operations, policy, surveys

PARTS = (policy, home, operations, surveys, aedes)


def _joined(name: str, empty):
    if isinstance(empty, dict):
        joined = {}
        for part in PARTS:
            for key, value in getattr(part, name, {}).items():
                if key in joined:
                    raise ValueError(f"pestcontrol: {name} {key} declared twice")
                joined[key] = value
        return joined
    if isinstance(empty, set):
        return set().union(*(getattr(part, name, set()) for part in PARTS))
    return [item for part in PARTS for item in getattr(part, name, [])]


register(
    "pestcontrol",
    policy=_joined("POLICY", {}),
    menu=_joined("MENU", []),
    audit_labels=_joined("AUDIT_LABELS", {}),
    audit_fields=_joined("AUDIT_FIELDS", {}),
    exports=_joined("EXPORTS", []),
    widgets=_joined("WIDGETS", []),
    evidence_providers=_joined("EVIDENCE", []),
    figures=_joined("FIGURES", []),
    demo=_joined("DEMO", []),
    urls=[("pestcontrol/", "apps.pestcontrol.urls")],
    api_routes=_joined("API_ROUTES", []),
    access_world="apps.pestcontrol.tests.world.extend",
    public_urls=_joined("PUBLIC_URLS", set()),
    personal_data=_joined("PERSONAL_DATA", []),
    access=_joined("ACCESS", []),
)
