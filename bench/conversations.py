"""Conversations: secretaries filing the monthly report at the same time, over HTTP to a fake Bot API.

Each simulated secretary types and presses through the whole /baocao form (every answer waits for
the bot's reply). References, in the same run: a bare python-telegram-bot echo bot (no rate
limiter) in its own process, once on PTB's httpx client (alone, first) and once on our aiohttp
request class (channels/telegram_http.py, as our bot uses; up beside our bot, each on a fake server
of its own), driven by as many users sending the same number of updates in the same text/button
mix. Two runs of each bot:

- saturating: every user answers the moment the reply arrives, so the bot never idles; this gives
  the updates/s of each bot. Its latencies are queueing (Little's law: N users / throughput). It is
  three rounds, each with users of its own, the bots compared taking theirs in turn (see
  `side_by_side`); the figure compared is the median round's.
- paced: each user first reads the question and types the answer, with think times drawn from a
  fixed seed (the same draws for both bots); this gives the reply latency users would see.

    .venv/bin/python -m bench.conversations [--users 200] [--think-scale 1] [--quick] [--channel zalo]

With --channel zalo the same secretaries type the form on the Zalo fake (bench/zalo_conversations.py).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from bench.common import (
    ROOT,
    TEST_TOKEN,
    BotProcess,
    FakeTelegramServer,
    cpu_seconds,
    percentile,
    telegram_env,
)
from bench.orgdata import Shape, generate
from domain import calendar
from storage import accounts, org, reminders
from storage.db import Database
from tests.fakes.telegram_api import FakeUser, SentMessage

FIRST_USER = 500_000
ECHO_USERS = 100_000  # added to FIRST_USER for the echo bots' users, so none is a seeded secretary's
MEMBERS = 12
SEED = 2026
SATURATING_ROUNDS = 3
# A bot process counts as idle below this share of a core over this many seconds.
IDLE_SHARE, IDLE_WINDOW = 0.04, 0.25
HTTPX, AIOHTTP = "httpx", "aiohttp"
# Think time of the paced run, in seconds: reading the bot's question, then typing an answer at
# phone speed (about 3 characters a second, ~36 words a minute, with diacritics typed by hand);
# the first message comes within START seconds of the reminder that everyone got at once.
READ = (2.0, 5.0)
TYPE_CHARS_PER_SECOND = (2.0, 4.0)
START = 10.0
# The report form as the e2e test files it: (what the secretary does, bot messages to wait for).
STEPS: list[tuple[str, str, int]] = [
    ("text", "/baocao", 3),
    ("press", "<month>", 1),
    ("press", "Thường kỳ", 1),
    ("text", "<date>", 1),
    ("text", "19h30", 1),
    ("text", "không", 1),
    ("text", "không", 1),
    ("text", "<absent>", 1),
    ("press", "Ốm", 1),
    ("press", "Không có lý do", 1),
    ("text", "<chair>", 1),
    ("text", "<minutes>", 1),
    ("text", "không", 1),
    ("text", "Học tập tấm gương trung thực của Bác", 1),
    ("text", "không", 1),
    ("text", "Đã thu đảng phí.\nChưa xong: trồng cây.", 1),
    ("text", "Trồng cây trong tháng tới.", 1),
    ("text", "không", 1),
    ("press", "Tốt", 1),
    ("press", "Gửi", 1),
]


# Roster answers read off the question, as a secretary does; the echo users type as many characters.
PICKS = {"<absent>": "2, 5", "<chair>": "1", "<minutes>": "3"}
_PICKABLE = re.compile(r"^(\d+)\. (?!.*\(miễn sinh hoạt\)$)", re.MULTILINE)


def picked(value: str, question: str) -> str:
    """Answer a roster question with members it lists as pickable: two absent, a chair, a minute taker."""
    numbers = _PICKABLE.findall(question)
    if value == "<absent>":
        return f"{numbers[1]}, {numbers[4]}"
    return numbers[0] if value == "<chair>" else numbers[1]


@dataclass
class Tally:
    """Latencies of replies, overall and by step of the form, and the failures of a run."""

    latencies: list[float] = field(default_factory=list)
    by_step: dict[int, list[float]] = field(default_factory=dict)
    updates: int = 0
    failures: list[str] = field(default_factory=list)

    def record(self, index: int, seconds: float) -> None:
        """Count one answered update of step `index`."""
        self.latencies.append(seconds)
        self.by_step.setdefault(index, []).append(seconds)
        self.updates += 1


@dataclass
class Pacing:
    """Seeded think times of one user; zero in the saturating run."""

    scale: float
    rng: random.Random

    async def think(self, kind: str, value: str, first: bool) -> None:
        """Sleep as long as this user takes to read the question and answer it."""
        if self.scale <= 0:
            return
        seconds = self.rng.uniform(0, START) if first else self.rng.uniform(*READ)
        if kind == "text":
            seconds += len(value) / self.rng.uniform(*TYPE_CHARS_PER_SECOND)
        await asyncio.sleep(seconds * self.scale)


async def step(
    user: FakeUser,
    last: SentMessage | None,
    index: int,
    value: str,
    tally: Tally,
    pacing: Pacing,
    replies: int,
) -> SentMessage:
    """Think, send one update, wait for its replies, record the latency, and return the last reply."""
    kind = STEPS[index][0]
    await pacing.think(kind, value, first=last is None)
    started = time.monotonic()
    if kind == "text":
        await user.send_text(value)
    else:
        assert last is not None
        await user.press_button(last, value if value in last.button_labels() else 0)
    messages = await user.wait_for_messages(replies, timeout=120)
    tally.record(index, time.monotonic() - started)
    return messages[-1]


async def secretary(user: FakeUser, tally: Tally, pacing: Pacing) -> None:
    """File one whole report."""
    last: SentMessage | None = None
    month = year = ""
    try:
        for index, (_, value, replies) in enumerate(STEPS):
            if value == "<month>":
                assert last is not None
                label = last.button_labels()[0]
                _, month, year = label.replace("/", " ").split()
                value = label
            elif value == "<date>":
                value = f"15/{month}/{year}"
            elif value in PICKS:
                assert last is not None
                value = picked(value, last.text or "")
            last = await step(user, last, index, value, tally, pacing, replies)
        text = last.text if last is not None else None
        if "Mã báo cáo" not in (text or ""):
            tally.failures.append(f"{user.user_id}: no report code in {text!r}")
    except (AssertionError, IndexError, ValueError) as error:
        texts = " | ".join((m.text or "")[:60] for m in user.messages[-4:])
        tally.failures.append(f"{user.user_id}: {error!r}; last messages: {texts}")


async def echo_user(user: FakeUser, tally: Tally, pacing: Pacing) -> None:
    """Send the echo bot as many updates as a report takes, texts and presses in the same places."""
    last: SentMessage | None = None
    try:
        for index, (_, value, _) in enumerate(STEPS):
            # A date as long as the secretary's, so both bots get the same think times.
            value = "15/01/2026" if value == "<date>" else PICKS.get(value, value)
            last = await step(user, last, index, value, tally, pacing, 1)
    except AssertionError as error:
        tally.failures.append(f"{user.user_id}: {error}")


User = TypeVar("User")
Script = Callable[[User, "Tally", "Pacing"], Awaitable[None]]


async def drive(users: list[User], script: Script[User], think_scale: float) -> tuple[Tally, float]:
    """Run every user's script at once; return the tally and the wall time."""
    tally = Tally()
    started = time.monotonic()
    # User n draws from the same seed whichever bot it talks to.
    pacings = [Pacing(think_scale, random.Random(SEED + n)) for n in range(len(users))]
    await asyncio.gather(*(script(u, tally, p) for u, p in zip(users, pacings, strict=True)))
    return tally, time.monotonic() - started


