"""End to end, issue 16's attacks played against one running bot: Telegram by polling, Zalo by webhook.

The bot process and the fake servers are shared by the module's tests (a start costs seconds);
each test plays its own people, who join with codes the committee member makes with /moi.
Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from io import BytesIO

import pytest
import pytest_asyncio
from docx import Document

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_env, with_telegram
from tests.e2e.test_telegram_report import accept, answer, press
from tests.e2e.test_zalo import WEBHOOK_SECRET, webhook_env
from tests.e2e.test_zalo import accept as accept_on_zalo
from tests.fakes.telegram_api import FakeTelegramServer, FakeUser, SentMessage
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer
from tests.test_roster_file import undimensioned_xlsx
from tests.test_zalo_webhook import post_raw
from texts import common as tc
from texts.exports import FORMAT_DOCX, FORMAT_XLSX

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

CHIEF = "Đỗ Thị Hà"
WARD = "Đảng bộ phường Phúc Lợi"
INTERNAL_ERROR = tc.internal_error()
WRONG_CODES = ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"]


@dataclass
class Ward:
    """The running bot, the fake servers it talks to, and the committee member who makes invites."""

    telegram: FakeTelegramServer
    zalo: FakeZaloServer
    env: dict[str, str]
    bot: BotProcess
    chief: FakeUser


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ward(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ward]:
    """Run one bot on the demo ward for the module, with a committee member joined on Telegram."""
    folder = tmp_path_factory.mktemp("attacks")
    async with FakeTelegramServer() as telegram, FakeZaloServer() as zalo:
        database = f"sqlite+aiosqlite:///{folder}/chibo.db"
        env = bot_env(database, ZALO_BOT_TOKEN=zalo.token, ZALO_API_BASE_URL=zalo.base_url)
        env = webhook_env(with_telegram(env, telegram), zalo)
        admin(env, "demo")
        code = admin(env, "invite", "--role", "committee", "--name", CHIEF).splitlines()[-1]
        bot = BotProcess(env, folder / "bot.log")
        await bot.start()
        try:
            chief = telegram.user(6100, first_name="Hà")
            await accept(chief, code)
            assert await zalo.wait_for(lambda: zalo.webhook_url is not None, 20)
            yield Ward(telegram, zalo, env, bot, chief)
        finally:
            await bot.stop()
    log = bot.log()
    assert TEST_TOKEN.split(":")[1] not in log and zalo.token.split(":")[1] not in log
    assert WEBHOOK_SECRET not in log and "Traceback" not in log


async def invite(ward: Ward, role: str, cell: str | None = None, name: str | None = None) -> str:
    """Have the committee member make an invite with /moi and return its code."""
    chief = ward.chief
    await chief.send_text("/moi")
    _, question = await chief.wait_for_messages(2)
    question = await press(chief, question, role)
    if cell is not None:
        question = await press(chief, question, cell)
    if role == "Ủy viên Đảng ủy / UBKT":
        question = await answer(chief, "không")
    if name is None:
        summary = await answer(chief, "không")
    elif question.inline_buttons():
        summary = await press(chief, question, name)
    else:
        summary = await answer(chief, name)
    created = await press(chief, summary, "Gửi")
    return next(line.split(": ")[1] for line in created.text.splitlines() if line.startswith("Mã mời:"))


async def join(ward: Ward, user_id: int, role: str, cell: str | None, name: str) -> FakeUser:
    """Invite someone with /moi and have them join on Telegram."""
    user = ward.telegram.user(user_id, first_name=name.split()[-1])
    await accept(user, await invite(ward, role, cell, name))
    return user


async def run_admin(ward: Ward, *args: str) -> str:
    """Run the admin command line without holding up the fake servers, which run in this event loop."""
    return await asyncio.to_thread(admin, ward.env, *args)


async def export(user: FakeUser, command: str, *choices: str) -> SentMessage:
    """Run /xuat pressing the given choices, then the first period offered; return the file's message."""
    await user.send_text(command)
    [question] = await user.wait_for_messages(1)
    for choice in choices:
        question = await press(user, question, choice)
    return await press(user, question, 0)


