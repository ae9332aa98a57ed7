"""Fuzzing every form: random answers, buttons and forged choices never reach the system error."""

from __future__ import annotations

import asyncio
import itertools
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
from storage import accounts, conversations
from storage.db import Database
from tests.conftest import Chat
from tests.test_accounts import make_invite
from tests.test_inspections import conclude, plan_inspection
from tests.test_report_flow import fill
from texts import common as t

# What people and attackers type: numbers in odd scripts, far years, control characters, words the
# forms know, and anything else up to a line.
TRICKY = [
    "²", "①", "٣", "0", "-1", "99999999999", "1/1/0000", "9999", "quý 5", "tháng 13", "bỏ qua",
    "quay lại", "không", "có", "Gửi", "Lưu nháp", "sửa 1", "1", "2", "3", "/huy", "/help", "\x00",
    "a\x07b", "x" * 5000, "", " ", "Nguyễn Văn An", "hôm qua", "5/9", "8/2015", "/xuat Chi bộ 12",
]  # fmt: skip
FORM_NAMES = sorted(form.name for form in handlers.all_forms())
STEP = st.one_of(
    st.sampled_from(TRICKY).map(lambda text: ("say", text)),
    st.text(max_size=40).map(lambda text: ("say", text)),
    st.integers(min_value=0, max_value=12).map(lambda index: ("press", index)),
    # Button data as a client could forge it: a form's name, then anything.
    st.tuples(st.sampled_from(FORM_NAMES), st.text(max_size=30)).map(lambda f: ("forge", f"f:{f[0]}:{f[1]}")),
)
# Who opens the commanded forms: a committee member and a cell secretary of the demo ward.
PERSONAS = {"committee": frozenset({"committee"}), "leader": frozenset({"secretary"})}
# The forms no command opens, and the entries a newcomer opens them with instead.
JOIN_ENTRIES = ("invite with a name", "invite without a name", "wrong code")
OPENED_WITHOUT_A_COMMAND = {"join": JOIN_ENTRIES}
WALKS_PER_ENTRY = 4


def _entries(app: App) -> list[tuple[str, str]]:
    """Return how walks open every form: its command by each persona allowed it, or a newcomer's code."""
    commands = sorted({form.command for form in app.flows.forms.values() if form.command in app.commands})
    entries = [
        (who, f"/{command}")
        for command in commands
        for who, roles in PERSONAS.items()
        if app.commands[command].allowed(roles)
    ]
    return entries + [("newcomer", entry) for entry in JOIN_ENTRIES]


async def _bind(db: Database, clock: FixedClock, full_name: str, channel: str = "test") -> str:
    """Bind an account on `channel` to the person of that name and return its chat id."""
    async with db.begin() as conn:
        person_id = next(pid for pid, name in await accounts.list_people(conn) if name == full_name)
        chat_id = f"fuzz-{channel}-{person_id}"
        await accounts.bind_account(conn, person_id, channel, chat_id, chat_id, full_name, clock.now())
    return chat_id


async def _seed(app: App, db: Database, clock: FixedClock) -> dict[str, Chat]:
    """Bind the personas and give every form something to be about; return the personas' chats."""
    ward = demo_ward()
    names = {"committee": ward.committee_people[0].full_name, "leader": ward.cells[0].secretary}
    chats = {who: Chat(app, await _bind(db, clock, name), "test", name) for who, name in names.items()}
    committee, leader = chats["committee"], chats["leader"]
    # A filed report to amend, a second app to send reminders to.
    await fill(leader)
    await leader.say("gửi")
    await _bind(db, clock, names["leader"], channel="zalo")
    # Two inspections past their session, one concluded with tasks to remedy (more than the walks of
    # /dongkhacphuc can close before /khacphuc is walked), and one to come.
    await plan_inspection(committee, cells="1, 2")
    tasks = [f"Nhiệm vụ khắc phục số {n} - 30/10/2015" for n in range(1, 2 * WALKS_PER_ENTRY + 1)]
    await conclude(committee, clock, "\n".join(tasks))
    await plan_inspection(committee, cells="1", day="20/10/2015")
    return chats


