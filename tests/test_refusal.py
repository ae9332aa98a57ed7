"""Refusals: a handler's expected «no» reaches the user as its text, logged without a traceback."""

from __future__ import annotations

import logging

import pytest

import handlers
from admin.demo_data import DemoWard
from core.app import App
from core.commands import EVERYONE, Command
from core.context import Ctx
from core.messages import Outbound
from core.refusal import Refusal
from storage.db import Database
from tests.conftest import chat_as
from texts import common as tc


async def _refuse(ctx: Ctx, args: str) -> list[Outbound]:
    """Refuse, as a handler does when the sender may not see a cell."""
    raise Refusal(tc.CELL_OUT_OF_REACH)


async def test_refusal_answers_with_its_text_and_no_traceback(
    app: App, db: Database, ward: DemoWard, caplog: pytest.LogCaptureFixture
) -> None:
    """A refused request is answered with the refusal, not the system error, and logs no traceback."""
    refusing = App(
        app.services,
        [*handlers.all_commands(), Command("tuchoi", _refuse, EVERYONE, "Từ chối")],
        handlers.all_forms(),
    )
    chat = await chat_as(refusing, db, ward.cells[0].secretary)
    with caplog.at_level(logging.INFO, logger="core.app"):
        await chat.say("/tuchoi")
    assert chat.text() == tc.CELL_OUT_OF_REACH
    assert [r.levelno for r in caplog.records if r.name == "core.app"] == [logging.INFO]
    assert all(r.exc_info is None for r in caplog.records)
