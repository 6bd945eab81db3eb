"""Readiness arithmetic (台账完备率), hand-computed."""

from decimal import Decimal

from apps.campaigns import readiness as r


def test_item_with_min_counts_is_ready_only_when_every_requirement_is_met():
    reqs = [r.Requirement(1, "检查记录", 2), r.Requirement(2, "文件", 1)]
    # 2 of 2 records but no 文件: missing one requirement, short by 1
    state = r.item_readiness(10, reqs, {1: 2, None: 3})
    assert not state.ready
    assert state.total == 5
    assert [(m.requirement_id, m.needed, m.have, m.short) for m in state.missing] == [(2, 1, 0, 1)]
    # pieces against no requirement never fill a requirement
    assert not r.item_readiness(10, reqs, {None: 10}).ready
    assert r.item_readiness(10, reqs, {1: 3, 2: 1}).ready


def test_item_without_requirements_needs_one_piece_of_any_kind():
    assert not r.item_readiness(1, [], {}).ready
    assert r.item_readiness(1, [], {}).missing[0].needed == 1
    assert r.item_readiness(1, [], {None: 1}).ready


def test_percent_rounds_half_up_to_one_decimal():
    assert r.percent(1, 3) == Decimal("33.3")
    assert r.percent(2, 3) == Decimal("66.7")
    assert r.percent(1, 8) == Decimal("12.5")
    assert r.percent(1, 16) == Decimal("6.3")  # 6.25 -> 6.3 (half up, not banker's)
    assert r.percent(0, 0) is None


def test_section_share():
    items = [r.item_readiness(i, [], {None: 1} if i < 2 else {}) for i in range(3)]
    share = r.share(items)
    assert (share.ready, share.total, share.percent) == (2, 3, Decimal("66.7"))
