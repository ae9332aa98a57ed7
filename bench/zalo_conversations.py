"""Conversations on Zalo: the secretaries of bench.conversations, typing the /baocao form on the Zalo fake.

The bot runs in webhook mode (Zalo's production mode) behind the fake's pretend TLS proxy; the
fake POSTs updates WEBHOOK_CONCURRENCY at a time and echoes every bot message back as an update.
Reference, in the same run and on the same fake: a bare echo bot on the same HTTP client
(aiohttp, server and client), in its own process and on a fake of its own. Three runs of our
bot: saturating (rounds taken in turn with the echo bot's, the median compared) and paced as on
Telegram, then a quota run where the fake answers a share of sends with 429, counting replies lost
or sent twice.

    .venv/bin/python -m bench.conversations --channel zalo [--users 200] [--quick]
"""

from __future__ import annotations

import asyncio
import hmac
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.common import ROOT, BotProcess, bot_env, percentile
from bench.conversations import (
    ECHO_USERS,
    FIRST_USER,
    PICKS,
    SATURATING_ROUNDS,
    SEED,
    STEPS,
    Contender,
    Pacing,
    Tally,
    batches,
    drive,
    picked,
    seed,
    side_by_side,
    summary,
)
from tests.e2e.botprocess import BOT_MOMENT, free_port
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer, FakeZaloUser

PUBLIC_URL = "https://chibo.example.vn/zalo/hook"
SECRET = "bench-webhook-secret"  # noqa: S105 - a fixed secret for a local fake server
# Zalo does not say how many webhook POSTs it keeps in flight; one at a time would cap both bots
# at the fake's round trip.
WEBHOOK_CONCURRENCY = 8
QUOTA_SHARE = 0.10
# The quota run's wait after a 429 (ZALO_QUOTA_RETRY_SECONDS; 60 s by default).
QUOTA_RETRY_SECONDS = 2
# The form as typed on Zalo, where every choice is a number or a label: one value per STEPS entry.
TYPED = {
    "<month>": "1",
    "Thường kỳ": "thuong ky",
    "Ốm": "1",
    "Không có lý do": "khong co ly do",
    "Tốt": "1",
    "Gửi": "gui",
}
STEP_TIMEOUT = 300.0
# Replies each chat has waited for so far, to count the lost and the doubled.
awaited: dict[str, int] = {}


def zalo_id(user_id: int) -> str:
    """Return a Zalo-shaped id (20 hex characters) for a bench user number."""
    return f"{user_id:020x}"


async def step(
    user: FakeZaloUser, first: bool, index: int, value: str, tally: Tally, pacing: Pacing, replies: int
) -> list[str]:
    """Think, type one answer, wait for its replies, record the latency; return the replies' texts."""
    await pacing.think("text", value, first=first)
    started = time.monotonic()
    awaited[user.chat_id] = awaited.get(user.chat_id, 0) + replies
    await user.send_text(value)
    messages = await user.wait_for_messages(replies, timeout=STEP_TIMEOUT)
    tally.record(index, time.monotonic() - started)
    return [m.text for m in messages]


async def secretary(user: FakeZaloUser, tally: Tally, pacing: Pacing) -> None:
    """File one whole report by typing."""
    month = year = ""
    last: list[str] = []
    try:
        for index, (_, value, replies) in enumerate(STEPS):
            typed = TYPED.get(value, value)
            if value == "<date>":
                typed = f"15/{month}/{year}"
            elif value in PICKS:
                typed = picked(value, "\n".join(last))
            last = await step(user, index == 0, index, typed, tally, pacing, replies)
            if value == "/baocao":
                label = last[-1].split("1. ", 1)[1].splitlines()[0]
                _, month, year = label.replace("/", " ").split()
        if "Mã báo cáo" not in last[-1]:
            tally.failures.append(f"{user.user_id}: no report code in {last[-1]!r}")
    except (AssertionError, IndexError, ValueError) as error:
        texts = " | ".join(m.text[:60] for m in user.messages[-4:])
        tally.failures.append(f"{user.user_id}: {error!r}; last messages: {texts}")


