"""End to end on Telegram: the real bot process against a fake Bot API server over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.botprocess import BotProcess, admin
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e


async def test_new_secretary_joins_with_invite_and_gets_menu(
    telegram: FakeTelegramServer, env: dict[str, str], bot: BotProcess
) -> None:
    """A secretary sends /start CODE, presses «Xác nhận», and is greeted with the role menu.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    code = admin(
        env, "invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An"
    ).splitlines()[-1]
    user = telegram.user(5001, first_name="An")
    await user.send_text(f"/start {code}")
    [question] = await user.wait_for_messages(1, timeout=20)
    assert "Bí thư Chi bộ 12" in question.text
    await user.press_button(question, "Xác nhận")
    greeting, menu = await user.wait_for_messages(2)
    assert greeting.text == "Chào đồng chí Nguyễn Văn An, Bí thư Chi bộ 12."
    assert "/help" in menu.text
    assert telegram.answered_callbacks
    # The pressed keyboard is gone by the time the answer arrives, so it cannot be pressed again.
    assert question.reply_markup is None


async def test_unknown_user_is_told_how_to_join(telegram: FakeTelegramServer, bot: BotProcess) -> None:
    """Someone without an invite gets the joining explanation and nothing else.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    user = telegram.user(5002, first_name="Lạ")
    await user.send_text("/baocao")
    [reply] = await user.wait_for_messages(1, timeout=20)
    assert "mã mời" in reply.text


async def test_duplicate_update_is_answered_once(telegram: FakeTelegramServer, bot: BotProcess) -> None:
    """An update delivered twice by the server gets a single answer.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
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
    """Killed mid-flow, a second process picks up at the same step.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    code = admin(
        env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà", "--title", "Ủy viên UBKT"
    ).splitlines()[-1]
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
        [member_question] = await user.wait_for_messages(1, timeout=20)
        assert "danh sách chi bộ" in member_question.text
        invitee = member_question.button_labels()[0]
        await user.press_button(member_question, invitee)
        [summary] = await user.wait_for_messages(1)
        assert "Đảng viên" in summary.text and "Chi bộ 14" in summary.text and invitee in summary.text
    finally:
        await second.stop()