@dataclass
class Contender(Generic[User]):
    """A bot in the saturating rounds: its users for each round, its script, and what it did."""

    name: str
    rounds: list[list[User]]
    script: Script[User]
    pid: int
    rates: list[float] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    cpu: float = 0.0

    @property
    def rate(self) -> float:
        """Return the median round's updates per second."""
        return statistics.median(self.rates)

    def cpu_ms_per_update(self) -> float:
        """Return the bot process's CPU milliseconds per update over its rounds."""
        return 1000 * self.cpu / max(1, self.tally.updates)

    async def run_round(self, number: int) -> None:
        """Drive one saturating round and keep its figures."""
        cpu = cpu_seconds(self.pid)
        tally, seconds = await drive(self.rounds[number], self.script, 0)
        self.cpu += cpu_seconds(self.pid) - cpu
        self.rates.append(summary(f"{self.name}, saturating round {number + 1}", tally, seconds))
        self.tally.latencies += tally.latencies
        self.tally.updates += tally.updates
        self.tally.failures += tally.failures


async def settled(pids: Sequence[int], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until the processes used under 4 % of a core over a quarter of a second, or `timeout` passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(pid) for pid in pids)
        await asyncio.sleep(IDLE_WINDOW)
        if sum(cpu_seconds(pid) for pid in pids) - before < IDLE_SHARE * IDLE_WINDOW:
            return


