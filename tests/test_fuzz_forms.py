"""Fuzzing every form: random answers, buttons and forged choices never reach the system error."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers
from admin.commands import load_demo
from admin.demo_data import demo_ward
from core.app import App
from core.context import Services
from core.messages import Outbound
from domain.clock import FixedClock
from settings import Settings
from storage import accounts
from storage.db import Database
from tests.conftest import Chat
from texts import common as t

# What people and attackers type: numbers in odd scripts, far years, control characters, words the
# forms know, and anything else up to a line.
TRICKY = [
    "²", "①", "٣", "0", "-1", "99999999999", "1/1/0000", "9999", "quý 5", "tháng 13", "bỏ qua",
    "quay lại", "không", "có", "Gửi", "Lưu nháp", "sửa 1", "1", "2", "3", "/huy", "/help", "\x00",
    "a\x07b", "x" * 5000, "", " ", "Nguyễn Văn An", "hôm qua", "5/9", "8/2015", "/xuat Chi bộ 12",
]  # fmt: skip
STEP = st.one_of(
    st.sampled_from(TRICKY).map(lambda text: ("say", text)),
    st.text(max_size=40).map(lambda text: ("say", text)),
    st.integers(min_value=0, max_value=12).map(lambda index: ("press", index)),
    st.text(max_size=30).map(lambda data: ("forge", data)),
)


def _scenario_chats(app: App, loop: asyncio.AbstractEventLoop, db: Database) -> dict[str, Chat]:
    """Bind a committee member and a secretary of the demo ward, each to a chat."""
    ward = demo_ward()
    chats = {}
    for role, name in (
        ("committee", ward.committee_people[0].full_name),
        ("leader", ward.cells[0].secretary),
    ):

        async def bind(full_name: str = name) -> str:
            """Bind the person's test account and return its chat id."""
            async with db.begin() as conn:
                person_id = next(pid for pid, n in await accounts.list_people(conn) if n == full_name)
                chat_id = f"fuzz-{person_id}"
                await accounts.bind_account(conn, person_id, "test", chat_id, chat_id, full_name, CLOCK.now())
            return chat_id

        chats[role] = Chat(app, loop.run_until_complete(bind()), "test", name)
    return chats


CLOCK = FixedClock(datetime(2015, 9, 10, 2, 0, tzinfo=UTC))


def test_random_answers_never_reach_the_system_error(tmp_path: Path) -> None:
    """Every form, opened by someone allowed to, answers random input without an internal error."""
    loop = asyncio.new_event_loop()
    config = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/fuzz.db",
        export_dir=tmp_path / "exports",
    )
    db = Database.from_url(config.database_url)
    loop.run_until_complete(db.migrate())
    loop.run_until_complete(load_demo(db, CLOCK))
    app = App(Services(db, CLOCK, config), handlers.all_commands(), handlers.all_forms())
    chats = _scenario_chats(app, loop, db)
    commands = sorted(
        {
            ("committee" if "committee" in app.commands[form.command].roles else "leader", form.command)
            for form in app.flows.forms.values()
            if form.command in app.commands
        }
    )
    internal = t.internal_error()

    async def play(chat: Chat, command: str, steps: list[tuple[str, object]]) -> list[Outbound]:
        """Open a form with its command and feed it the steps; return every reply."""
        seen = await chat.say("/huy") + await chat.say(f"/{command}")
        for kind, value in steps:
            if kind == "say":
                seen += await chat.say(str(value))
            elif kind == "forge":
                seen += await chat.send(chat._inbound(choice=f"f:{command}:{value}"))
            else:
                options = [o for m in chat.last for o in m.options]
                if options:
                    seen += await chat.send(
                        chat._inbound(choice=options[int(str(value)) % len(options)].value)
                    )
        return seen

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.sampled_from(commands), st.lists(STEP, max_size=8))
    def walk(start: tuple[str, str], steps: list[tuple[str, object]]) -> None:
        """Walk one form with one list of inputs."""
        role, command = start
        replies = loop.run_until_complete(play(chats[role], command, steps))
        assert not [r.text for r in replies if r.text == internal], (command, steps)

    try:
        walk()
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
