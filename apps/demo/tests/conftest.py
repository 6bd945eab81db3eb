# TEMPORARY until apps/accounts/entries.py registers the accounts' demo builder (lead).
from apps.core.registry import DemoBuilder, registry

if not any(b.key == "accounts" for b in registry.apps["accounts"].demo):
    registry.apps["accounts"].demo.append(DemoBuilder("accounts", "apps.accounts.demo.build", after=("organization",)))
