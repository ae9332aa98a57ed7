"""Meeting attendance: who is expected, who was present, the rate, and the good-quality bar."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

PRESENT = "present"
ABSENT_WITH_REASON = "absent_with_reason"
ABSENT_WITHOUT_REASON = "absent_without_reason"
EXCUSED = "excused"
STATUSES = (PRESENT, ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, EXCUSED)

# The 2018 guidance calls a meeting good when attendance is above 85% and nobody is absent
# without reason.
GOOD_QUALITY_RATE = 0.85


@dataclass(frozen=True)
class Attendance:
    """The counts of one meeting; present is derived, so it can never disagree with the roster."""

    total: int
    excused: int
    absent_with_reason: int
    absent_without_reason: int

    def __post_init__(self) -> None:
        if min(self.total, self.excused, self.absent_with_reason, self.absent_without_reason) < 0:
            raise ValueError("attendance counts cannot be negative")
        if self.excused + self.absent > self.total:
            raise ValueError("more members excused or absent than on the roster")

    @property
    def expected(self) -> int:
        """Return how many members were expected: everyone not excused from meetings."""
        return self.total - self.excused

    @property
    def absent(self) -> int:
        """Return how many expected members were absent, with or without reason."""
        return self.absent_with_reason + self.absent_without_reason

    @property
    def present(self) -> int:
        """Return how many members attended: total − excused − absent."""
        return self.expected - self.absent

    @property
    def rate(self) -> float | None:
        """Return present / (total − excused), or None when nobody was expected."""
        return self.present / self.expected if self.expected else None

    @property
    def meets_good_quality(self) -> bool:
        """Tell whether attendance meets the good-quality bar: above 85%, nobody absent without reason."""
        return self.rate is not None and self.rate > GOOD_QUALITY_RATE and self.absent_without_reason == 0


def tally(statuses: Iterable[str]) -> Attendance:
    """Count one status per roster member into an Attendance."""
    counts = Counter(statuses)
    unknown = set(counts) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown attendance status: {sorted(unknown)}")
    return Attendance(
        total=sum(counts.values()),
        excused=counts[EXCUSED],
        absent_with_reason=counts[ABSENT_WITH_REASON],
        absent_without_reason=counts[ABSENT_WITHOUT_REASON],
    )


def member_status(excused: bool, absent: bool, reason: str | None) -> str:
    """Return one member's status at a meeting; an excused member is never counted absent."""
    if excused:
        return EXCUSED
    if not absent:
        return PRESENT
    return ABSENT_WITH_REASON if reason else ABSENT_WITHOUT_REASON
