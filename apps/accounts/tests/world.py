"""The accounts' part of the access-matrix world: API tokens to revoke."""

from apps.accounts import services


def extend(o) -> None:
    o.grid_token, _key = services.api_token_issue(actor=o.grid, owner=o.grid, name="巡查脚本")
    o.community_token, _key = services.api_token_issue(actor=o.community, owner=o.community, name="对接")
