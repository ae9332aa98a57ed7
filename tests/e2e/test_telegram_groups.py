"""End to end in a Telegram group chat: only what is meant for the group is answered there."""

from __future__ import annotations

import pytest

from tests.e2e.botprocess import BotProcess, admin
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e

PRIVATE_ONLY = "Đề nghị đồng chí nhắn riêng cho trợ lý."
GROUP_ID = -100900


async def test_group_gets_no_form_and_binds_no_code(
    telegram: FakeTelegramServer, env: dict[str, str], bot: BotProcess
) -> None:
    """In a group, /moi opens no form and a typed code binds nobody; /nhomtonghop is answered there.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    chief_code = admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà").splitlines()[-1]
    chief = telegram.user(6001, first_name="Hà")
    await chief.send_text(chief_code)
    [question] = await chief.wait_for_messages(1, timeout=20)
    await chief.press_button(question, "Xác nhận")
    await chief.wait_for_messages(2)

    in_group = chief.in_group(GROUP_ID)
    await in_group.send_text("/moi@chibo_bot")
    [refusal] = await in_group.wait_for_messages(1)
    assert refusal.text == PRIVATE_ONLY and not refusal.inline_buttons()

    secretary_code = admin(
        env, "invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An"
    ).splitlines()[-1]
    newcomer = telegram.user(6002, first_name="An").in_group(GROUP_ID)
    await newcomer.send_text(secretary_code)
    # Everything the group reads is read through one member, in the order it arrived.
    [refusal] = await in_group.wait_for_messages(1)
    assert refusal.text == PRIVATE_ONLY
    # The code is still there to be used in the newcomer's private chat.
    private = telegram.user(6002)
    await private.send_text(secretary_code)
    [question] = await private.wait_for_messages(1)
    assert "Bí thư Chi bộ 12" in question.text

    await in_group.send_text("/nhomtonghop@chibo_bot")
    [registered] = await in_group.wait_for_messages(1)
    assert "Nhóm chat này sẽ nhận bản tổng hợp định kỳ" in registered.text