def link_code(sent: SentMessage) -> str:
    """Return the code of a /lienket answer."""
    return next(line.split(": ")[1] for line in sent.text.splitlines() if line.startswith("Mã liên kết:"))


# Identity and access


async def test_link_code_from_someone_else_on_the_same_app_is_refused(ward: Ward) -> None:
    """A committee member on Telegram sending a secretary's Telegram link code stays who they are."""
    secretary = await join(ward, 6201, "Bí thư chi bộ", "Chi bộ 12", "Nguyễn Văn Tài")
    code = link_code(await answer(secretary, "/lienket"))
    refusal = await answer(ward.chief, f"/start {code}")
    assert "chỉ dùng được từ ứng dụng khác Telegram" in refusal.text
    await ward.chief.send_text("/start")
    greeting, _menu = await ward.chief.wait_for_messages(2)
    assert greeting.text.startswith(f"Chào đồng chí {CHIEF}")


async def test_link_code_from_the_other_app_asks_before_a_committee_member_changes(ward: Ward) -> None:
    """On Zalo a committee member sending a secretary's link code is asked; «Không phải tôi» keeps them."""
    secretary = await join(ward, 6202, "Bí thư chi bộ", "Chi bộ 14", "Đào Văn Tuấn")
    code = link_code(await answer(secretary, "/lienket"))
    inspector = ward.zalo.user("Bình")
    await accept_on_zalo(inspector, await invite(ward, "Ủy viên Đảng ủy / UBKT", name="Trần Văn Bình"))
    question = await inspector.ask(f"/start {code}", "Tài khoản này đang là của đồng chí Trần Văn Bình")
    assert "chuyển sang đồng chí Đào Văn Tuấn" in question.text and "2. Không phải tôi" in question.text
    await inspector.ask("2", "Mã mời chưa được sử dụng")
    await inspector.ask("/start", "Chào đồng chí Trần Văn Bình")


async def test_five_wrong_invite_codes_pause_even_the_right_one(ward: Ward) -> None:
    """After five wrong codes in a private chat, the right one is refused too, saying until when."""
    code = await invite(ward, "Bí thư chi bộ", "Chi bộ cơ quan phường", "Lê Thị Mai")
    guesser = ward.telegram.user(6301, first_name="Lạ")
    for wrong in WRONG_CODES:
        assert "không đúng" in (await answer(guesser, f"/start {wrong}")).text
    paused = await answer(guesser, f"/start {code}")
    assert "nhập sai mã 5 lần trong 10 phút" in paused.text and "tạm ngừng nhận mã đến" in paused.text
    assert "03/03/2026" in paused.text


async def test_wrong_codes_in_one_chat_do_not_pause_another(ward: Ward) -> None:
    """One chat's five wrong codes leave another chat free to join."""
    code = await invite(ward, "Bí thư chi bộ", "Chi bộ cơ quan phường", "Lê Thị Mai")
    guesser = ward.telegram.user(6302, first_name="Lạ")
    for wrong in WRONG_CODES:
        await answer(guesser, wrong)
    newcomer = ward.telegram.user(6303, first_name="Mai")
    assert (await accept(newcomer, code)).text.startswith("Chào đồng chí Lê Thị Mai")


async def test_invited_member_is_linked_to_their_roster_row_and_sees_their_card(ward: Ward) -> None:
    """A member picked from the roster in /moi joins and /dangvien shows their own card."""
    chief = ward.chief
    await chief.send_text("/moi")
    _, role = await chief.wait_for_messages(2)
    cell = await press(chief, role, "Đảng viên")
    roster = await press(chief, cell, "Chi bộ 14")
    invitee = roster.button_labels()[0]
    summary = await press(chief, roster, invitee)
    created = await press(chief, summary, "Gửi")
    code = next(line.split(": ")[1] for line in created.text.splitlines() if line.startswith("Mã mời:"))
    member = ward.telegram.user(6401, first_name="Đảng viên")
    assert (await accept(member, code)).text.startswith(f"Chào đồng chí {invitee}")
    card = await answer(member, "/dangvien")
    assert card.text.startswith(f"Đồng chí {invitee} — Chi bộ 14")


