"""`admin export-person`: what the bot holds about one member, and nothing about the others."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from admin.commands import AdminError
from admin.demo_data import DemoWard
from admin.privacy import export_person
from core.app import App
from domain.clock import FixedClock
from storage.db import Database
from tests.conftest import chat_as
from tests.test_report_flow import fill


async def test_a_secretarys_export_holds_their_rows_and_no_one_elses(
    app: App, db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """The file holds the member, their person, account, role and attendance; no other member's rows."""
    name = ward.cells[0].secretary
    secretary = await chat_as(app, db, name)
    await fill(secretary)
    await secretary.say("Gửi")
    lines = await export_person(db, clock, name, ward.cells[0].name, None, tmp_path)
    document = json.loads(await asyncio.to_thread(Path(lines[-1]).read_text, encoding="utf-8"))
    tables = document["tables"]
    [member] = tables["members"]
    assert member["full_name"] == name and document["cell"] == ward.cells[0].name
    assert [row["role"] for row in tables["roles"]] == ["secretary"]
    assert [row["external_id"] for row in tables["accounts"]] == [secretary.chat_id]
    assert {row["member_id"] for row in tables["meeting_attendance"]} == {member["id"]}
    assert len(tables["meeting_reports"]) == 1


async def test_an_unknown_name_is_refused(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """A name not on the cell's roster is refused, saying where it was looked for."""
    with pytest.raises(AdminError, match="Không tìm thấy đảng viên «Ngô Văn Không»"):
        await export_person(db, clock, "Ngô Văn Không", ward.cells[0].name, None, tmp_path)
