"""The command line's `export`: write a ward's or a cell's data for a period to a file."""

from __future__ import annotations

from pathlib import Path

from admin.commands import AdminError, _committee
from core.clock import Clock, local_today
from core.parsing import ParseError
from domain.digest import parse_period
from reports.export_data import Scope
from reports.exports import export_to_dir
from storage import org
from storage.db import Database
from texts import admin as ta
from texts import exports as t


async def export(
    db: Database,
    clock: Clock,
    fmt: str,
    period_text: str,
    cell_name: str | None,
    committee_name: str | None,
    out_dir: Path,
) -> list[str]:
    """Write the export and return the line naming the file."""
    committee = await _committee(db, committee_name)
    try:
        period = parse_period(period_text, local_today(clock))
    except ParseError as error:
        raise AdminError(error.reason) from None
    cell_id = None
    if cell_name is not None:
        async with db.begin() as conn:
            cell = await org.find_cell(conn, committee.id, cell_name)
            if cell is None:
                names = ", ".join(c.name for c in await org.list_cells(conn, committee.id))
                raise AdminError(ta.CELL_NOT_FOUND.format(name=cell_name, names=names))
        cell_id = cell.id
    path = await export_to_dir(db, clock, Scope(committee.id, cell_id), period, fmt, out_dir)
    return [t.written(str(path))]