async def side_by_side(contenders: Sequence[Contender[Any]]) -> None:
    """Run every bot's first saturating round, then every bot's second, and so on.

    The machine's speed drifts by up to 25 % over minutes (a shared VM); taken in turn, the rounds
    of the bots compared see the same drift, which one bot's rounds after the other's do not. Each
    round waits until every bot is idle, so none works through another's round.
    """
    pids = [c.pid for c in contenders]
    for number in range(SATURATING_ROUNDS):
        for contender in contenders:
            await settled(pids)
            await contender.run_round(number)
    for contender in contenders:
        shown = ", ".join(f"{rate:.1f}" for rate in contender.rates)
        print(f"{contender.name}, saturating: median {contender.rate:.1f} updates/s of {shown}", flush=True)


def batches(ids: list[int], count: int) -> list[list[int]]:
    """Split user numbers into runs of `count`, one run each."""
    return [ids[start : start + count] for start in range(0, len(ids), count)]


def summary(name: str, tally: Tally, seconds: float, *, slowest_steps: int = 0) -> float:
    """Print a run's figures, and its slowest steps of the form by p95, and return its updates per second."""
    rate = tally.updates / seconds
    ms = [1000 * x for x in tally.latencies]
    print(
        f"{name}: {tally.updates} updates in {seconds:.1f} s = {rate:.1f} updates/s; reply latency "
        f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, p99 {percentile(ms, 99):.0f} ms; "
        f"failed conversations {len(tally.failures)}",
        flush=True,
    )
    p95s = {index: percentile([1000 * x for x in v], 95) for index, v in tally.by_step.items()}
    slowest = sorted(p95s, key=p95s.__getitem__, reverse=True)[:slowest_steps]
    if slowest:
        shown = ", ".join(
            f"{STEPS[i][0]} {STEPS[i][1].splitlines()[0][:24]!r} {p95s[i]:.0f} ms" for i in slowest
        )
        print(f"  slowest steps by p95: {shown}", flush=True)
    for failure in tally.failures[:3]:
        print(f"  {failure[:300]}")
    return rate


async def seed(
    database_url: str, count: int, channel: str = "telegram", external: Callable[[int], str] = str
) -> list[int]:
    """Create `count` cells with a secretary each, bound to a user of `channel`; return the user numbers."""
    db = Database.from_url(database_url)
    now = datetime.now(UTC)
    try:
        await db.migrate()
        shape = Shape(count, MEMBERS, months=0)
        await generate(db, shape)
        users = []
        async with db.begin() as conn:
            committee = await org.find_committee(conn, shape.committee)
            assert committee is not None
            for index, cell in enumerate(await org.list_cells(conn, committee.id)):
                for person_id, name, _ in await accounts.cell_leaders(conn, cell.id):
                    user_id = FIRST_USER + index
                    chat = external(user_id)
                    await accounts.bind_account(conn, person_id, channel, chat, chat, name, now)
                    # The planners run at start; their reminders would interleave with the form's replies.
                    for kind in calendar.MUTABLE_KINDS:
                        await reminders.mute(conn, person_id, kind, now)
                    users.append(user_id)
        return users
    finally:
        await db.dispose()


def run_echo_bot(base_url: str, transport: str) -> None:
    """Run a bare echo bot: every message and button press answered with one message and a button."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

    from channels.telegram_http import AiohttpRequest

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "?", reply_markup=markup)

    async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await query.edit_message_reply_markup(None)
        await context.bot.send_message(query.message.chat.id, "ok", reply_markup=markup)

    builder = Application.builder().token(TEST_TOKEN).base_url(base_url).concurrent_updates(True)
    if transport == AIOHTTP:
        # The same HTTP client as our bot (channels/telegram.py), so the two differ only in what they do.
        builder = builder.request(AiohttpRequest()).get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )
    application = builder.build()
    application.add_handler(MessageHandler(filters.ALL, on_message))
    application.add_handler(CallbackQueryHandler(on_callback))
    application.run_polling(poll_interval=0, timeout=1)


async def polling(server: FakeTelegramServer) -> None:
    """Wait until a bot polls the server for updates, so start-up is not counted as latency."""
    seen = len([c for c in server.calls if c.method.lower() == "getupdates"])
    await server.wait_for(
        lambda: len([c for c in server.calls if c.method.lower() == "getupdates"]) > seen,
        timeout=60,
        description="the bot to poll",
    )


def contender(
    server: FakeTelegramServer, name: str, ids: list[int], script: Script[FakeUser], count: int, pid: int
) -> tuple[Contender[FakeUser], list[FakeUser]]:
    """Return a bot's saturating rounds, `count` users each, and the users left for its paced run."""
    *rounds, last = [[server.user(i, first_name=name) for i in batch] for batch in batches(ids, count)]
    return Contender(name, rounds, script, pid), last


async def paced_run(name: str, users: list[FakeUser], script: Script[FakeUser], think_scale: float) -> Tally:
    """Drive the paced run and print it."""
    paced, seconds = await drive(users, script, think_scale)
    summary(f"{name}, paced", paced, seconds, slowest_steps=3)
    return paced


