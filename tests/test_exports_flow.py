"""/xuat in the chat: the committee exports any cell or the ward, a secretary only their own cell."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import accounts, conversations, org
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_digest import Seeded, seed
from texts import exports as t


@pytest.fixture
async def seeded(db: Database, clock: FixedClock, ward: DemoWard) -> Seeded:
    """The demo ward with August 2015 seeded."""
    return await seed(db, clock)


async def test_committee_exports_a_cell_as_xlsx(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """The committee picks Chi bộ 14, the spreadsheet and a typed month, and gets the file as a document."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/xuat")
    await chief.press("Chi bộ 14")
    await chief.press(t.FORMAT_XLSX)
    await chief.say("thang 8/2015")
    document = chief.last[-1]
    assert document.document_name == "chi-bo-14-2015-08.xlsx"
    book = load_workbook(BytesIO(document.document))
    assert book[t.SHEET_REPORTS]["A5"].value == "Chi bộ 14"


async def test_committee_exports_the_ward_report(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """The whole ward's Word report for the reporting month comes back as a document."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("xuất dữ liệu")
    await chief.press(t.WARD)
    await chief.press(t.FORMAT_DOCX)
    await chief.press(f"{t.THIS_MONTH} (tháng 8/2015)")
    document = chief.last[-1]
    assert document.document_name == "tong-hop-2015-08.docx"
    assert "T/M ĐẢNG ỦY" in [
        p.text
        for table in Document(BytesIO(document.document)).tables
        for c in table.rows[0].cells
        for p in c.paragraphs
    ]


async def test_secretary_exports_own_cell_without_choosing(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """A secretary is not asked which cell; the file holds their cell alone."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/xuat")
    assert t.ASK_SCOPE not in secretary.text()
    await secretary.press(t.FORMAT_XLSX)
    await secretary.say("quý 3")
    book = load_workbook(BytesIO(secretary.last[-1].document))
    cells = {row[0] for row in book[t.SHEET_REPORTS].iter_rows(min_row=5, values_only=True)}
    assert cells == {"Chi bộ 12"}


async def test_secretary_cannot_export_another_cell(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """Naming another cell gets a refusal and no file."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/xuat Chi bộ 14")
    assert secretary.text() == t.not_your_cell("Chi bộ 12")
    assert all(reply.document is None for reply in secretary.last)


async def test_unreadable_period_keeps_the_answers(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """A period the bot cannot read is asked again with examples; the format chosen stays."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/xuat")
    await secretary.press(t.FORMAT_DOCX)
    await secretary.say("tuần trước")
    assert "ví dụ: 8/2015" in secretary.text()
    await secretary.say("8/2015")
    assert secretary.last[-1].document_name == "chi-bo-12-2015-08.docx"


async def test_cell_name_is_read_within_the_senders_committee(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """/xuat Chi bộ 12 from another committee's member names that committee's Chi bộ 12, not the ward's."""
    now = clock.now()
    async with db.begin() as conn:
        other = await org.create_committee(conn, "Đảng bộ phường Khác", now)
        own_cell = await org.create_cell(conn, other.id, ward.cells[0].name, "residential", now)
        person_id = await accounts.create_person(conn, "Trần Thị Khác", now, None)
        await accounts.grant_role(conn, person_id, "committee", other.id, None, now, None)
        await accounts.bind_account(conn, person_id, "test", "other-1", "other-1", None, now)
    chief = Chat(app, "other-1")
    await chief.say(f"/xuat {ward.cells[0].name}")
    async with db.begin() as conn:
        open_flow = await conversations.load(conn, "test", "other-1")
    assert open_flow is not None and open_flow.state["params"]["cell_id"] == own_cell.id