async def test_an_edited_message_is_no_answer_to_the_current_step(ward: Ward) -> None:
    """Editing an earlier message into a step's answer changes nothing; the next typed answer is taken."""
    chief = ward.chief
    opened = await chief.send_text("/moi")
    await chief.wait_for_messages(2)
    edited = {**opened["message"], "text": "4", "edit_date": opened["message"]["date"] + 1}
    await ward.telegram.queue_update({"edited_message": edited})
    cell = await answer(chief, "1")
    assert "chi bộ nào" in cell.text
    await answer(chief, "/huy")


async def test_xuat_reads_a_cell_name_within_the_senders_committee(ward: Ward) -> None:
    """Another committee's member exporting «Chi bộ 12» gets their own committee's cell, not the ward's."""
    other = "Đảng bộ xã Bên Sông"
    await run_admin(ward, "create-committee", other)
    await run_admin(ward, "create-cell", "--committee", other, "Chi bộ 12")
    invite_args = ("invite", "--role", "committee", "--committee", other, "--name", "Phan Văn Khách")
    code = (await run_admin(ward, *invite_args)).splitlines()[-1]
    outsider = ward.telegram.user(6451, first_name="Khách")
    await accept(outsider, code)
    sent = await export(outsider, "/xuat Chi bộ 12", FORMAT_DOCX)
    assert sent.document is not None
    document = Document(BytesIO(sent.document))
    text = " ".join(p.text for p in document.paragraphs).upper()
    assert "KÍNH GỬI: ĐẢNG ỦY XÃ BÊN SÔNG" in text and "PHÚC LỢI" not in text


# Robustness


async def test_roster_file_over_the_limits_is_refused_while_another_chat_is_answered(ward: Ward) -> None:
    """A small workbook of a million empty rows is refused plainly; meanwhile a stranger is answered."""
    secretary = await join(ward, 6501, "Bí thư chi bộ", "Chi bộ trường mầm non Phúc Lợi", "Dương Mạnh Cường")
    await secretary.send_text("/dangvien")
    *_, roster = await secretary.wait_for_messages(1)
    await press(secretary, roster, "Nhập danh sách từ tệp")
    await secretary.send_document(undimensioned_xlsx("<row/>" * 1_000_000), "danh-sach.xlsx")
    stranger = ward.telegram.user(6502, first_name="Lạ")
    assert "mã mời" in (await answer(stranger, "/help")).text
    [refusal] = await secretary.wait_for_messages(1, timeout=20)
    assert "quá 2000 dòng" in refusal.text
    await answer(secretary, "/huy")


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b'{"event_name": "message.text.received"}', {SECRET_HEADER: "sécret-khóa-ẞ"}, 403),
        (b"[" * 200_000 + b"]" * 200_000, {}, 400),
        (b'{"event_name": ["message.text.received"], "message": {}}', {}, 400),
    ],
)
async def test_hostile_zalo_webhook_posts_get_403_or_400(
    ward: Ward, body: bytes, headers: dict[str, str], status: int
) -> None:
    """A non-ASCII secret, 200,000-deep JSON or a list event_name gets 403/400, and Zalo still answers."""
    assert await post_raw(ward.zalo, body, headers) == status
    await ward.zalo.user("Lạ").ask("xin chào", "mã mời")


# Hostile input


async def test_unicode_digits_at_a_numbered_step_are_asked_again(ward: Ward) -> None:
    """«²» and «①» typed at a numbered choice are not numbers: the step is asked again, without an error."""
    chief = ward.chief
    await chief.send_text("/moi")
    await chief.wait_for_messages(2)
    for typed in ("²", "①"):
        again = await answer(chief, typed)
        assert again.text.startswith("Chưa hợp lệ") and "Mã mời dành cho vai trò nào?" in again.text
    await answer(chief, "/huy")