async def echo_user(user: FakeZaloUser, tally: Tally, pacing: Pacing) -> None:
    """Type to the echo bot as many messages as a report takes, of the same lengths."""
    try:
        for index, (_, value, _) in enumerate(STEPS):
            typed = "15/01/2026" if value == "<date>" else PICKS.get(value, TYPED.get(value, value))
            await step(user, index == 0, index, typed, tally, pacing, 1)
    except AssertionError as error:
        tally.failures.append(f"{user.user_id}: {error}")


async def webhook_set(server: FakeZaloServer, before: int) -> None:
    """Wait until a bot has registered its webhook (Zalo's probe answered), so start-up is not latency."""
    if not await server.wait_for(lambda: len(server.calls_of("setWebhook")) > before, 60):
        raise RuntimeError("the bot did not set its webhook within 60 s")


def run_echo_bot(base_url: str, token: str, port: int) -> None:
    """Run a bare echo bot: every text from a user answered with the same text, over aiohttp."""

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            api = f"{base_url}/bot{token}"
            async with session.post(f"{api}/getMe", json={}) as response:
                own_id = (await response.json())["result"]["id"]
            tasks: set[asyncio.Task[None]] = set()

            async def answer(chat_id: str, text: str) -> None:
                async with session.post(f"{api}/sendMessage", json={"chat_id": chat_id, "text": text}):
                    pass

            async def hook(request: web.Request) -> web.Response:
                given = request.headers.get(SECRET_HEADER, "").encode()
                if not hmac.compare_digest(given, SECRET.encode()):
                    raise web.HTTPForbidden()
                message = (await request.json()).get("message") or {}
                if message.get("text") and message.get("from", {}).get("id") != own_id:
                    task = asyncio.create_task(answer(message["chat"]["id"], message["text"]))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                return web.json_response({"ok": True})

            app = web.Application()
            app.router.add_post("/zalo/hook", hook)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            body = {"url": PUBLIC_URL, "secret_token": SECRET}
            async with session.post(f"{api}/setWebhook", json=body):
                pass
            await asyncio.Event().wait()

    asyncio.run(main())


def bot_environment(database_url: str, server: FakeZaloServer, port: int) -> dict[str, str]:
    """Return the environment of our bot in webhook mode against the fake."""
    env = bot_env(
        database_url,
        BOT_MOMENT,
        ZALO_BOT_TOKEN=server.token,
        ZALO_API_BASE_URL=server.base_url,
        ZALO_WEBHOOK_URL=PUBLIC_URL,
        ZALO_WEBHOOK_SECRET=SECRET,
        ZALO_QUOTA_RETRY_SECONDS=str(QUOTA_RETRY_SECONDS),
        WEB_PORT=str(port),
    )
    env["LOG_LEVEL"] = "WARNING"
    return env


async def lost_and_doubled(server: FakeZaloServer, users: list[FakeZaloUser]) -> tuple[int, int]:
    """Let late replies arrive, then count those missing from, and beyond, what each chat waited for."""

    def arrived() -> bool:
        return all(len(u.messages) >= awaited.get(u.chat_id, 0) for u in users)

    await server.wait_for(arrived, STEP_TIMEOUT)
    # A reply sent twice would come after the last one awaited.
    await asyncio.sleep(QUOTA_RETRY_SECONDS + 1)
    lost = sum(max(0, awaited.get(u.chat_id, 0) - len(u.messages)) for u in users)
    doubled = sum(max(0, len(u.messages) - awaited.get(u.chat_id, 0)) for u in users)
    return lost, doubled


def cpu_line(name: str, ms: float) -> None:
    """Print a bot process's CPU per update, a figure other work on the machine does not change much."""
    print(f"  {name}: {ms:.1f} ms of CPU per update", flush=True)


def fake() -> FakeZaloServer:
    """Return a Zalo fake echoing the bot's messages, POSTing a few updates at a time."""
    return FakeZaloServer(echo_bot_messages=True, webhook_concurrency=WEBHOOK_CONCURRENCY, quota_seed=SEED)


