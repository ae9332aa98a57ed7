"""Exports: write a ward's or a cell's gathered data as XLSX or DOCX, to a stream or a directory."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from domain.clock import Clock, local_today
from domain.digest import Period
from domain.words import normalize
from reports.export_data import ExportData, Scope, gather
from reports.xlsx import write_xlsx
from storage.db import Database

XLSX = "xlsx"
DOCX = "docx"


def file_name(data: ExportData, fmt: str) -> str:
    """Name an export file in plain ASCII: «tong-hop-2015-08.xlsx», «chi-bo-12-2015-q3.docx»."""
    who = normalize(data.cell) if data.cell else "tong hop"
    slug = re.sub(r"[^a-z0-9]+", "-", who).strip("-")
    if data.cell is not None and data.cell_id is not None and not (slug and who.isascii()):
        # What the slug drops («١٢», «一») would make such cells' files alike: the cell's id tells them apart.
        slug = f"{slug or 'chi-bo'}-{data.cell_id}"
    return f"{slug}-{data.period.key}.{fmt}"


async def write(data: ExportData, fmt: str, out: BinaryIO) -> None:
    """Write the gathered data in a format to a binary stream."""
    if fmt == XLSX:
        await write_xlsx(data, out)
        return
    # python-docx is loaded with the first document written: the bot starts faster without it.
    from reports.docx import write_docx

    ward = await data.digest()
    # A cell's report lists its meetings; a ward's speaks of its cells from the digest alone.
    rows = [row async for batch in data.reports() for row in batch] if data.cell is not None else []
    # Laying out a document takes a moment; other chats are served meanwhile.
    out.write(await asyncio.to_thread(write_docx, data, ward, rows))


async def render(data: ExportData, fmt: str) -> bytes:
    """Write the gathered data in a format and return the file's bytes."""
    buffer = BytesIO()
    await write(data, fmt, buffer)
    return buffer.getvalue()


async def build(db: Database, scope: Scope, period: Period, fmt: str, today: date) -> tuple[str, bytes]:
    """Read and write one export from a snapshot, away from the event loop; return its file name and bytes."""
    return await db.off_loop(partial(_build, scope=scope, period=period, fmt=fmt, today=today))


async def _build(db: Database, *, scope: Scope, period: Period, fmt: str, today: date) -> tuple[str, bytes]:
    """Read and write one export from a snapshot of the database."""
    async with db.read() as conn:
        data = await gather(conn, scope, period, today)
        return file_name(data, fmt), await render(data, fmt)


async def export_to_dir(
    db: Database, clock: Clock, scope: Scope, period: Period, fmt: str, out_dir: Path
) -> Path:
    """Write one export to a directory and return its path (the command line's `export`)."""
    name, content = await build(db, scope, period, fmt, local_today(clock))
    path = out_dir / name
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_bytes, content)
    return path
