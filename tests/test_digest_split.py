"""A digest of a large ward is split by each channel within its limit, with no line lost."""

from __future__ import annotations

from datetime import date

import pytest

from channels import telegram, zalo
from channels.base import split_text
from domain.digest import MISSING, MONTH, ON_TIME, CellDigest, MonthStanding, Period, PledgeFigures, attention
from reports.digest import Digest, render

TODAY = date(2015, 9, 10)


def big_digest(cells: int) -> Digest:
    """Return a digest of a ward of `cells` cells, every third one missing its report."""
    built = []
    for n in range(1, cells + 1):
        months = (MonthStanding(2015, 8, MISSING if n % 3 == 0 else ON_TIME, n % 5 == 0, date(2015, 9, 5)),)
        pledges = PledgeFigures(specific=20, vague=n % 4, none=n % 7, items=40, done=12, overdue=n % 2)
        reasons = attention(
            months=months,
            expected=30,
            present=27,
            absent_without_reason=n % 2,
            thematic=((2015, 3, False),),
            pledges=pledges,
            overdue_tasks=0,
            inspection=None,
            today=TODAY,
        )
        built.append(
            CellDigest(
                cell_id=n,
                name=f"Chi bộ {n}",
                months=months,
                expected=30,
                present=27,
                absent_without_reason=n % 2,
                thematic=((2015, 3, False),),
                pledges=pledges,
                open_tasks=0,
                overdue_tasks=0,
                inspection=None,
                attention=reasons,
            )
        )
    return Digest("Đảng bộ phường Phúc Lợi", Period(MONTH, 2015, 8), TODAY, tuple(built), ())


@pytest.mark.parametrize("limit", [telegram.MAX_TEXT, zalo.MAX_TEXT])
def test_long_digest_splits_without_losing_a_line(limit: int) -> None:
    """A 100-cell digest needs several messages, each within the limit, together every line in order."""
    text = render(big_digest(100))
    chunks = split_text(text, limit)
    assert len(chunks) > 1
    assert all(len(chunk) <= limit for chunk in chunks)
    assert "\n".join(chunks).split("\n") == text.split("\n")


def test_every_cell_appears_once() -> None:
    """Each of the 100 cells is named exactly once in the digest."""
    lines = render(big_digest(100)).split("\n")
    for n in range(1, 101):
        assert sum(1 for line in lines if line.endswith(f". Chi bộ {n}")) == 1
