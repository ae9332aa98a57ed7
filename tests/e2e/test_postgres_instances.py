"""Several bot processes on one PostgreSQL database behave as one bot."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.messages import Outbound
from storage import outbox
from storage.db import Database
from tests.conftest import POSTGRES_URL, new_postgres_database
from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_clock, bot_env, free_port
from tests.e2e.test_telegram_report import answer, press
from tests.fakes.telegram_api import FakeTelegramServer, SentMessage

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not POSTGRES_URL, reason="needs CHIBO_TEST_POSTGRES_URL (CI starts a PostgreSQL server)"
    ),
]

REMINDERS = 1000
WEBHOOK_SECRET = "instances-test-secret"


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """Create an empty PostgreSQL database for the processes; they migrate it themselves."""
    async with new_postgres_database("chibo_instances") as url:
        yield url


@pytest.fixture
async def instances(
    database_url: str, telegram: FakeTelegramServer, tmp_path: Path
) -> AsyncIterator[list[tuple[BotProcess, str]]]:
    """Start two bot processes in webhook mode on one database; yield each with its webhook URL."""
    started = []
    for index in range(2):
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram"
        env = bot_env(
            database_url,
            TELEGRAM_BOT_TOKEN=TEST_TOKEN,
            TELEGRAM_API_BASE_URL=telegram.base_url,
            TELEGRAM_API_FILE_URL=telegram.base_file_url,
            TELEGRAM_WEBHOOK_URL=url,
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_PORT=str(port),
            DISPATCH_INTERVAL_SECONDS="0.2",
            DISPATCH_RATE_PER_SECOND="500",
        )
        process = BotProcess(env, tmp_path / f"bot-{index}.log")
        await process.start()
        started.append((process, url))

    def registered() -> bool:
        return sum(call.method.lower() == "setwebhook" for call in telegram.calls) == 2

    await telegram.wait_for(registered, timeout=60, description="both webhooks set")
    # The admin CLI runs in a thread: the fake server shares this event loop and must keep answering.
    await asyncio.to_thread(admin, started[0][0].env, "demo")
    yield started
    for process, _ in started:
        await process.stop()


async def test_each_planned_reminder_is_delivered_exactly_once(
    instances: list[tuple[BotProcess, str]], telegram: FakeTelegramServer, database_url: str
) -> None:
    """Two dispatchers drain 1,000 planned messages with no message lost or sent twice.

    Time: both bots run at the test's moment (BOT_MOMENT); the messages go to chats, not people,
    so no quiet hours apply.
    """
    database = Database.from_url(database_url)
    now = bot_clock(instances[0][0].env).now()
    async with database.begin() as conn:
        for n in range(REMINDERS):
            chat_id = str(100_000 + n)
            await outbox.plan(
                conn,
                outbox.to_chat("telegram", chat_id),
                Outbound(f"Nhắc việc số {n}"),
                kind="instances_test",
                key="once",
                due_at=now,
                now=now,
            )
    await database.dispose()

    def sent() -> list[SentMessage]:
        return [m for n in range(REMINDERS) for m in telegram.sent_to(100_000 + n)]

    await telegram.wait_for(lambda: len(sent()) >= REMINDERS, timeout=120, description="1,000 reminders")
    await asyncio.sleep(2)
    per_chat = Counter(m.chat_id for m in sent())
    assert len(per_chat) == REMINDERS and set(per_chat.values()) == {1}
    logs = [process.log() for process, _ in instances]
    assert all("outbox" not in log or "Traceback" not in log for log in logs)


async def test_one_conversation_across_alternating_processes_files_a_whole_report(
    instances: list[tuple[BotProcess, str]], telegram: FakeTelegramServer
) -> None:
    """Each step of a report lands on the other process, and the report comes out whole.

    Time: both bots run at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    urls = [url for _, url in instances]
    env = instances[0][0].env
    step = 0

    def next_process() -> None:
        """Route the next update to the other process, as a load balancer would."""
        nonlocal step
        telegram.webhook_url = urls[step % 2]
        step += 1

    invite = ("invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An")
    code = (await asyncio.to_thread(admin, env, *invite)).splitlines()[-1]
    secretary = telegram.user(7002, first_name="An")
    next_process()
    question = await answer(secretary, f"/start {code}")
    next_process()
    await secretary.press_button(question, 0)
    await secretary.wait_for_messages(2)
    next_process()
    await secretary.send_text("/baocao")
    *_, usual = await secretary.wait_for_messages(3, timeout=20)
    next_process()
    # The demo ward's history has last month's report: its details are offered first, typed anew here.
    month = await press(secretary, usual, "Nhập từng mục")
    month_label = month.button_labels()[0]
    next_process()
    kind = await press(secretary, month, month_label)
    next_process()
    await press(secretary, kind, "Thường kỳ")
    _, month_number, year = month_label.replace("/", " ").split()
    # The demo's history has this cell's last month filed, so the current month is offered: its 2nd is past.
    for typed in (f"02/{month_number}/{year}", "19h30", "không", "không"):
        next_process()
        await answer(secretary, typed)
    next_process()
    first_reason = await answer(secretary, "2, 8")
    next_process()
    second_reason = await press(secretary, first_reason, "Ốm")
    next_process()
    await press(secretary, second_reason, "Không có lý do")
    for typed in (
        "1",
        "3",
        "không",
        "Học tập tấm gương trung thực của Bác",
        "không",
        "Đã thu đảng phí.",
        "Trồng cây trong tháng tới.",
    ):
        next_process()
        await answer(secretary, typed)
    next_process()
    quality = await answer(secretary, "không")
    next_process()
    summary = await press(secretary, quality, "Tốt")
    next_process()
    confirmation = await press(secretary, summary, "Gửi")
    found = re.search(r"Mã báo cáo: (BC\d{4})", confirmation.text)
    assert found is not None
    next_process()
    full = await answer(secretary, f"/xembaocao {found[1]}")
    assert "Vắng không lý do (1)" in full.text and "Học tập tấm gương trung thực của Bác" in full.text
    assert all("Traceback" not in process.log() for process, _ in instances)
