"""The command line's `export`: write a ward's or a cell's data for a period to a file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from admin.commands import AdminError, _cell, _committee
from core.parsing import ParseError, parse_period
from domain.clock import Clock, local_today
from handlers.report_codes import parse_report_code
from reports.export_data import Scope
from reports.exports import export_to_dir
from reports.minutes import minutes_of
from storage.db import Database
from texts import admin as ta
from texts import exports as t


async def export(
    db: Database,
    clock: Clock,
    fmt: str,
    period_text: str | None,
    cell_name: str | None,
    committee_name: str | None,
    out_dir: Path,
) -> list[str]:
    """Write the export and return the line naming the file."""
    committee = await _committee(db, committee_name)
    if period_text is None:
        raise AdminError(ta.PERIOD_REQUIRED)
    try:
        period = parse_period(period_text, local_today(clock))
    except ParseError as error:
        raise AdminError(error.reason) from None
    cell_id = (await _cell(db, committee, cell_name)).id if cell_name is not None else None
    path = await export_to_dir(db, clock, Scope(committee.id, cell_id), period, fmt, out_dir)
    return [t.written(str(path))]


async def export_minutes(db: Database, code: str | None, out_dir: Path) -> list[str]:
    """Write the minutes of the report a code names and return the line naming the file."""
    report_id = parse_report_code(code) if code else None
    if report_id is None:
        raise AdminError(ta.REPORT_REQUIRED)
    async with db.begin() as conn:
        found = await minutes_of(conn, report_id)
    if found is None:
        raise AdminError(ta.report_not_found(code or ""))
    name, content = found
    path = out_dir / name
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_bytes, content)
    return [t.written(str(path))]
