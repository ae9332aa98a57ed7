"""The form engine: re-asking, going back, drafts, summary edits, outside commands, restarts."""

from __future__ import annotations

from datetime import date

import pytest

import handlers
from admin.demo_data import DemoWard
from core.app import App
from core.commands import EVERYONE, Command
from core.context import Ctx, Services
from core.forms import Form, FormCtx, FormError, Step, show_date
from core.messages import Option, Outbound
from core.parsing import parse_date, parse_int
from storage.db import Database
from tests.conftest import Chat, chat_as

SUBMITTED: list[dict] = []


async def _date(fctx: FormCtx, text: str) -> str:
    """Parse a meeting date in September 2015."""
    return parse_date(text, fctx.ctx.today).isoformat()


async def _thematic(fctx: FormCtx) -> bool:
    """Ask the topic of a thematic meeting only."""
    return fctx.draft.get("kind") == "thematic"


async def _count(fctx: FormCtx, text: str) -> int:
    """Parse a head count from 1 to 40."""
    return parse_int(text, minimum=1, maximum=40)


async def _submit(fctx: FormCtx) -> list[Outbound]:
    """Record the answers, refusing a count of 13 as a stand-in for a business rule."""
    if fctx.draft["count"] == 13:
        raise FormError("count", "số 13 đã được dùng.")
    SUBMITTED.append(dict(fctx.draft))
    return [Outbound("Đã ghi nhận.")]


SAMPLE = Form(
    name="sample",
    title="Mẫu thử",
    command="mau",
    steps=(
        Step(
            "kind",
            "Loại",
            "Chọn loại:",
            options=(Option("Thường kỳ", "regular"), Option("Chuyên đề", "thematic")),
        ),
        Step(
            "topic",
            "Chuyên đề",
            "Chủ đề?",
            when=_thematic,
            depends_on=("kind",),
        ),
        Step("day", "Ngày", "Ngày họp?", parse=_date, show=show_date),
        Step(
            "count",
            "Số người",
            "Bao nhiêu người?",
            parse=_count,
        ),
        Step("note", "Ghi chú", "Ghi chú?", optional=True),
    ),
    submit=_submit,
)


