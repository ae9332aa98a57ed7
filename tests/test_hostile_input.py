"""Hostile input: odd digits, far years, control characters and forged buttons get an answer, not an error."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from docx import Document

from admin.demo_data import DemoWard
from core.app import App
from core.parsing import ParseError, is_number, parse_date, parse_month, parse_period, parse_quarter
from core.sanitize import Refused, clean_name, clean_text, xml_safe
from reports import export_data, exports
from reports.export_data import Scope
from storage import org
from storage.db import Database
from storage.tables import cells
from tests.conftest import Chat, chat_as
from tests.test_digest import AUGUST
from texts import common as t

TODAY = date(2015, 9, 10)
TODAY_MOMENT = datetime(2015, 9, 10, 2, 0, tzinfo=UTC)
INTERNAL_ERROR = t.internal_error()


@pytest.mark.parametrize("text", ["²", "①", "٣" * 20, "", "1" * 10])
def test_only_short_ascii_numbers_are_numbers(text: str) -> None:
    """Superscripts, circled digits, other scripts' digits and very long numbers are not numbers."""
    assert not is_number(text)


@pytest.mark.parametrize("text", ["1/1/0000", "5/9/9999", "thang 8/1929"])
def test_years_out_of_range_are_refused_with_the_range(text: str) -> None:
    """Dates and months in year 0, 9999 or before 1930 are refused, saying which years are kept."""
    parse = parse_month if text.startswith("thang") else parse_date
    with pytest.raises(ParseError, match="từ 1930 đến 2100"):
        parse(text, TODAY)


@pytest.mark.parametrize("text", ["9999", "năm 0000", "quý 3/2101", "8/1900"])
def test_period_years_out_of_range_are_refused(text: str) -> None:
    """A year, quarter or month period outside 1930–2100 is refused."""
    with pytest.raises(ParseError, match="từ 1930 đến 2100"):
        parse_period(text, TODAY)


def test_a_quarter_in_range_is_read() -> None:
    """The bounds leave ordinary years alone."""
    assert parse_quarter("quý 3/2015", TODAY) == (2015, 3)


def test_control_characters_are_dropped_but_line_breaks_kept() -> None:
    """NUL and other control characters go; a line break and a tab stay."""
    cleaned = clean_text("Lê\x00 Văn\x07 Tâm\nx\ty")
    assert cleaned.text == "Lê Văn Tâm\nx\ty" and cleaned.changed


@pytest.mark.parametrize("text", ["a\ud800b", "x" * 16_001])
def test_lone_surrogates_and_over_long_text_are_refused(text: str) -> None:
    """A lone surrogate or a text over 16,000 characters cannot be cleaned."""
    with pytest.raises(Refused):
        clean_text(text)


def test_names_are_cleaned_to_one_line_and_the_column_width() -> None:
    """A platform's display name is stored cleaned and cut to 200 characters."""
    assert clean_name("An\x00\n  Bình\ud800") == "An Bình"
    assert len(clean_name("x" * 500) or "") == 200


def test_xml_safe_drops_what_xml_cannot_hold() -> None:
    """Characters an XML document cannot hold are dropped."""
    assert xml_safe("Chi bộ\x0112\ud800\uffff") == "Chi bộ12"


async def test_superscript_in_the_summary_is_not_understood(app: App, db: Database, ward: DemoWard) -> None:
    """«²» at a form's summary re-asks instead of failing."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/moi")
    await chief.press("Ủy viên Đảng ủy / UBKT")
    await chief.say("bỏ qua")
    await chief.say("bỏ qua")
    await chief.say("²")
    assert INTERNAL_ERROR not in chief.text() and "Gửi" in [o.label for m in chief.last for o in m.options]


async def test_snooze_with_a_superscript_is_not_found(app: App, db: Database, ward: DemoWard) -> None:
    """/hoanlai ² says there is no such reminder."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/hoanlai ²")
    assert INTERNAL_ERROR not in chief.text()


@pytest.mark.parametrize(
    "forged", ["f:invite:role:²", "f:invite:role:99", "f:invite:__summary__:①", "/hoanlai ①"]
)
async def test_forged_button_data_is_answered(app: App, db: Database, ward: DemoWard, forged: str) -> None:
    """Callback data a client made up is answered as a stale button, never as an error."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/moi")
    await chief.send(chief._inbound(choice=forged))
    assert INTERNAL_ERROR not in chief.text()


async def test_digest_of_year_9999_is_refused(app: App, db: Database, ward: DemoWard) -> None:
    """/tonghop 9999 names the years that can be asked for."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/tonghop 9999")
    assert "từ 1930 đến 2100" in chief.text()


async def test_nul_in_a_message_is_dropped_and_said(app: App, db: Database, ward: DemoWard) -> None:
    """A NUL in a message is dropped before anything reads it, and the user is told."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/help\x00")
    assert "ký tự điều khiển" in chief.last[0].text and "/tonghop" in chief.text()


async def test_a_lone_surrogate_is_refused_plainly(app: App, ward: DemoWard) -> None:
    """A message with a lone surrogate (as a broken client sends) is refused with a reason."""
    chat = Chat(app, "9301")
    await chat.say("xin chào \ud83d")
    assert "ký tự không hợp lệ" in chat.text()


async def test_control_characters_in_a_cell_name_and_signer_do_not_break_the_docx(
    db: Database, ward: DemoWard
) -> None:
    """A cell named with a control character, and such a signer, still export as DOCX."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell = await org.find_cell(conn, committee.id, "Chi bộ 12")
        assert cell is not None
        await conn.execute(sa.update(cells).where(cells.c.id == cell.id).values(name="Chi bộ\x0112"))
        await org.update_committee_settings(conn, committee.id, {"signer": "Nguyễn\x0b Văn A"})
    for scope in (Scope(committee.id), Scope(committee.id, cell.id)):
        async with db.begin() as conn:
            data = await export_data.gather(conn, scope, AUGUST, TODAY)
            document = Document(BytesIO(await exports.render(data, exports.DOCX)))
        assert document.paragraphs


async def test_cells_without_latin_letters_export_to_different_files(db: Database, ward: DemoWard) -> None:
    """Two cells named only in another script get file names told apart by the cell's id."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        first = await org.create_cell(conn, committee.id, "一", "residential", TODAY_MOMENT)
        second = await org.create_cell(conn, committee.id, "二", "residential", TODAY_MOMENT)
        names = []
        for cell in (first, second):
            data = await export_data.gather(conn, Scope(committee.id, cell.id), AUGUST, TODAY)
            names.append(exports.file_name(data, exports.XLSX))
    assert names[0] != names[1] and names[0].startswith(f"chi-bo-{first.id}-")