async def test_snooze_with_a_circled_digit_is_told_no_such_reminder(ward: Ward) -> None:
    """/hoanlai ① is no reminder number: the sender is told none was found."""
    assert "Không tìm thấy tin nhắc này" in (await answer(ward.chief, "/hoanlai ①")).text


async def test_forged_button_data_is_answered_as_a_stale_button(ward: Ward) -> None:
    """Callback data a client made up, a superscript for a number, is answered by asking the step again."""
    chief = ward.chief
    await chief.send_text("/moi")
    _, question = await chief.wait_for_messages(2)
    await chief.press_data(question, "f:invite:role:²")
    [again] = await chief.wait_for_messages(1)
    assert again.text.startswith("Nút này thuộc câu hỏi trước") and "vai trò nào?" in again.text
    await answer(chief, "/huy")


async def test_digest_of_year_9999_is_refused_with_the_years_kept(ward: Ward) -> None:
    """/tonghop 9999 names the years that can be asked for."""
    assert "từ 1930 đến 2100" in (await answer(ward.chief, "/tonghop 9999")).text


async def test_nul_and_control_characters_are_dropped_and_said(ward: Ward) -> None:
    """A NUL and a bell in a message are dropped before it is read, and the sender is told."""
    await ward.chief.send_text("/help\x00\x07")
    told, help_text = await ward.chief.wait_for_messages(2)
    assert "ký tự điều khiển" in told.text and "/tonghop" in help_text.text


async def test_a_lone_surrogate_is_refused_plainly(ward: Ward) -> None:
    """A message with a lone surrogate, as a broken client sends, is refused with the reason."""
    user = ward.telegram.user(6601, first_name="Lạ")
    assert "ký tự không hợp lệ" in (await answer(user, "xin chào \ud83d")).text


async def test_an_over_long_name_is_refused_at_its_step_and_xac_nhan_joins(ward: Ward) -> None:
    """A 250-character name is refused with the limit; a 300-character display name still joins."""
    code = await invite(ward, "Phó Bí thư chi bộ", "Chi bộ 12")
    newcomer = ward.telegram.user(6701, first_name="Bình" * 75)
    asked = await answer(newcomer, f"/start {code}")
    assert "họ và tên đầy đủ" in asked.text
    refused = await answer(newcomer, "Nguyễn " + "Văn " * 60 + "Bình")
    assert "dài quá 100 ký tự" in refused.text
    question = await answer(newcomer, "Nguyễn Văn Bình")
    welcome = await press(newcomer, question, "Xác nhận")
    assert welcome.text == "Chào đồng chí Nguyễn Văn Bình, Phó Bí thư Chi bộ 12."


async def test_control_characters_in_a_cell_name_and_the_signer_leave_the_docx_whole(ward: Ward) -> None:
    """A signer and a cell named with control characters in them still give a Word report that opens."""
    await run_admin(ward, "reminders", "--committee", WARD, "signer=Nguyễn\x0b Văn A")
    await run_admin(ward, "create-cell", "--committee", WARD, "Chi bộ\x01 tổ 9")
    sent = await export(ward.chief, "/xuat", "Toàn Đảng bộ", FORMAT_DOCX)
    assert sent.document is not None and Document(BytesIO(sent.document)).paragraphs


async def test_cells_named_without_latin_letters_export_to_different_files(ward: Ward) -> None:
    """Two cells named only in another script get file names told apart, not both «-2026-02.xlsx»."""
    names = []
    for cell in ("一", "二"):
        await run_admin(ward, "create-cell", "--committee", WARD, cell)
        sent = await export(ward.chief, "/xuat", cell, FORMAT_XLSX)
        names.append(sent.document_filename)
    assert names[0] != names[1] and all(name and name.startswith("chi-bo-") for name in names)
