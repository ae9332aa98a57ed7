"""End to end in a real browser: a link from the bot over Telegram opens the web view in headless Chromium."""

from __future__ import annotations

import re
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import openpyxl
import pytest

from admin.demo_data import demo_ward
from tests.e2e.botprocess import BotProcess
from tests.e2e.browser import MISSING, Browser
from tests.e2e.test_telegram_report import join
from tests.fakes.telegram_api import FakeTelegramServer, FakeUser

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

LINK = re.compile(r"http://127\.0\.0\.1:\d+/w/login/[A-Za-z0-9_-]+")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Start one headless Chromium for the module's tests."""
    window = Browser(tmp_path_factory.mktemp("downloads"))
    yield window
    window.quit()


@pytest.fixture
async def site(env: dict[str, str], tmp_path: Path) -> AsyncIterator[str]:
    """Run the bot with its links built from its own web server's address; yield that address."""
    base = f"http://127.0.0.1:{env['WEB_PORT']}"
    env["PUBLIC_BASE_URL"] = base
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    yield base
    await process.stop()


async def web_link(user: FakeUser) -> str:
    """Ask the bot for a login link and return it."""
    await user.send_text("/web")
    [reply] = await user.wait_for_messages(1)
    match = LINK.search(reply.text)
    assert match, reply.text
    return match[0]


def log_in(browser: Browser, link: str) -> str:
    """Open a login link, press «Vào trang», and return the text of the page it lands on."""
    browser.open(link)
    browser.click("#login")
    return browser.text()


async def committee_member(telegram: FakeTelegramServer, env: dict[str, str], user_id: int) -> FakeUser:
    """Join as a member of the ward's committee."""
    return await join(telegram, env, user_id, "--role", "committee", "--name", "Trần Văn Ủy")


async def test_a_committee_member_sees_every_cell(
    telegram: FakeTelegramServer, env: dict[str, str], site: str, browser: Browser
) -> None:
    """The link from /web lands a committee member on the ward, every cell in its table.

    Time: the bot runs at the test's moment (BOT_MOMENT), whatever the machine's clock says.
    """
    user = await committee_member(telegram, env, 7101)
    page = log_in(browser, await web_link(user))
    assert browser.url == f"{site}/w/phuong"
    assert all(cell.name in page for cell in demo_ward().cells)


async def test_a_secretary_sees_only_their_cell(
    telegram: FakeTelegramServer, env: dict[str, str], site: str, browser: Browser
) -> None:
    """A secretary's link shows Chi bộ 12 alone; a forged address of Chi bộ 14 is refused."""
    user = await join(
        telegram, env, 7102, "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Lê Thị Mười Hai"
    )
    page = log_in(browser, await web_link(user))
    assert "Chi bộ 12" in page and "Chi bộ 14" not in page
    # The demo ward's cells are written in order into a fresh database, so their ids are known.
    ids = {cell.name: number for number, cell in enumerate(demo_ward().cells, start=1)}
    assert browser.url == f"{site}/w/chi-bo/{ids['Chi bộ 12']}"
    browser.open(f"{site}/w/chi-bo/{ids['Chi bộ 14']}")
    assert "Không có quyền xem" in browser.text() and "Chi bộ 14" not in browser.text()


async def test_a_reused_link_is_refused(
    telegram: FakeTelegramServer, env: dict[str, str], site: str, browser: Browser
) -> None:
    """A link opened once says, opened again, that it was used and how to get another."""
    user = await committee_member(telegram, env, 7103)
    link = await web_link(user)
    log_in(browser, link)
    browser.open(link)
    assert "Đường dẫn đã được dùng" in browser.text() and "/web" in browser.text()


async def test_logging_out_in_chat_ends_the_session(
    telegram: FakeTelegramServer, env: dict[str, str], site: str, browser: Browser
) -> None:
    """After /dangxuat in chat, the open page asks for a new link."""
    user = await committee_member(telegram, env, 7104)
    log_in(browser, await web_link(user))
    await user.send_text("/dangxuat")
    [reply] = await user.wait_for_messages(1)
    assert "Đã đăng xuất 1 phiên" in reply.text
    browser.open(f"{site}/w/phuong")
    assert "Chưa đăng nhập" in browser.text()


async def test_a_download_arrives_whole(
    telegram: FakeTelegramServer, env: dict[str, str], site: str, browser: Browser
) -> None:
    """The ward's workbook the browser saves is whole: every part's checksum holds and it opens."""
    user = await committee_member(telegram, env, 7105)
    log_in(browser, await web_link(user))
    browser.click("a[href*='/tai/xlsx']")
    saved = browser.wait_for_download(".xlsx")
    with zipfile.ZipFile(saved) as parts:
        assert parts.testzip() is None
    workbook = openpyxl.load_workbook(saved, read_only=True)
    assert len(workbook.sheetnames) > 1
