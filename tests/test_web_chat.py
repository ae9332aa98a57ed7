"""/web hands out a one-time login link, /dangxuat ends the person's web sessions; both audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

import handlers
from admin.demo_data import DemoWard
from core.app import App
from core.context import Services
from domain.clock import FixedClock
from settings import Settings
from storage import audit, web
from storage.db import Database
from tests.conftest import chat_as

BASE = "https://chibo.example.vn"


@pytest.fixture
def web_app(db: Database, clock: FixedClock, settings: Settings) -> App:
    """Build the bot core with a public address for its web server."""
    public = settings.model_copy(update={"public_base_url": BASE})
    return App(Services(db, clock, public), handlers.all_commands(), handlers.all_forms())


def link_token(text: str) -> str:
    """Return the token of the login link in a reply."""
    match = re.search(rf"{re.escape(BASE)}/w/login/([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


async def test_without_a_public_address_the_operator_is_told_what_to_set(
    app: App, db: Database, ward: DemoWard
) -> None:
    """With no PUBLIC_BASE_URL, /web names the setting instead of a link."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    await chat.say("/web")
    assert "PUBLIC_BASE_URL" in chat.text() and "/w/login/" not in chat.text()


async def test_the_link_logs_in_its_person_once(
    web_app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The link in the reply opens once, for the person who asked, and the request is audited."""
    name = ward.committee_people[0].full_name
    chat = await chat_as(web_app, db, name)
    await chat.say("/web")
    token = link_token(chat.text())
    assert "10 phút" in chat.text() and "9 giờ" in chat.text()
    async with db.begin() as conn:
        opened = await web.open_link(conn, token, clock.now())
        assert opened.holder is not None
        trail = await audit.entries(conn, "web_link", opened.holder.person_id)
    assert [entry.action for entry in trail] == ["issued"]


@pytest.mark.parametrize("words", ["trang web", "Xem trên máy tính"])
async def test_the_words_ask_for_a_link_too(web_app: App, db: Database, ward: DemoWard, words: str) -> None:
    """«trang web» and «xem trên máy tính» answer as /web does."""
    chat = await chat_as(web_app, db, ward.cells[0].secretary)
    await chat.say(words)
    link_token(chat.text())


async def test_a_link_is_never_sent_to_a_group(web_app: App, db: Database, ward: DemoWard) -> None:
    """Typed in a group chat, /web sends no link: it logs one person in."""
    chat = await chat_as(web_app, db, ward.committee_people[0].full_name)
    await chat.in_group("-100200").say("/web")
    assert "/w/login/" not in chat.text()


async def test_logging_out_ends_every_session(
    web_app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """/dangxuat ends the person's open sessions and says how many; the logout is audited."""
    chat = await chat_as(web_app, db, ward.committee_people[0].full_name)
    await chat.say("/web")
    async with db.begin() as conn:
        opened = await web.open_link(conn, link_token(chat.text()), clock.now())
        assert opened.holder is not None
        session, _ = await web.create_session(
            conn, opened.holder.person_id, opened.holder.account_id, clock.now(), timedelta(hours=9)
        )
    await chat.say("/dangxuat")
    assert "Đã đăng xuất 1 phiên" in chat.text()
    async with db.begin() as conn:
        assert await web.find_session(conn, session, clock.now()) is None
        trail = await audit.entries(conn, "web_session", opened.holder.person_id)
    assert [entry.action for entry in trail] == ["logout"]