def _shared_commands(app: App) -> set[str]:
    """Return the commands that open more than one form, the others from their first question."""
    commands = [form.command for form in app.flows.forms.values() if form.command in app.commands]
    return {f"/{command}" for command in commands if command is not None and commands.count(command) > 1}


def test_every_form_is_opened_by_a_command_or_a_listed_entry() -> None:
    """A form added without a command fails here until the fuzz test knows how to open it."""
    commands = {command.name for command in handlers.all_commands()}
    unopened = {form.name for form in handlers.all_forms() if form.command not in commands}
    assert unopened == set(OPENED_WITHOUT_A_COMMAND)


def test_random_answers_never_reach_the_system_error(tmp_path: Path) -> None:
    """Every form, opened by each persona allowed it or a newcomer's code, takes random input unharmed."""
    clock = FixedClock(datetime(2015, 9, 10, 2, 0, tzinfo=UTC))
    loop = asyncio.new_event_loop()
    config = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/fuzz.db",
        export_dir=tmp_path / "exports",
    )
    db = Database.from_url(config.database_url)
    loop.run_until_complete(db.migrate())
    loop.run_until_complete(load_demo(db, clock))
    app = App(Services(db, clock, config), handlers.all_commands(), handlers.all_forms())
    chats = loop.run_until_complete(_seed(app, db, clock))
    newcomers = itertools.count(1)
    internal = t.internal_error()
    reached: set[str] = set()

    async def opening(who: str, entry: str) -> tuple[Chat, str]:
        """Return the chat a walk writes from and what it sends first."""
        if who != "newcomer":
            await chats[who].say("/huy")
            return chats[who], entry
        chat = Chat(app, f"fuzz-newcomer-{next(newcomers)}", "test", "Người Mới")
        if entry == "wrong code":
            return chat, "/start ZZZZ9999"
        name = "Nguyễn Văn An" if entry == "invite with a name" else None
        return chat, "/start " + await make_invite(db, clock, "secretary", "Chi bộ 12", name)

    async def note_form(chat: Chat) -> None:
        """Remember which form the chat is in, to check that the walks reach every form."""
        async with db.begin() as conn:
            conversation = await conversations.load(conn, chat.channel, chat.chat_id)
        if conversation is not None:
            reached.add(conversation.flow)

    async def play(
        who: str, entry: str, first_press: int | None, steps: list[tuple[str, object]]
    ) -> list[Outbound]:
        """Open a form, press an option of its first question if told to, and feed it the steps."""
        chat, first = await opening(who, entry)
        seen = await chat.say(first)
        await note_form(chat)
        opening_steps: list[tuple[str, object]] = [] if first_press is None else [("press", first_press)]
        for kind, value in opening_steps + steps:
            if kind == "say":
                seen += await chat.say(str(value))
            elif kind == "forge":
                seen += await chat.send(chat._inbound(choice=str(value)))
            else:
                options = [o for m in chat.last for o in m.options]
                if options:
                    seen += await chat.send(
                        chat._inbound(choice=options[int(str(value)) % len(options)].value)
                    )
            await note_form(chat)
        return seen

    async def first_options(who: str, entry: str) -> int:
        """Count the options of the first question an entry asks."""
        chat, first = await opening(who, entry)
        await chat.say(first)
        return len([o for m in chat.last for o in m.options])

    def walk_from(who: str, entry: str, first_press: int | None = None) -> None:
        """Walk the form an entry opens with a few random lists of inputs."""

        @settings(
            max_examples=WALKS_PER_ENTRY,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(st.lists(STEP, max_size=8))
        def walk(steps: list[tuple[str, object]]) -> None:
            """Walk one form with one list of inputs."""
            replies = loop.run_until_complete(play(who, entry, first_press, steps))
            assert not [r.text for r in replies if r.text == internal], (who, entry, first_press, steps)

        walk()

    try:
        for who, entry in _entries(app):
            walk_from(who, entry)
            # A command opening several forms opens the others from its first question: walk each way.
            if entry in _shared_commands(app):
                for index in range(loop.run_until_complete(first_options(who, entry))):
                    walk_from(who, entry, index)
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
    assert reached == set(app.flows.forms)
