"""/healthz and /metrics on the bot's web server, the scheduled backup, and forgetting old updates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client import CollectorRegistry

import handlers
from admin.demo_data import DemoWard
from channels.webserver import OpsRoutes, WebServer
from core.app import App
from core.channel import SendError
from core.health import Health
from core.messages import Inbound
from core.metrics import Metrics
from domain.clock import FixedClock
from schedules.backups import BackupJob
from schedules.dispatcher import Dispatcher
from schedules.planners import run_planners
from storage import conversations
from storage.db import Database
from tests.conftest import Chat
from tests.e2e.botprocess import free_port
from tests.fakes.recording_channel import RecordingChannel, bind_everyone
from tests.test_dispatcher import plan


@dataclass
class Switch:
    """A channel's running state, set by the test."""

    running: bool = True


@dataclass
class Ops:
    """The web server of a test, and what it reports on."""

    url: str
    metrics: Metrics
    health: Health
    channels: dict[str, Switch]


@pytest.fixture
async def ops(db: Database) -> AsyncIterator[Ops]:
    """Serve /healthz and /metrics for two running channels on a free port."""
    metrics = Metrics(CollectorRegistry())
    channels = {"telegram": Switch(), "zalo": Switch()}
    health = Health(db, channels)
    server = WebServer("127.0.0.1", free_port())
    OpsRoutes(health, metrics, db).mount(server)
    stop = asyncio.Event()
    task = asyncio.create_task(server.run(stop))
    await server.started.wait()
    yield Ops(f"http://127.0.0.1:{server.port}", metrics, health, channels)
    stop.set()
    await task


async def get(url: str) -> tuple[int, str]:
    """GET a URL and return its status and body."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def test_healthz_is_200_when_the_database_answers_and_channels_run(ops: Ops) -> None:
    """A healthy bot answers 200 with status ok."""
    assert await get(f"{ops.url}/healthz") == (200, '{"status": "ok"}')


async def test_healthz_is_503_naming_a_stopped_channel(ops: Ops) -> None:
    """A configured channel that stopped turns the check to 503 with the reason."""
    ops.channels["zalo"].running = False
    status, body = await get(f"{ops.url}/healthz")
    assert status == 503 and "Kênh zalo không chạy." in body and "telegram" not in body


async def test_healthz_is_503_when_the_database_does_not_answer(ops: Ops, db: Database) -> None:
    """A database that cannot be reached turns the check to 503."""
    ops.health.db = Database.from_url("postgresql+asyncpg://chibo@127.0.0.1:1/chibo")
    try:
        status, body = await get(f"{ops.url}/healthz")
    finally:
        await ops.health.db.dispose()
    assert status == 503 and "Cơ sở dữ liệu không trả lời." in body


async def test_a_failed_backup_is_counted_and_unhealthy_until_the_next_good_one(
    ops: Ops, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """A backup that cannot be written shows in /metrics and /healthz until one succeeds."""
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    job = BackupJob(db, clock, blocked, 14, ops.health, ops.metrics)
    assert await job.run() is None
    status, body = await get(f"{ops.url}/healthz")
    assert status == 503 and "sao lưu lúc 09:00 10/09/2015 không thành công" in body
    assert 'chibo_backups_total{result="failed"} 1.0' in (await get(f"{ops.url}/metrics"))[1]
    job.directory = tmp_path / "backups"
    clock.advance(timedelta(days=1))
    assert await job.run() is not None
    assert (await get(f"{ops.url}/healthz"))[0] == 200
    text = (await get(f"{ops.url}/metrics"))[1]
    assert 'chibo_backups_total{result="ok"} 1.0' in text
    last_good = ops.metrics.registry.get_sample_value("chibo_last_good_backup_timestamp_seconds")
    assert "chibo_last_good_backup_timestamp_seconds " in text and last_good == clock.now().timestamp()


async def test_metrics_count_updates_latency_outbox_sends_and_the_last_tick(
    ops: Ops, db: Database, clock: FixedClock, ward: DemoWard, app: App
) -> None:
    """Handling and sending (replies and reminders) show up by channel and outcome, the outbox by state."""
    people = await bind_everyone(db, clock)
    counted = App(app.services, handlers.all_commands(), handlers.all_forms(), ops.metrics)
    chat = Chat(counted, people[ward.cells[0].secretary][1])
    replies = len(await chat.say("/help")) + len(await chat.say("/help"))
    for person_id, _ in list(people.values())[:3]:
        await plan(db, clock, person_id)
    channel = RecordingChannel(clock)
    channel.errors = [SendError("Too Many Requests", retry_after=3), SendError("blocked", permanent=True)]
    dispatcher = Dispatcher(
        db, clock, {"test": channel}, metrics=ops.metrics, sleep=lambda s: asyncio.sleep(0)
    )
    while await dispatcher.tick():
        pass
    text = (await get(f"{ops.url}/metrics"))[1]
    assert 'chibo_updates_total{channel="test",outcome="ok"} 2.0' in text
    assert 'chibo_handler_seconds_count{channel="test"} 2.0' in text
    assert 'chibo_sends_total{channel="test",result="429"} 1.0' in text
    assert 'chibo_sends_total{channel="test",result="blocked"} 1.0' in text
    assert f'chibo_sends_total{{channel="test",result="ok"}} {1 + replies}.0' in text
    assert 'chibo_outbox_rows{kind="report_reminder",state="sent"} 1.0' in text
    assert 'chibo_outbox_rows{kind="report_reminder",state="failed"} 1.0' in text
    assert 'chibo_outbox_rows{kind="report_reminder",state="unknown"} 0.0' in text
    last_tick = ops.metrics.registry.get_sample_value("chibo_dispatcher_last_tick_timestamp_seconds")
    assert "chibo_dispatcher_last_tick_timestamp_seconds " in text and last_tick == clock.now().timestamp()


async def test_an_update_handled_twice_counts_as_duplicate(db: Database, clock: FixedClock, app: App) -> None:
    """The same update delivered again is counted as a duplicate, not handled."""
    metrics = Metrics(CollectorRegistry())
    counted = App(app.services, handlers.all_commands(), handlers.all_forms(), metrics)
    inbound = Inbound(
        channel="test", chat_id="stranger", sender_id="stranger", update_key="u1", text="xin chào"
    )
    for _ in range(2):
        await counted.handle(inbound, RecordingChannel(clock))
    for outcome in ("ok", "duplicate"):
        labels = {"channel": "test", "outcome": outcome}
        assert metrics.registry.get_sample_value("chibo_updates_total", labels) == 1


async def test_the_planners_forget_updates_processed_over_30_days_ago(
    db: Database, clock: FixedClock
) -> None:
    """Processed-update rows older than 30 days are pruned; newer ones are kept against redelivery."""
    async with db.begin() as conn:
        await conversations.claim_update(conn, "zalo", "old", clock.now() - timedelta(days=31))
        await conversations.claim_update(conn, "zalo", "recent", clock.now() - timedelta(days=29))
    await run_planners(db, clock)
    async with db.begin() as conn:
        assert await conversations.claim_update(conn, "zalo", "old", clock.now())
        assert not await conversations.claim_update(conn, "zalo", "recent", clock.now())