async def _start_sample(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the sample form."""
    return await ctx.flows.start(ctx, "sample")


@pytest.fixture
def sample_app(app: App) -> App:
    """Return an app that also knows the sample form and its /mau command."""
    SUBMITTED.clear()
    services: Services = app.services
    commands = [
        *handlers.all_commands(),
        Command("mau", _start_sample, EVERYONE, "Mẫu thử", starts_flow=True),
    ]
    return App(services, commands, [*handlers.all_forms(), SAMPLE])


@pytest.fixture
async def chat(sample_app: App, db: Database, ward: DemoWard) -> Chat:
    """Return the first demo secretary's chat on the sample app."""
    return await chat_as(sample_app, db, ward.cells[0].secretary)


async def fill(chat: Chat) -> None:
    """Answer every step of the sample form validly, up to the summary."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("05/09/2015")
    await chat.say("20")
    await chat.say("không")


async def test_invalid_answer_reasks_with_reason(chat: Chat) -> None:
    """An impossible date is refused with the reason and the same question again."""
    await chat.say("/mau")
    await chat.say("thuong ky")
    await chat.say("31/2")
    assert "Chưa hợp lệ" in chat.text() and "Ngày họp?" in chat.text()


async def test_invalid_answer_keeps_earlier_answers(chat: Chat) -> None:
    """After a refused answer the summary still shows everything typed before."""
    await chat.say("/mau")
    await chat.press("Chuyên đề")
    await chat.say("Học tập tấm gương đạo đức")
    await chat.say("abc")
    await chat.say("5/9/2015")
    await chat.say("0")
    assert "Chưa hợp lệ" in chat.text()
    await chat.say("12")
    await chat.say("không")
    assert "Học tập tấm gương đạo đức" in chat.text() and "05/09/2015" in chat.text()


async def test_when_skips_a_step(chat: Chat) -> None:
    """A regular meeting never asks for the thematic topic."""
    await fill(chat)
    assert "Chuyên đề:" not in chat.text() and "Chủ đề?" not in chat.text()


async def test_back_returns_to_previous_step(chat: Chat) -> None:
    """«quay lại» re-asks the previous question, showing the answer given."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("5/9/2015")
    await chat.say("quay lại")
    assert "Ngày họp?" in chat.text() and "Đã nhập" in chat.text()


async def test_summary_edit_by_number(chat: Chat) -> None:
    """Typing a field's number at the summary edits it and returns to the summary."""
    await fill(chat)
    await chat.say("3")
    assert "Bao nhiêu người?" in chat.text()
    await chat.say("25")
    assert "3. Số người: 25" in chat.text()
    await chat.press("Gửi")
    assert SUBMITTED == [{"kind": "regular", "day": "2015-09-05", "count": 25, "note": None}]


async def test_changing_an_answer_reasks_its_dependents(chat: Chat) -> None:
    """Switching the kind to thematic at the summary asks the topic before returning."""
    await fill(chat)
    await chat.say("1")
    await chat.press("Chuyên đề")
    assert "Chủ đề?" in chat.text()


async def test_cancel_keeps_draft_and_offers_to_continue(chat: Chat) -> None:
    """/huy keeps the draft; starting again offers to continue where it stopped."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("/huy")
    assert "Bản nháp được giữ lại" in chat.text()
    await chat.say("/mau")
    assert "bản nháp" in chat.text()
    await chat.press("Tiếp tục bản nháp")
    assert "Ngày họp?" in chat.text()


async def test_start_over_discards_draft(chat: Chat) -> None:
    """Choosing to start over asks the first question again."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("huy")
    await chat.say("/mau")
    await chat.say("2")
    assert "Chọn loại:" in chat.text()


async def test_outside_command_is_answered_then_flow_resumes(chat: Chat) -> None:
    """/help in the middle of a flow is answered, then the current question comes back."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("/help")
    assert "Các việc đồng chí có thể làm" in chat.text() and "Ngày họp?" in chat.text()
    await chat.say("6/9/2015")
    assert "Bao nhiêu người?" in chat.text()


async def test_other_flow_command_does_not_lose_the_open_one(chat: Chat) -> None:
    """Starting another flow once an answer is typed says how to pause, and keeps the question."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("/baocao")
    assert "Đồng chí đang nhập «Mẫu thử»" in chat.text() and "Ngày họp?" in chat.text()
    await chat.say("6/9/2015")
    assert "Bao nhiêu người?" in chat.text()


async def test_a_flow_with_nothing_typed_gives_way_to_the_next_command(chat: Chat) -> None:
    """A command typed at a flow's first question, nothing answered yet, starts its own flow."""
    await chat.say("/mau")
    await chat.say("/dangvien")
    assert "Đồng chí đang nhập" not in chat.text() and "Đồng chí muốn làm gì?" in chat.text()
    await chat.say("/baocao")
    assert "Đồng chí đang nhập" not in chat.text() and "Mẫu thử" not in chat.text()


async def test_stale_button_is_refused(chat: Chat) -> None:
    """A button from an earlier question does not answer the current one."""
    await chat.say("/mau")
    first = chat.last
    await chat.say("1")
    chat.last = first
    await chat.press("Chuyên đề")
    assert "câu hỏi trước" in chat.text() and "Ngày họp?" in chat.text()


async def test_submit_error_returns_to_the_step(chat: Chat) -> None:
    """A rule checked on submit sends the user back to the step with its reason."""
    await chat.say("/mau")
    await chat.say("1")
    await chat.say("5/9/2015")
    await chat.say("13")
    await chat.say("không")
    await chat.say("gui")
    assert "số 13 đã được dùng" in chat.text() and "Bao nhiêu người?" in chat.text()


async def test_save_draft_at_summary(chat: Chat) -> None:
    """«Lưu nháp» at the summary keeps everything for later."""
    await fill(chat)
    await chat.press("Lưu nháp")
    assert "Đã lưu bản nháp" in chat.text()
    await chat.say("/mau")
    await chat.press("Tiếp tục bản nháp")
    assert "3. Số người: 20" in chat.text()


async def test_state_survives_a_new_app(chat: Chat, sample_app: App) -> None:
    """A fresh App on the same database continues the open flow (as after a restart)."""
    await chat.say("/mau")
    await chat.say("1")
    restarted = App(sample_app.services, handlers.all_commands(), [*handlers.all_forms(), SAMPLE])
    chat.app = restarted
    await chat.say("5/9/2015")
    assert "Bao nhiêu người?" in chat.text()


def test_sample_dates_are_day_first() -> None:
    """The engine's date steps read Vietnamese day-first dates."""
    assert parse_date("5/9/2015", date(2015, 9, 10)) == date(2015, 9, 5)
