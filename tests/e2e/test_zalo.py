"""End to end on Zalo: the real bot process against a fake Zalo Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_env
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer, FakeZaloUser

pytestmark = pytest.mark.e2e

WEBHOOK_SECRET = "webhook-secret-for-tests"


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    """Run the fake Zalo Bot API server."""
    async with FakeZaloServer() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, zalo: FakeZaloServer) -> dict[str, str]:
    """Point a bot process at the fake Zalo server and a fresh SQLite file with the demo ward."""
    environment = bot_env(
        f"sqlite+aiosqlite:///{tmp_path}/chibo.db",
        ZALO_BOT_TOKEN=zalo.token,
        ZALO_API_BASE_URL=zalo.base_url,
        ZALO_POLL_TIMEOUT="2",
    )
    admin(environment, "demo")
    return environment


async def start_bot(env: dict[str, str], log_path: Path) -> BotProcess:
    """Start a bot process."""
    process = BotProcess(env, log_path)
    await process.start()
    return process


async def stop_bot(process: BotProcess, token: str) -> str:
    """Stop a bot process, check its log never shows the token, and return the log."""
    await process.stop()
    log = process.log()
    assert token.split(":")[1] not in log
    return log


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_secretary_joins_and_fills_a_form_by_numbered_replies(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """A committee member joins with a code, then creates an invite by typing numbers and labels."""
    bot = await start_bot(env, tmp_path / "bot.log")
    try:
        user = zalo.user("Hà")
        code = admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà", "--title", "Ủy viên UBKT").splitlines()[-1]
        question = await user.ask(f"/start {code}", "1. Xác nhận", timeout=20)
        assert "Ủy viên UBKT" in question.text and "Trả lời 1, 2" in question.text
        await user.ask("xac nhan", "Chào đồng chí Đỗ Thị Hà, Ủy viên UBKT.")
        await user.wait_for_text("/moi")
        role = await user.ask("/moi", "3. Đảng viên")
        assert "Trả lời 1, 2, 3, 4" in role.text
        await user.ask("3", "2. Chi bộ 14")
        await user.ask("chi bo 14", "Họ và tên người được mời")
        summary = await user.ask("Vũ Văn Minh", "Vũ Văn Minh")
        assert "Đảng viên" in summary.text and "Chi bộ 14" in summary.text
        created = await user.ask("gui", "Mã mời:")
        assert "/start" in created.text
        assert all(call.status in (200, 408) for call in zalo.calls)
    finally:
        await stop_bot(bot, zalo.token)
