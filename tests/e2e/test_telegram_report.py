"""End to end on Telegram: a secretary files a whole report, a committee member receives the notice."""

from __future__ import annotations

import re

import pytest

from tests.e2e.botprocess import BotProcess, admin
from tests.fakes.telegram_api import FakeTelegramServer, FakeUser, SentMessage

pytestmark = pytest.mark.e2e


async def join(telegram: FakeTelegramServer, env: dict[str, str], user_id: int, *invite: str) -> FakeUser:
    """Create an invite with the admin CLI and join with it on Telegram."""
    code = admin(env, "invite", *invite).splitlines()[-1]
    user = telegram.user(user_id, first_name="Đồng chí")
    await accept(user, code)
    return user


async def accept(user: FakeUser, code: str) -> SentMessage:
    """Join with an invite code on Telegram, pressing «Xác nhận»; return the greeting."""
    await user.send_text(f"/start {code}")
    [question] = await user.wait_for_messages(1, timeout=20)
    await user.press_button(question, "Xác nhận")
    greeting, _menu = await user.wait_for_messages(2)
    return greeting


async def answer(user: FakeUser, text: str) -> SentMessage:
    """Type an answer and return the next question."""
    await user.send_text(text)
    [reply] = await user.wait_for_messages(1)
    return reply


async def press(user: FakeUser, message: SentMessage, label: str) -> SentMessage:
    """Press a button and return the next question."""
    await user.press_button(message, label)
    [reply] = await user.wait_for_messages(1)
    return reply


async def test_secretary_files_a_report_and_committee_is_notified(
    telegram: FakeTelegramServer, env: dict[str, str], bot: BotProcess
) -> None:
    """Buttons and typed answers file a report; the committee member who joined gets the notice.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    inspector = await join(
        telegram, env, 6001, "--role", "committee", "--name", "Đỗ Thị Hà", "--title", "Ủy viên UBKT"
    )
    secretary = await join(
        telegram, env, 6002, "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An"
    )

    await secretary.send_text("/baocao")
    *_, usual = await secretary.wait_for_messages(3)
    # The demo ward's history has last month's report: its details are offered first, typed anew here.
    month = await press(secretary, usual, "Nhập từng mục")
    month_label = month.button_labels()[0]
    kind = await press(secretary, month, month_label)
    await press(secretary, kind, "Thường kỳ")
    _, month_number, year = month_label.replace("/", " ").split()
    # The demo ward's history has this cell's last month filed: the month offered is the current one,
    # whose 2nd day is past at BOT_MOMENT (03/03).
    await answer(secretary, f"02/{month_number}/{year}")
    await answer(secretary, "19h30")
    await answer(secretary, "không")
    absent = await answer(secretary, "không")
    assert "Đồng chí nào vắng họp?" in absent.text and "phải dự họp" in absent.text
    first_reason = await answer(secretary, "2, 8")
    second_reason = await press(secretary, first_reason, "Ốm")
    chair = await press(secretary, second_reason, "Không có lý do")
    assert "Đồng chí nào chủ trì" in chair.text
    study, review = "Học tập tấm gương trung thực của Bác", "Đã thu đảng phí.\nChưa xong: trồng cây."
    for typed in ("1", "3", "không", study, "không", review, "Trồng cây trong tháng tới."):
        await answer(secretary, typed)
    quality = await answer(secretary, "không")
    assert "Vắng không lý do: 1 đồng chí" in quality.text
    summary = await press(secretary, quality, "Tốt")
    assert "Tự đánh giá chất lượng: Tốt" in summary.text
    confirmation = await press(secretary, summary, "Gửi")
    found = re.search(r"Mã báo cáo: (BC\d{4})", confirmation.text)
    assert found is not None
    code = found[1]

    [notice] = await inspector.wait_for_messages(1, timeout=20)
    assert "Chi bộ 12 đã gửi báo cáo sinh hoạt thường kỳ" in notice.text and code in notice.text
    full = await answer(inspector, f"/xembaocao {code}")
    assert "Vắng không lý do (1)" in full.text
