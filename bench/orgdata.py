"""Deterministic benchmark organisations, written with the project's own storage functions.

A committee of `cells` cells with `members` members each, a secretary per cell, one regular
report a month for `months` months of YEAR (a few months left unfiled, a few filed late), and
one or two pledge items for most members. The same parameters and seed give the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, EXCUSED, PRESENT
from domain.identity import SECRETARY
from domain.meetings import REGULAR
from storage import accounts, bulk, org
from storage.db import Database
from storage.org import NewMember
from storage.pledges import NewItem
from storage.reports import AttendanceEntry, ReportContent

YEAR = 2015
SEED = 2015
# Cells written per transaction: big enough to be quick, small enough to keep memory flat.
CELLS_PER_TRANSACTION = 50
COMPLETE = "bench_complete"
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm")


@dataclass(frozen=True)
class Shape:
    """What to generate: the committee's name is derived from it, so a shape is found again."""

    cells: int
    members: int
    months: int = 12
    seed: int = SEED

    @property
    def committee(self) -> str:
        """Return the committee's name, unique to the shape."""
        return f"Đảng bộ đo tải {self.cells}x{self.members}x{self.months} s{self.seed}"

    @property
    def key(self) -> str:
        """Return a file-name key for the shape."""
        return f"c{self.cells}-m{self.members}-t{self.months}-s{self.seed}-v1"


def _roster(rng: random.Random, cell: int, size: int) -> list[NewMember]:
    """Draw a cell's roster."""
    rows = []
    for n in range(size):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {cell}.{n}"
        born = rng.randint(1940, 1995)
        joined = date(min(born + rng.randint(19, 40), 2013), rng.randint(1, 12), 1)
        rows.append(NewMember(name, born, "full", rng.random() < 0.05, joined, rng.choice(("nam", "nữ"))))
    return rows


def _report(rng: random.Random, month: int, ids: list[int], excused: set[int]) -> ReportContent:
    """Draw one month's regular report of a cell."""
    attendance = []
    for member_id in ids:
        if member_id in excused:
            attendance.append(AttendanceEntry(member_id, EXCUSED))
            continue
        roll = rng.random()
        if roll < 0.06:
            attendance.append(AttendanceEntry(member_id, ABSENT_WITH_REASON, "Ốm"))
        elif roll < 0.08:
            attendance.append(AttendanceEntry(member_id, ABSENT_WITHOUT_REASON))
        else:
            attendance.append(AttendanceEntry(member_id, PRESENT))
    return ReportContent(
        year=YEAR,
        month=month,
        kind=REGULAR,
        meeting_date=date(YEAR, month, rng.randint(5, 25)),
        start_time="19:30",
        place="Nhà văn hóa khu phố",
        topic=None,
        chair_member_id=ids[0],
        minutes_member_id=ids[1],
        study="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        documents=None,
        review="Đã thu đảng phí đầy đủ. Chi bộ hoàn thành các nhiệm vụ trong tháng.",
        resolution="Tiếp tục vận động nhân dân giữ gìn vệ sinh môi trường.",
        quality=rng.choice(("good", "good", "fair", "average")),
        attendance=tuple(attendance),
    )


async def generate(db: Database, shape: Shape) -> None:
    """Write the shape's organisation into a migrated database that does not hold it yet."""
    rng = random.Random(shape.seed)
    now = datetime(YEAR, 1, 1, tzinfo=UTC)
    async with db.begin() as conn:
        committee = await org.create_committee(conn, shape.committee, now)
    for first in range(0, shape.cells, CELLS_PER_TRANSACTION):
        async with db.begin() as conn:
            numbers = range(first, min(first + CELLS_PER_TRANSACTION, shape.cells))
            await _cells(conn, rng, committee.id, numbers, shape)
    async with db.begin() as conn:
        # Marked last, so a half-written organisation is never taken for a finished one.
        await org.update_committee_settings(conn, committee.id, {COMPLETE: True})


async def find(db: Database, shape: Shape) -> int | None:
    """Return the id of the shape's committee when it was generated to the end."""
    async with db.begin() as conn:
        committee = await org.find_committee(conn, shape.committee)
    return committee.id if committee is not None and committee.settings.get(COMPLETE) else None


async def _cells(
    conn: AsyncConnection, rng: random.Random, committee_id: int, numbers: range, shape: Shape
) -> None:
    """Write some cells: rosters, secretaries, monthly reports and pledges."""
    now = datetime(YEAR, 1, 1, tzinfo=UTC)
    cells = [
        await org.create_cell(conn, committee_id, f"Chi bộ {n + 1}", "residential", now) for n in numbers
    ]
    rosters = [_roster(rng, n, shape.members) for n in numbers]
    flat = [(cell.id, row) for cell, roster in zip(cells, rosters, strict=True) for row in roster]
    all_ids = await bulk.add_members(conn, flat, now)
    filed: list[bulk.NewReport] = []
    pledged: list[bulk.NewPledge] = []
    for index, (cell, roster) in enumerate(zip(cells, rosters, strict=True)):
        ids = all_ids[index * shape.members : (index + 1) * shape.members]
        excused = {member_id for member_id, row in zip(ids, roster, strict=True) if row.excused}
        secretary = await accounts.create_person(conn, roster[0].full_name, now, ids[0])
        await accounts.grant_role(conn, secretary, SECRETARY, committee_id, cell.id, now)
        for month in range(1, shape.months + 1):
            if rng.random() < 0.04:
                continue
            content = _report(rng, month, ids, excused)
            at = datetime(YEAR, month, 28, 12, tzinfo=UTC) + timedelta(days=7 if rng.random() < 0.1 else 0)
            filed.append(bulk.NewReport(cell.id, content, at.month != month, at, secretary))
        for member_id in ids:
            if rng.random() < 0.08:
                continue
            items = [
                NewItem(
                    action=f"Tham gia vệ sinh môi trường khu dân cư mỗi tháng (việc {n + 1})",
                    duty="Gương mẫu nơi cư trú",
                    indicator="12 buổi trong năm",
                    deadline=date(YEAR, rng.choice((6, 12)), 30),
                    milestones=None,
                    evidence=None,
                )
                for n in range(rng.choice((1, 1, 2)))
            ]
            pledged.append(bulk.NewPledge(member_id, YEAR, items, secretary, on_behalf=True))
    await bulk.create_reports(conn, filed)
    await bulk.add_pledges(conn, pledged, date(YEAR, 1, 15), now)
