"""Two bot processes on one PostgreSQL database share one Zalo webhook stream and behave as one bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, new_postgres_database
from tests.e2e.botprocess import BotProcess, admin, bot_env, free_port
from tests.fakes.zalo_api import FakeZaloServer, FakeZaloUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not POSTGRES_URL, reason="needs CHIBO_TEST_POSTGRES_URL (CI starts a PostgreSQL server)"
    ),
]

PUBLIC_WEBHOOK_URL = "https://chibo.example.vn/zalo/hook"
WEBHOOK_SECRET = "instances-webhook-secret"


@pytest.fixture
async def instances(zalo: FakeZaloServer, tmp_path: Path) -> AsyncIterator[list[BotProcess]]:
    """Start two bot processes in webhook mode on one fresh database, each POST going to the next."""
    async with new_postgres_database("chibo_zalo_instances") as database_url:
        started = []
        for index in range(2):
            port = free_port()
            zalo.webhook_targets.append(f"http://127.0.0.1:{port}")
            env = bot_env(
                database_url,
                ZALO_BOT_TOKEN=zalo.token,
                ZALO_API_BASE_URL=zalo.base_url,
                ZALO_WEBHOOK_URL=PUBLIC_WEBHOOK_URL,
                ZALO_WEBHOOK_SECRET=WEBHOOK_SECRET,
                WEB_PORT=str(port),
            )
            process = BotProcess(env, tmp_path / f"bot-{index}.log")
            await process.start()
            started.append(process)
        assert await zalo.wait_for(lambda: len(zalo.calls_of("setWebhook")) == 2, 60)
        # The admin CLI runs in a thread: the fake server shares this event loop and must keep answering.
        await asyncio.to_thread(admin, started[0].env, "demo")
        yield started
        for process in started:
            await process.stop()


async def answer(user: FakeZaloUser, text: str, expect: str, replies: int = 1) -> str:
    """Type one answer and return the text of its reply, which must come alone and say `expect`."""
    await user.send_text(text)
    *_, last = await user.wait_for_messages(replies, timeout=20)
    assert expect in last.text, last.text
    return last.text


async def test_a_report_filed_across_alternating_instances_comes_out_whole(
    instances: list[BotProcess], zalo: FakeZaloServer
) -> None:
    """With every webhook POST going to the other process, a secretary joins and files a whole report.

    Time: both bots run at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    invite = ("invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An")
    code = (await asyncio.to_thread(admin, instances[0].env, *invite)).splitlines()[-1]
    secretary = zalo.user("An")
    await answer(secretary, f"/start {code}", "1. Xác nhận")
    await answer(secretary, "1", "/help", replies=2)
    # The demo ward's history has last month's report: its details are offered first, typed anew here.
    await answer(secretary, "/baocao", "2. Nhập từng mục", replies=3)
    month = await answer(secretary, "2", "1. Tháng ")
    _, month_number, year = month.split("1. ", 1)[1].splitlines()[0].replace("/", " ").split()
    await answer(secretary, "1", "Thường kỳ")
    steps = [
        ("thuong ky", f"tháng {int(month_number)}/{year}"),
        # Last month is filed, so the month offered is the current one: its 2nd is past at BOT_MOMENT.
        (f"02/{month_number}/{year}", "bắt đầu lúc mấy giờ"),
        ("19h30", "kết thúc lúc mấy giờ"),
        ("không", "ở đâu"),
        ("không", "Điểm danh"),
        ("2, 8", "Vắng họp (1/2)"),
        ("1", "Vắng họp (2/2)"),
        ("khong co ly do", "chủ trì"),
        ("1", "thư ký"),
        ("3", "Khách mời"),
        ("không", "Hồ Chí Minh"),
        ("Học tập tấm gương trung thực của Bác", "cấp trên"),
        ("không", "tháng trước"),
        ("Đã thu đảng phí.\nChưa xong: trồng cây.", "tháng tới"),
        ("Trồng cây trong tháng tới.", "Biểu quyết"),
        ("không", "Vắng không lý do: 1 đồng chí"),
        ("1", "«Gửi»"),
        ("gui", "Mã báo cáo: BC"),
    ]
    for typed, expect in steps:
        confirmation = await answer(secretary, typed, expect)
    code = confirmation.split("Mã báo cáo: ", 1)[1][:6]
    full = await secretary.ask(f"/xembaocao {code}", "Học tập tấm gương trung thực của Bác")
    assert "Vắng không lý do (1)" in full.text
    # Each reply came once: nothing more arrives once every update has been delivered and handled.
    assert await zalo.wait_for(lambda: zalo.pending == 0, 10)
    await asyncio.sleep(1)
    assert secretary.messages[-1] == full
    from_user = [d for d in zalo.deliveries if d.update["message"]["from"]["id"] == secretary.user_id]
    assert {d.url for d in from_user} == {f"{target}/zalo/hook" for target in zalo.webhook_targets}
    assert all("Traceback" not in process.log() for process in instances)
