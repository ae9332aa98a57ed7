"""End to end on Telegram: a secretary sends the cell's roster file in chat and imports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e

ROSTER_CSV = (
    "Họ và tên,Năm sinh,Loại,Miễn sinh hoạt\nLê Văn Tâm,1980,chính thức,không\nPhan Thị Nga,1990,dự bị,\n"
)


async def test_roster_file_sent_in_chat_is_previewed_then_imported(
    telegram: FakeTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """The bot downloads the document, previews its rows, and writes them only after «Xác nhận».

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    code = admin(
        env, "invite", "--role", "secretary", "--cell", "Chi bộ 14", "--name", "Nguyễn Văn An"
    ).splitlines()[-1]
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    try:
        user = telegram.user(5101, first_name="An")
        await user.send_text(f"/start {code}")
        [question] = await user.wait_for_messages(1, timeout=20)
        await user.press_button(question, "Xác nhận")
        await user.wait_for_messages(2)
        await user.send_text("/dangvien")
        *_, roster = await user.wait_for_messages(1)
        assert "Chi bộ 14" in roster.text
        await user.press_button(roster, "Nhập danh sách từ tệp")
        await user.wait_for_messages(1)
        await user.send_document(ROSTER_CSV.encode(), "danh-sach.csv")
        [preview] = await user.wait_for_messages(1)
        assert "hợp lệ: 2 đồng chí (1 dự bị, 0 miễn sinh hoạt)" in preview.text
        await user.press_button(preview, "Xác nhận")
        [done] = await user.wait_for_messages(1)
        assert done.text == "Đã nhập 2 đồng chí vào danh sách Chi bộ 14."
        assert "Chi bộ 14 (khu dân cư): 29 đảng viên" in admin(env, "list")
    finally:
        await process.stop()
    assert TEST_TOKEN.split(":")[1] not in process.log()
