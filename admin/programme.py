"""Import the committee's yearly inspection programme from a CSV file: every row valid, or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from admin.commands import AdminError, _committee, read_input
from core.messages import Outbound
from core.parsing import ParseError, parse_date, parse_month
from domain import calendar
from domain.clock import Clock, fmt_date, fmt_month, local_today
from domain.meetings import month_days
from domain.words import normalize
from storage import accounts, audit, inspections, org, outbox
from storage.db import Database
from storage.inspections import NewInspection
from texts import admin as ta
from texts import inspections as t

COLUMNS = {
    "chi bo": "cell",
    "ngay lam viec": "session_on",
    "noi dung": "content",
    "tu thang": "period_start",
    "den thang": "period_end",
    "tai lieu": "documents",
}
REQUIRED = {
    "cell": "Chi bộ",
    "session_on": "Ngày làm việc",
    "content": "Nội dung",
    "period_start": "Từ tháng",
    "period_end": "Đến tháng",
}


def _read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Read the header (as field names) and the rows of a CSV text, comma or semicolon separated."""
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [COLUMNS.get(normalize(name), "") for name in next(reader)]
    rows = [
        {field: value.strip() for field, value in zip(header, values, strict=False) if field}
        for values in reader
        if any(v.strip() for v in values)
    ]
    return header, rows


def parse_programme(
    text: str, committee_id: int, cells: list[org.Cell], today: date
) -> tuple[list[NewInspection], list[str]]:
    """Turn the file's rows into planned inspections, or list every bad row."""
    if not text.strip():
        raise AdminError(t.programme_missing_columns(list(REQUIRED.values())))
    header, rows = _read_rows(text)
    missing = [shown for field, shown in REQUIRED.items() if field not in header]
    if missing:
        raise AdminError(t.programme_missing_columns(missing))
    by_name = {normalize(c.name): c for c in cells}
    plans, errors = [], []
    for line, row in enumerate(rows, start=2):
        try:
            cell = by_name.get(normalize(row.get("cell", "")))
            if cell is None:
                raise ParseError(t.programme_unknown_cell(row.get("cell", ""), [c.name for c in cells]))
            if not row.get("content"):
                raise ParseError(t.programme_empty_content())
            start = parse_month(row["period_start"], today)
            end = parse_month(row["period_end"], today)
            if end < start:
                raise ParseError(t.period_end_before_start(fmt_month(*start)))
            plans.append(
                NewInspection(
                    committee_id=committee_id,
                    cell_id=cell.id,
                    session_on=parse_date(row["session_on"], today),
                    content=row["content"],
                    period_start=date(start[0], start[1], 1),
                    period_end=month_days(*end)[1],
                    documents=row.get("documents") or None,
                )
            )
        except ParseError as error:
            errors.append(t.programme_row_error(line, error.reason))
    return plans, errors


async def import_programme(db: Database, clock: Clock, path: Path, committee_name: str | None) -> list[str]:
    """Plan the inspections of a programme file and notify each cell; rows already planned are skipped."""
    committee = await _committee(db, committee_name)
    now = clock.now()
    async with db.begin() as conn:
        cells = await org.list_cells(conn, committee.id)
    try:
        text = (await read_input(path)).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AdminError(ta.FILE_NOT_UTF8.format(path=path)) from None
    plans, errors = parse_programme(text, committee.id, cells, local_today(clock))
    if errors:
        raise AdminError("\n".join([t.programme_errors(len(errors)), *errors]))
    names = {c.id: c.name for c in cells}
    added = 0
    async with db.begin() as conn:
        for plan in plans:
            if await inspections.find_planned(conn, plan.cell_id, plan.session_on, plan.content) is not None:
                continue
            inspection_id = await inspections.create_inspection(conn, plan, None, now)
            await audit.record(
                conn,
                at=now,
                person_id=None,
                account_id=None,
                entity="inspection",
                entity_id=inspection_id,
                action="imported",
                detail={"file": path.name},
            )
            period = t.period_text(
                fmt_month(plan.period_start.year, plan.period_start.month),
                fmt_month(plan.period_end.year, plan.period_end.month),
            )
            text = t.notice(
                names[plan.cell_id],
                fmt_date(plan.session_on),
                plan.content,
                period,
                plan.documents,
                t.inspection_code(inspection_id),
            )
            for person_id, _, _ in await accounts.cell_leaders(conn, plan.cell_id):
                await outbox.plan(
                    conn,
                    outbox.to_person(person_id),
                    Outbound(text),
                    kind=calendar.INSPECTION_NOTICE,
                    key=f"inspection:{inspection_id}",
                    due_at=now,
                    now=now,
                )
            added += 1
    return [t.programme_imported(added, len(plans) - added)]
