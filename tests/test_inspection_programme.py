"""Importing the yearly inspection programme from CSV with the admin command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from admin.commands import AdminError
from admin.demo_data import DemoWard
from admin.programme import import_programme
from domain.clock import FixedClock
from storage import inspections, outbox
from storage.db import Database

PROGRAMME = (
    "Chi bộ;Ngày làm việc;Nội dung;Từ tháng;Đến tháng;Tài liệu\n"
    "Chi bộ 12;15/09/2015;Việc thực hiện Chỉ thị 03-CT/TW;1/2015;8/2015;Sổ biên bản\n"
    "chi bo 14;22/09/2015;Việc thực hiện Chỉ thị 03-CT/TW;1/2015;8/2015;\n"
)


def write(tmp_path: Path, text: str) -> Path:
    """Write a programme file."""
    path = tmp_path / "ke-hoach.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


async def planned(db: Database) -> list[inspections.Inspection]:
    """Return every planned inspection from January 2015."""
    async with db.begin() as conn:
        return await inspections.upcoming(conn, date(2015, 1, 1))


async def test_programme_is_planned_and_cells_notified(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """Each row becomes an inspection of its cell (names without diacritics too); the leaders are notified."""
    [line] = await import_programme(db, clock, write(tmp_path, PROGRAMME), None)
    assert "Đã nhập 2 cuộc kiểm tra" in line
    found = await planned(db)
    assert [(i.cell_name, i.session_on, i.period_end) for i in found] == [
        ("Chi bộ 12", date(2015, 9, 15), date(2015, 8, 31)),
        ("Chi bộ 14", date(2015, 9, 22), date(2015, 8, 31)),
    ]
    async with db.begin() as conn:
        notices = [
            r for r in await outbox.rows_by_status(conn, outbox.PENDING) if r.kind == "inspection_notice"
        ]
    assert len(notices) == 4


async def test_importing_twice_plans_nothing_new(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """Running the same import again skips the rows already planned."""
    path = write(tmp_path, PROGRAMME)
    await import_programme(db, clock, path, None)
    [line] = await import_programme(db, clock, path, None)
    assert "Đã nhập 0 cuộc" in line and "2 cuộc đã có từ trước" in line
    assert len(await planned(db)) == 2


async def test_a_bad_row_is_reported_by_line_and_nothing_is_written(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """An unknown cell and an impossible date are both reported; no inspection is planned."""
    bad = (
        PROGRAMME
        + "Chi bộ 99;15/09/2015;Nội dung;1/2015;8/2015;\nChi bộ 12;31/02/2015;Nội dung;1/2015;8/2015;\n"
    )
    with pytest.raises(AdminError) as error:
        await import_programme(db, clock, write(tmp_path, bad), None)
    assert "có 2 lỗi" in str(error.value)
    assert "Dòng 4: không có chi bộ «Chi bộ 99»" in str(error.value) and "Dòng 5:" in str(error.value)
    assert await planned(db) == []


async def test_missing_columns_are_named(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """A file without the period columns says which columns it lacks."""
    with pytest.raises(AdminError, match="thiếu cột: Từ tháng, Đến tháng"):
        await import_programme(db, clock, write(tmp_path, "Chi bộ,Ngày làm việc,Nội dung\n"), None)
