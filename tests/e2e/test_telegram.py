"""End to end on Telegram: the real bot process against a fake Bot API server over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_env
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    """Run the fake Telegram Bot API server."""
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, telegram: FakeTelegramServer) -> dict[str, str]:
    """Point a bot process at the fake server and a fresh SQLite file with the demo ward."""
    environment = bot_env(
        f"sqlite+aiosqlite:///{tmp_path}/chibo.db",
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        TELEGRAM_API_FILE_URL=telegram.base_file_url,
        TELEGRAM_POLL_TIMEOUT="1",
    )
    admin(environment, "demo")
    return environment


@pytest.fixture
async def bot(env: dict[str, str], tmp_path: Path) -> AsyncIterator[BotProcess]:
    """Run the bot process for one test."""
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()
    assert TEST_TOKEN.split(":")[1] not in process.log()


async def test_new_secretary_joins_with_invite_and_gets_menu(
    telegram: FakeTelegramServer, env: dict[str, str], bot: BotProcess
) -> None:
    """A secretary sends /start CODE, presses «Xác nhận», and is greeted with the role menu."""
    code = admin(env, "invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An").splitlines()[-1]
    user = telegram.user(5001, first_name="An")
    await user.send_text(f"/start {code}")
    [question] = await user.wait_for_messages(1, timeout=20)
    assert "Bí thư Chi bộ 12" in question.text
    await user.press_button(question, "Xác nhận")
    greeting, menu = await user.wait_for_messages(2)
    assert greeting.text == "Chào đồng chí Nguyễn Văn An, Bí thư Chi bộ 12."
    assert "/help" in menu.text
    assert telegram.answered_callbacks


async def test_unknown_user_is_told_how_to_join(telegram: FakeTelegramServer, bot: BotProcess) -> None:
    """Someone without an invite gets the joining explanation and nothing else."""
    user = telegram.user(5002, first_name="Lạ")
    await user.send_text("/baocao")
    [reply] = await user.wait_for_messages(1, timeout=20)
    assert "mã mời" in reply.text


async def test_duplicate_update_is_answered_once(telegram: FakeTelegramServer, bot: BotProcess) -> None:
    """An update delivered twice by the server gets a single answer."""
    user = telegram.user(5003, first_name="Lạ")
    update = await user.send_text("xin chào")
    await user.wait_for_messages(1, timeout=20)
    await telegram.redeliver(update["update_id"])
    await user.send_text("/help")
    [reply] = await user.wait_for_messages(1)
    assert "mã mời" in reply.text
    with pytest.raises(AssertionError):
        await user.wait_for_messages(1, timeout=2)


async def test_flow_resumes_after_the_process_is_killed(
    telegram: FakeTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """Killed mid-flow, a second process picks up at the same step."""
    code = admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà", "--title", "Ủy viên UBKT").splitlines()[-1]
    first = BotProcess(env, tmp_path / "first.log")
    await first.start()
    user = telegram.user(5004, first_name="Hà")
    await user.send_text(code)
    [question] = await user.wait_for_messages(1, timeout=20)
    await user.press_button(question, "Xác nhận")
    await user.wait_for_messages(2)
    await user.send_text("/moi")
    opening, role_question = await user.wait_for_messages(2)
    assert "quay lại" in opening.text
    await user.press_button(role_question, "Đảng viên")
    [cell_question] = await user.wait_for_messages(1)
    await first.kill()

    second = BotProcess(env, tmp_path / "second.log")
    await second.start()
    try:
        await user.press_button(cell_question, "Chi bộ 14")
        [name_question] = await user.wait_for_messages(1, timeout=20)
        assert "Họ và tên người được mời" in name_question.text
        await user.send_text("Vũ Văn Minh")
        [summary] = await user.wait_for_messages(1)
        assert "Đảng viên" in summary.text and "Chi bộ 14" in summary.text and "Vũ Văn Minh" in summary.text
    finally:
        await second.stop()