def start_echo(server: FakeTelegramServer, transport: str) -> Awaitable[asyncio.subprocess.Process]:
    """Start the bare echo bot on `transport` against the server, in its own process."""
    return asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.conversations", "--echo-bot", server.base_url, transport, cwd=ROOT
    )


async def stopped(process: asyncio.subprocess.Process) -> None:
    """Stop an echo bot process."""
    process.terminate()
    await process.wait()


async def main() -> None:
    """Run the echo bot and our bot against the same fake server and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="secretaries filing at once (default 200)")
    parser.add_argument(
        "--think-scale", type=float, help="multiply the paced run's think times (default 1; --quick: 0.05)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="10 secretaries, think times x0.05: a smoke test"
    )
    parser.add_argument(
        "--channel", choices=["telegram", "zalo"], default="telegram", help="the fake the users talk on"
    )
    parser.add_argument("--echo-bot", help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = 10 if args.quick else args.users
    # The quick run scales think times with the number of users (10 / 200), so the paced run
    # offers the bot the same updates per second as the full run, in a twentieth of the time.
    think_scale = args.think_scale if args.think_scale is not None else (0.05 if args.quick else 1.0)
    if args.channel == "zalo":
        from bench import zalo_conversations

        await zalo_conversations.run(count, think_scale)
        return
    print(
        f"conversations: {count} users at once, {len(STEPS)} updates each (the whole /baocao form); "
        f"saturating run: no think time; paced run: think time x{think_scale:g} of reading "
        f"{READ[0]:g}-{READ[1]:g} s a step, typing {TYPE_CHARS_PER_SECOND[0]:g}-{TYPE_CHARS_PER_SECOND[1]:g} "
        f"chars/s, first message within {START:g} s (seed {SEED})",
        flush=True,
    )
    ids = [FIRST_USER + ECHO_USERS + n for n in range((SATURATING_ROUNDS + 1) * count)]
    async with FakeTelegramServer() as server:
        # PTB's default client, for reference only: alone, before the two compared.
        name = f"echo bot (bare python-telegram-bot on {HTTPX})"
        echo = await start_echo(server, HTTPX)
        try:
            await polling(server)
            httpx_echo, last = contender(server, name, ids, echo_user, count, echo.pid)
            await side_by_side([httpx_echo])
            httpx_paced = await paced_run(name, last, echo_user, think_scale)
        finally:
            await stopped(echo)
    # Each bot on a fake of its own, both started before the first round, so their rounds alternate.
    async with FakeTelegramServer() as echo_server, FakeTelegramServer() as chibo_server:
        with tempfile.TemporaryDirectory(prefix="chibo-conv-") as tmp:
            database_url = f"sqlite+aiosqlite:///{tmp}/conversations.db"
            # A cell each for every run: a secretary files one report a month.
            seeded = await seed(database_url, (SATURATING_ROUNDS + 1) * count)
            bot = BotProcess(telegram_env(database_url, chibo_server), Path(tmp) / "bot.log")
            echo = await start_echo(echo_server, AIOHTTP)
            try:
                await bot.start()
                await polling(echo_server)
                await polling(chibo_server)
                echo_name = f"echo bot (bare python-telegram-bot on {AIOHTTP})"
                aiohttp_echo, echo_last = contender(echo_server, echo_name, ids, echo_user, count, echo.pid)
                name = "chibo bot (report form)"
                assert bot.process is not None
                chibo, last = contender(chibo_server, name, seeded, secretary, count, bot.process.pid)
                await side_by_side([aiohttp_echo, chibo])
                aiohttp_paced = await paced_run(echo_name, echo_last, echo_user, think_scale)
                paced = await paced_run(name, last, secretary, think_scale)
            finally:
                await stopped(echo)
                await bot.stop()
            if chibo.tally.failures or paced.failures:
                problems = [line for line in bot.log().splitlines() if "ERROR" in line or "WARNING" in line]
                print("\n".join(problems)[-3000:])
    p99 = percentile([1000 * x for x in paced.latencies], 99)
    for transport, echo_bot, echo_paced in (
        (HTTPX, httpx_echo, httpx_paced),
        (AIOHTTP, aiohttp_echo, aiohttp_paced),
    ):
        echo_p99 = percentile([1000 * x for x in echo_paced.latencies], 99)
        goal = " (goal >= 0.5)" if transport == AIOHTTP else ""
        print(
            f"chibo / echo on {transport} updates/s (saturating): {chibo.rate / echo_bot.rate:.2f}{goal}; "
            f"echo's paced p99 {echo_p99:.0f} ms"
        )
    print(f"chibo p99 reply (paced): {p99:.0f} ms (goal < 50 ms)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--echo-bot":
        # run_polling owns its event loop and stops on SIGTERM.
        run_echo_bot(sys.argv[2], sys.argv[3])
    else:
        asyncio.run(main())
