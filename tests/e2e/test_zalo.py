"""End to end on Zalo: the real bot process against a fake Zalo Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_env, free_port, with_telegram
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer, FakeZaloUser, SentZaloMessage

pytestmark = pytest.mark.e2e

WEBHOOK_SECRET = "webhook-secret-for-tests"
PUBLIC_WEBHOOK_URL = "https://chibo.example.vn/zalo/hook"


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


def webhook_env(env: dict[str, str], zalo: FakeZaloServer) -> dict[str, str]:
    """Put the bot in webhook mode on a public HTTPS URL that a pretend TLS proxy forwards to its port."""
    port = free_port()
    zalo.webhook_target = f"http://127.0.0.1:{port}"
    return {
        **env,
        "ZALO_WEBHOOK_URL": PUBLIC_WEBHOOK_URL,
        "ZALO_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEB_LISTEN": "127.0.0.1",
        "WEB_PORT": str(port),
    }


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


async def join(zalo: FakeZaloServer, env: dict[str, str], name: str, *invite: str) -> FakeZaloUser:
    """Create an invite with the admin CLI and join with it on Zalo by a numbered reply."""
    code = admin(env, "invite", *invite).splitlines()[-1]
    user = zalo.user(name)
    await accept(user, code)
    return user


async def accept(user: FakeZaloUser, code: str) -> SentZaloMessage:
    """Join with an invite code on Zalo by a numbered reply; return the greeting."""
    question = await user.ask(f"/start {code}", "1. Xác nhận", timeout=20)
    assert "Trả lời 1, 2" in question.text
    greeting = await user.ask("1", "Chào đồng chí")
    await user.wait_for_text("/help")
    return greeting


async def test_secretary_joins_and_files_a_monthly_report_by_webhook(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """On Zalo by webhook, without buttons, a secretary joins with a code and files a whole report by typing.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    bot = await start_bot(webhook_env(env, zalo), tmp_path / "bot.log")
    try:
        secretary = await join(
            zalo, env, "An", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An"
        )
        # The demo ward's history has last month's report: its details are offered first, typed anew here.
        await secretary.ask("/baocao", "2. Nhập từng mục")
        month = await secretary.ask("2", "1. Tháng ")
        month_label = month.text.split("1. ", 1)[1].splitlines()[0]
        _, month_number, year = month_label.replace("/", " ").split()
        kind = await secretary.ask("1", "Thường kỳ")
        assert "Trả lời 1, 2, 3" in kind.text
        await secretary.ask("thuong ky", f"tháng {month_number}/{year}")
        # The demo's history has this cell's last month filed: the current month is offered, its 2nd past.
        await secretary.reply_to(1, f"02/{month_number}/{year}")
        await secretary.reply_to(1, "19h30")
        await secretary.reply_to(1, "không")
        absent = await secretary.ask("không", "Đồng chí nào vắng họp?")
        assert "phải dự họp" in absent.text
        first_reason = await secretary.ask("2, 8", "1. Ốm")
        assert "4. Không có lý do" in first_reason.text
        await secretary.ask("1", "vắng vì lý do gì")
        chair = await secretary.ask("khong co ly do", "Đồng chí nào chủ trì")
        assert "Gõ số thứ tự" in chair.text and "\n3. " in chair.text
        for typed in ("1", "3", "không", "Học tập tấm gương trung thực của Bác", "không"):
            await secretary.reply_to(1, typed)
        await secretary.reply_to(1, "Đã thu đảng phí.\nChưa xong: trồng cây.")
        await secretary.ask("Trồng cây trong tháng tới.", "Biểu quyết")
        quality = await secretary.ask("không", "1. Tốt")
        assert "Vắng không lý do: 1 đồng chí" in quality.text
        summary = await secretary.ask("1", "Tự đánh giá chất lượng: Tốt")
        assert "«Gửi»" in summary.text
        confirmation = await secretary.ask("gui", "Mã báo cáo:")
        assert re.search(r"Mã báo cáo: BC\d{4}", confirmation.text)
        assert zalo.deliveries and all(d.status == 200 for d in zalo.deliveries)
        assert not zalo.calls_of("getUpdates")
    finally:
        log = await stop_bot(bot, zalo.token)
    assert "zalo reached the webhook URL" in log and WEBHOOK_SECRET not in log


