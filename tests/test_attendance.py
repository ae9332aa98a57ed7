"""Attendance rules: present is derived, the rate leaves out the excused, the good-quality bar."""

from __future__ import annotations

import pytest

from domain.attendance import (
    ABSENT_WITH_REASON,
    ABSENT_WITHOUT_REASON,
    EXCUSED,
    PRESENT,
    Attendance,
    member_status,
    tally,
)


def test_present_is_total_minus_excused_minus_absent() -> None:
    """34 members, 4 excused, 3 absent: 27 present."""
    assert Attendance(total=34, excused=4, absent_with_reason=2, absent_without_reason=1).present == 27


def test_rate_leaves_out_the_excused() -> None:
    """The rate is present over those expected, not over the whole roster."""
    assert Attendance(total=34, excused=4, absent_with_reason=3, absent_without_reason=0).rate == 27 / 30


def test_rate_is_none_when_nobody_was_expected() -> None:
    """A roster of excused members only has no rate rather than a division by zero."""
    assert Attendance(total=2, excused=2, absent_with_reason=0, absent_without_reason=0).rate is None


def test_more_absent_than_expected_is_refused() -> None:
    """Counts that cannot come from a roster are refused."""
    with pytest.raises(ValueError):
        Attendance(total=10, excused=4, absent_with_reason=5, absent_without_reason=2)


def test_negative_counts_are_refused() -> None:
    """A negative count is refused."""
    with pytest.raises(ValueError):
        Attendance(total=10, excused=0, absent_with_reason=-1, absent_without_reason=0)


def test_good_quality_needs_above_85_percent() -> None:
    """Exactly 85% is not above 85%."""
    assert not Attendance(
        total=20, excused=0, absent_with_reason=3, absent_without_reason=0
    ).meets_good_quality
    assert Attendance(total=20, excused=0, absent_with_reason=2, absent_without_reason=0).meets_good_quality


def test_good_quality_needs_nobody_absent_without_reason() -> None:
    """One absence without reason fails the bar even at 96%."""
    assert not Attendance(
        total=30, excused=0, absent_with_reason=0, absent_without_reason=1
    ).meets_good_quality


def test_excused_member_is_never_absent() -> None:
    """An excused member who did not come is counted excused, not absent."""
    assert member_status(excused=True, absent=True, reason=None) == EXCUSED


def test_absent_member_status_follows_the_reason() -> None:
    """An absence with a reason and one without get different statuses."""
    assert member_status(excused=False, absent=True, reason="ốm") == ABSENT_WITH_REASON
    assert member_status(excused=False, absent=True, reason=None) == ABSENT_WITHOUT_REASON
    assert member_status(excused=False, absent=False, reason=None) == PRESENT


def test_tally_counts_statuses() -> None:
    """One status per member adds up to the meeting's counts."""
    counts = tally([PRESENT, PRESENT, EXCUSED, ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON])
    assert (counts.total, counts.excused, counts.present, counts.absent_without_reason) == (5, 1, 2, 1)


def test_tally_refuses_unknown_status() -> None:
    """A misspelt status is an error, not a silent miscount."""
    with pytest.raises(ValueError):
        tally([PRESENT, "absent"])
