"""The admin command line's `export-person`: one member's data, as the bot holds it, in a JSON file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from admin.commands import AdminError, _cell, _committee
from domain.clock import Clock, local_now
from domain.words import normalize
from storage import privacy
from storage.db import Database
from texts import ops as t


async def export_person(
    db: Database, clock: Clock, full_name: str, cell_name: str, committee_name: str | None, out_dir: Path
) -> list[str]:
    """Write every row about a member (and the people and accounts they are) to JSON; the path is last."""
    committee = await _committee(db, committee_name)
    cell = await _cell(db, committee, cell_name)
    async with db.begin() as conn:
        ids = await privacy.member_ids(conn, cell.id, full_name)
        if not ids:
            raise AdminError(t.PERSON_NOT_FOUND.format(name=full_name, cell=cell.name))
        rows = await privacy.person_rows(conn, ids)
    now = local_now(clock)
    document = {
        "exported_at": now.isoformat(timespec="seconds"),
        "full_name": full_name,
        "cell": cell.name,
        "committee": committee.name,
        "tables": rows,
    }
    slug = "-".join(normalize(full_name).split())
    path = out_dir / f"du-lieu-ca-nhan-{slug}-{now:%Y%m%d-%H%M%S}.json"
    # Dates and times as ISO 8601 text; Vietnamese letters as they are, not escaped.
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_text, text, encoding="utf-8")
    count = sum(len(table_rows) for table_rows in rows.values())
    return [t.PERSON_EXPORTED.format(name=full_name, cell=cell.name, tables=len(rows), rows=count), str(path)]