async def test_restart_between_a_numbered_menu_and_the_typed_number_keeps_the_menu(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """A number typed after the bot restarted answers the menu sent before the restart.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    env = webhook_env(env, zalo)
    first = await start_bot(env, tmp_path / "first.log")
    try:
        secretary = await join(
            zalo, env, "An", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Nguyễn Văn An"
        )
        await secretary.ask("/baocao", "2. Nhập từng mục")
        await secretary.ask("2", "1. Tháng ")
    finally:
        await stop_bot(first, zalo.token)
    second = await start_bot(env, tmp_path / "second.log")
    try:
        assert await zalo.wait_for(lambda: len(zalo.calls_of("setWebhook")) == 2, 20)
        kind = await secretary.ask("1", "Thường kỳ", timeout=20)
        assert "Trả lời 1, 2, 3" in kind.text
    finally:
        await stop_bot(second, zalo.token)


async def test_webhook_refuses_a_wrong_secret_and_accepts_both_body_shapes(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """In webhook mode a POST without the right secret gets 403; raw and enveloped updates are answered.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    bot = await start_bot(webhook_env(env, zalo), tmp_path / "bot.log")
    try:
        assert await zalo.wait_for(lambda: zalo.webhook_url is not None, 20)
        assert zalo.webhook_secret == WEBHOOK_SECRET
        user = zalo.user("Lạ")
        forged = user.update("message.text.received", text="/help")
        async with aiohttp.ClientSession() as session:
            for headers in ({SECRET_HEADER: "wrong-secret-value"}, {}):
                async with session.post(zalo.delivery_url(), json=forged, headers=headers) as response:
                    assert response.status == 403
        await user.send_text("xin chào")
        await user.wait_for_text("mã mời", timeout=20)
        zalo.webhook_envelope = True
        await user.send_text("/help")
        await user.wait_for_text("mã mời")
        await zalo.wait_for(lambda: zalo.pending == 0, 10)
        await asyncio.sleep(1)
        assert len(user.messages) == 2
        assert zalo.deliveries and all(d.status == 200 for d in zalo.deliveries)
        assert not zalo.calls_of("getUpdates")
    finally:
        await stop_bot(bot, zalo.token)


async def test_restart_does_not_handle_a_replayed_update_again(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """An update Zalo delivers again after a restart is not answered twice.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    first = await start_bot(env, tmp_path / "first.log")
    user = zalo.user("Lạ")
    try:
        update = await user.send_text("xin chào")
        await user.wait_for_text("mã mời", timeout=20)
    finally:
        await stop_bot(first, zalo.token)
    await zalo.replay(update["message"]["message_id"])
    second = await start_bot(env, tmp_path / "second.log")
    try:
        await user.send_text("/help")
        await user.wait_for_text("mã mời", timeout=20)
        await zalo.wait_for(lambda: zalo.pending == 0, 10)
        await asyncio.sleep(1)
        assert len(user.messages) == 2
    finally:
        await stop_bot(second, zalo.token)


async def test_refused_token_stops_zalo_while_telegram_keeps_answering(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """With both channels in one process, a 401 from Zalo is logged once and Telegram still answers.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    zalo.revoke_token()
    async with FakeTelegramServer() as telegram:
        bot = await start_bot(with_telegram(env, telegram), tmp_path / "bot.log")
        try:
            assert await zalo.wait_for(lambda: any(c.status == 401 for c in zalo.calls), 20)
            user = telegram.user(7001, first_name="Lạ")
            await user.send_text("/help")
            [reply] = await user.wait_for_messages(1, timeout=20)
            assert "mã mời" in reply.text
        finally:
            log = await stop_bot(bot, zalo.token)
    assert TEST_TOKEN.split(":")[1] not in log
    assert len([line for line in log.splitlines() if "refused the token" in line]) == 1
    assert len(zalo.calls) == 1


async def test_a_bot_whose_only_channel_refuses_its_token_exits_with_a_configuration_error(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """With Zalo its only channel and the token refused, the process stops by itself, exit code 2, saying why.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    zalo.revoke_token()
    bot = await start_bot(env, tmp_path / "bot.log")
    try:
        assert bot.process is not None
        assert await asyncio.wait_for(bot.process.wait(), 30) == 2
    finally:
        log = await stop_bot(bot, zalo.token)
    assert "no channel is running" in log


async def test_zalo_check_reports_the_webhook_without_secrets(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """`admin zalo-check` shows getMe, the webhook, matching settings and a failed verification, no secret.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    env = webhook_env(env, zalo)
    zalo.webhook_target = "http://127.0.0.1:9"
    bot = await start_bot(env, tmp_path / "bot.log")
    try:
        assert await zalo.wait_for(lambda: bool(zalo.calls_of("setWebhook")), 20)
        await asyncio.sleep(0.5)
        # The fake server runs in this event loop: the admin process must not block it.
        report = await asyncio.to_thread(admin, env, "zalo-check")
    finally:
        log = await stop_bot(bot, zalo.token)
    assert zalo.bot_id in report and PUBLIC_WEBHOOK_URL in report
    assert "ZALO_WEBHOOK_URL khớp" in report and "ZALO_WEBHOOK_SECRET khớp" in report
    assert "KHÔNG gọi được" in report
    assert WEBHOOK_SECRET not in report and zalo.token.split(":")[1] not in report
    assert "could NOT reach the webhook URL" in log


async def test_refused_telegram_token_stops_telegram_alone_with_one_line(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """Telegram answering 401 stops that channel with one log line, no token and no traceback; Zalo answers.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    async with FakeTelegramServer() as telegram:
        telegram.fail_next("getMe", times=100, error_code=401, description="Unauthorized")
        bot = await start_bot(with_telegram(env, telegram), tmp_path / "bot.log")
        try:
            user = zalo.user("Lạ")
            await user.ask("xin chào", "mã mời", timeout=20)
            await telegram.wait_for(lambda: bool(telegram.calls), 10)
            await asyncio.sleep(1)
            assert len([c for c in telegram.calls if c.method == "getMe"]) == 1
        finally:
            log = await stop_bot(bot, zalo.token)
    assert len([line for line in log.splitlines() if "Telegram refused the token" in line]) == 1
    assert TEST_TOKEN.split(":")[1] not in log and "Traceback" not in log


async def test_unreachable_telegram_at_start_does_not_stop_zalo(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """With Telegram unreachable (blocked), the process keeps running, Zalo answers and Telegram retries.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    env = {**env, "TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}
    bot = await start_bot(env, tmp_path / "bot.log")
    try:
        user = zalo.user("Lạ")
        await user.ask("xin chào", "mã mời", timeout=20)
        await asyncio.sleep(3)
        assert bot.process is not None and bot.process.returncode is None
    finally:
        log = await stop_bot(bot, zalo.token)
    assert "telegram channel could not start" in log and "retrying" in log
    assert TEST_TOKEN.split(":")[1] not in log and "Traceback" not in log


async def test_odd_zalo_poll_answers_stop_neither_channel(
    zalo: FakeZaloServer, env: dict[str, str], tmp_path: Path
) -> None:
    """A poll answer with a non-numeric error_code, then an update with a list event_name: both answer on.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    zalo.fail_next("getUpdates", 500, error_code="không phải số")
    user = zalo.user("Lạ")
    listed = user.update("message.text.received", text="xin chào")
    await zalo.queue_update({**listed, "event_name": ["message.text.received"]})
    async with FakeTelegramServer() as telegram:
        bot = await start_bot(with_telegram(env, telegram), tmp_path / "bot.log")
        try:
            assert await zalo.wait_for(lambda: zalo.pending == 0, 20)
            await user.ask("/help", "mã mời", timeout=20)
            other = telegram.user(7201, first_name="Lạ")
            await other.send_text("/help")
            [reply] = await other.wait_for_messages(1, timeout=20)
            assert "mã mời" in reply.text
            assert bot.process is not None and bot.process.returncode is None
        finally:
            await stop_bot(bot, zalo.token)