async def run(count: int, think_scale: float) -> None:
    """Run the echo bot and our bot, each on a Zalo fake of its own, and print the figures."""
    print(
        f"conversations on Zalo: {count} users at once, {len(STEPS)} updates each (the whole /baocao "
        f"form, typed); webhook mode, the fake POSTing {WEBHOOK_CONCURRENCY} updates at a time and "
        f"echoing every bot message; paced think time x{think_scale:g} (seed {SEED}); quota run (paced): "
        f"{QUOTA_SHARE:.0%} of sends answered 429, retried after {QUOTA_RETRY_SECONDS} s",
        flush=True,
    )
    # Each bot on a fake of its own, both started before the first round, so their rounds alternate.
    async with fake() as echo_server, fake() as server:
        echo_port, port = free_port(), free_port()
        echo_server.webhook_target = f"http://127.0.0.1:{echo_port}"
        server.webhook_target = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory(prefix="chibo-zalo-conv-") as tmp:
            database_url = f"sqlite+aiosqlite:///{tmp}/conversations.db"
            ids = await seed(database_url, (SATURATING_ROUNDS + 2) * count, "zalo", zalo_id)
            bot = BotProcess(bot_environment(database_url, server, port), Path(tmp) / "bot.log")
            echo = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.zalo_conversations",
                "--echo-bot",
                echo_server.base_url,
                echo_server.token,
                str(echo_port),
                cwd=ROOT,
            )
            try:
                await bot.start()
                assert bot.process is not None
                await webhook_set(echo_server, 0)
                await webhook_set(server, 0)
                echo_name = "echo bot (bare aiohttp)"
                echo_ids = [FIRST_USER + ECHO_USERS + n for n in range((SATURATING_ROUNDS + 1) * count)]
                *rounds, echo_last = [
                    [echo_server.user(echo_name, zalo_id(i)) for i in batch]
                    for batch in batches(echo_ids, count)
                ]
                echo_bot = Contender(echo_name, rounds, echo_user, echo.pid)
                name = "chibo bot (report form)"
                *rounds, paced_users, users = [
                    [server.user(name, zalo_id(i)) for i in batch] for batch in batches(ids, count)
                ]
                chibo = Contender(name, rounds, secretary, bot.process.pid)
                await side_by_side([echo_bot, chibo])
                cpu_line(echo_name, echo_bot.cpu_ms_per_update())
                cpu_line(name, chibo.cpu_ms_per_update())
                echo_paced, seconds = await drive(echo_last, echo_user, think_scale)
                summary(f"{echo_name}, paced", echo_paced, seconds)
                paced, seconds = await drive(paced_users, secretary, think_scale)
                summary(f"{name}, paced", paced, seconds, slowest_steps=3)
                server.quota_refusals = QUOTA_SHARE
                quota, seconds = await drive(users, secretary, think_scale)
                summary(f"{name}, paced, {QUOTA_SHARE:.0%} of sends refused 429", quota, seconds)
                lost, doubled = await lost_and_doubled(server, users)
                server.quota_refusals = 0.0
                refused = sum(1 for call in server.calls if call.status == 429)
            finally:
                echo.terminate()
                await echo.wait()
                await bot.stop()
            if chibo.tally.failures or paced.failures or quota.failures:
                problems = [line for line in bot.log().splitlines() if "ERROR" in line or "WARNING" in line]
                print("\n".join(problems)[-3000:])
    p95 = percentile([1000 * x for x in paced.latencies], 95)
    echo_p95 = percentile([1000 * x for x in echo_paced.latencies], 95)
    print(f"chibo / echo updates/s (saturating): {chibo.rate / echo_bot.rate:.2f} (goal >= 0.5)")
    chibo_cpu, echo_cpu = chibo.cpu_ms_per_update(), echo_bot.cpu_ms_per_update()
    print(f"chibo / echo CPU per update: {chibo_cpu / echo_cpu:.1f}x ({chibo_cpu:.1f} / {echo_cpu:.1f} ms)")
    print(f"chibo p95 reply (paced): {p95:.0f} ms (goal < 150 ms; echo bot {echo_p95:.0f} ms)")
    awaited_total = sum(awaited.get(u.chat_id, 0) for u in users)
    print(
        f"quota run: {refused} sends answered 429; of {awaited_total} replies, lost {lost}, "
        f"sent twice {doubled} (goal 0 and 0)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--echo-bot":
        run_echo_bot(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit("run it as python -m bench.conversations --channel zalo")
