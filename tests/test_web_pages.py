"""The web view served in-process: logging in from a link, what each role sees, refusals and files."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from domain.identity import MEMBER
from settings import Settings
from storage import accounts, audit, org
from storage import web as links
from storage.db import Database
from tests.conftest import chat_as
from tests.test_digest import seed
from web.app import COOKIE, Desk


@asynccontextmanager
async def serve(db: Database, clock: FixedClock, settings: Settings, base: str) -> AsyncIterator[TestClient]:
    """Serve the web view at /w from a real server on a free port, its links built from `base`."""
    root = web.Application()
    public = settings.model_copy(update={"public_base_url": base})
    root.add_subapp(links.WEB_PREFIX, Desk(db, clock, public).application())
    async with TestClient(TestServer(root)) as test_client:
        yield test_client


@pytest.fixture
async def client(db: Database, clock: FixedClock, settings: Settings) -> AsyncIterator[TestClient]:
    """Serve the web view over plain HTTP, as the console does."""
    async with serve(db, clock, settings, "http://127.0.0.1") as test_client:
        yield test_client


async def link_for(app: App, db: Database, clock: FixedClock, name: str) -> str:
    """Return the path of a fresh login link of the person of that name."""
    chat = await chat_as(app, db, name)
    async with db.begin() as conn:
        person_id = next(pid for pid, n in await accounts.list_people(conn) if n == name)
        account = (await accounts.person_accounts(conn, person_id))[0]
        token = await links.create_link(
            conn, person_id, account.account_id, clock.now(), timedelta(minutes=10)
        )
    assert chat.name == name
    return f"{links.LOGIN_PATH}/{token}"


async def log_in(client: TestClient, app: App, db: Database, clock: FixedClock, name: str) -> str:
    """Log in as the person of that name; return the text of the page it lands on."""
    path = await link_for(app, db, clock, name)
    response = await client.post(path)
    assert response.status == 200, await response.text()
    return await response.text()


async def cell_id(db: Database, name: str) -> int:
    """Return the id of the demo cell of that name."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell = await org.find_cell(conn, committee.id, name)
    assert cell is not None
    return cell.id


async def test_the_link_page_uses_nothing_until_the_button(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Fetching the link (as a preview robot would) shows a button and leaves the link live."""
    path = await link_for(app, db, clock, ward.committee_people[0].full_name)
    for _ in range(2):
        response = await client.get(path)
        assert response.status == 200 and "Vào trang" in await response.text()
    assert (await client.post(path, allow_redirects=False)).status == 303


async def test_the_session_cookie_is_private(
    app: App, db: Database, clock: FixedClock, settings: Settings, ward: DemoWard
) -> None:
    """The cookie is HttpOnly, SameSite=Lax, Secure behind HTTPS, and scoped to the view."""
    path = await link_for(app, db, clock, ward.committee_people[0].full_name)
    async with serve(db, clock, settings, "https://chibo.example.vn") as client:
        response = await client.post(path, allow_redirects=False)
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == links.WEB_PREFIX and response.headers["Location"] == f"{links.WEB_PREFIX}/"


async def test_a_committee_member_sees_every_cell(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The committee's home page is the ward at a glance, every cell in one table."""
    page = await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    assert ward.committee_name in page
    assert all(f">{cell.name}</a>" in page for cell in ward.cells)


async def test_the_ward_sorts_by_a_column(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """?sap=ten lists the cells by name."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    page = await (await client.get(f"{links.WEB_PREFIX}/phuong?sap=ten")).text()
    names = sorted(cell.name for cell in ward.cells)
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


async def test_the_ward_pages_its_cells_and_the_next_page_keeps_the_sort(
    app: App, db: Database, clock: FixedClock, settings: Settings, ward: DemoWard
) -> None:
    """Two cells a page, sorted by name: «Trang sau» shows the third and fourth names, «Trang 2/…»."""
    names = sorted(cell.name for cell in ward.cells)
    pages = -(-len(names) // 2)
    async with serve(db, clock, settings.model_copy(update={"web_cells_per_page": 2}), "http://x") as client:
        await log_in(client, app, db, clock, ward.committee_people[0].full_name)
        first = await (await client.get(f"{links.WEB_PREFIX}/phuong?sap=ten")).text()
        following = re.search(r'<a href="([^"]+)" rel="next">', first)
        assert following is not None and f"Trang 1/{pages}" in first
        second = await (await client.get(f"{links.WEB_PREFIX}/phuong{html.unescape(following[1])}")).text()
    assert [name for name in names if f">{name}</a>" in first] == names[:2]
    assert [name for name in names if f">{name}</a>" in second] == names[2:4]
    assert f"Trang 2/{pages}" in second and 'rel="prev"' in second


async def test_a_secretary_sees_only_their_cell(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A secretary lands on their own cell; another cell and the ward are refused."""
    own = next(cell for cell in ward.cells if cell.name == "Chi bộ 12")
    page = await log_in(client, app, db, clock, own.secretary)
    assert "<h1>Chi bộ 12</h1>" in page and own.members[0].full_name in page
    other = await client.get(f"{links.WEB_PREFIX}/chi-bo/{await cell_id(db, 'Chi bộ 14')}")
    assert other.status == 403 and "Chi bộ 14" not in await other.text()
    assert (await client.get(f"{links.WEB_PREFIX}/phuong")).status == 403


async def test_a_forged_member_id_of_another_cell_is_refused(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A secretary cannot open the card of a member of another cell by changing the address."""
    own = next(cell for cell in ward.cells if cell.name == "Chi bộ 12")
    await log_in(client, app, db, clock, own.secretary)
    other = await cell_id(db, "Chi bộ 14")
    async with db.begin() as conn:
        stranger = (await org.list_members(conn, other))[0]
    response = await client.get(f"{links.WEB_PREFIX}/dang-vien/{stranger.id}")
    assert response.status == 403 and stranger.full_name not in await response.text()


async def test_an_unknown_id_is_not_found(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """An id nobody has answers the «not found» page."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    response = await client.get(f"{links.WEB_PREFIX}/chi-bo/999999")
    assert response.status == 404 and "Không tìm thấy trang" in await response.text()


async def test_a_reused_link_says_so(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A link opened once says, the second time, that it was used and how to get a new one."""
    path = await link_for(app, db, clock, ward.committee_people[0].full_name)
    await client.post(path)
    again = await client.get(path)
    text = await again.text()
    assert again.status == 410 and "đã được dùng" in text and "/web" in text


async def test_an_expired_link_says_so(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A link opened after its ten minutes says it expired."""
    path = await link_for(app, db, clock, ward.committee_people[0].full_name)
    clock.advance(timedelta(minutes=10))
    response = await client.post(path)
    assert response.status == 410 and "hết hạn" in await response.text()


async def test_without_a_session_nothing_is_shown(client: TestClient, ward: DemoWard) -> None:
    """A page asked for without a session says how to log in."""
    response = await client.get(f"{links.WEB_PREFIX}/phuong")
    assert response.status == 401 and "/web" in await response.text()


async def test_a_session_ends_after_its_hours(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Nine hours after the login, the page asks for a new link."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    clock.advance(timedelta(hours=9))
    assert (await client.get(f"{links.WEB_PREFIX}/phuong")).status == 401


async def test_every_login_is_audited(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A login leaves an entry in the audit trail, with the account it was asked from."""
    name = ward.committee_people[0].full_name
    await log_in(client, app, db, clock, name)
    async with db.begin() as conn:
        person_id = next(pid for pid, n in await accounts.list_people(conn) if n == name)
        trail = await audit.entries(conn, "web_session", person_id)
    assert [(e.action, e.person_id) for e in trail] == [("login", person_id)] and trail[0].account_id


async def test_logging_out_on_the_page_ends_the_session(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The page's «Đăng xuất» ends this session."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    assert "Đã đăng xuất" in await (await client.post(f"{links.WEB_PREFIX}/dang-xuat")).text()
    assert (await client.get(f"{links.WEB_PREFIX}/phuong")).status == 401


async def test_the_ward_workbook_downloads(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The ward's XLSX arrives as a named attachment."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    response = await client.get(f"{links.WEB_PREFIX}/tai/xlsx?ky=2015-08")
    body = await response.read()
    assert response.status == 200 and body[:2] == b"PK"
    assert "tong-hop-2015-08.xlsx" in response.headers["Content-Disposition"]


async def test_the_chart_is_a_picture(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The chart the ward page shows is a PNG."""
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    response = await client.get(f"{links.WEB_PREFIX}/bieu-do.png")
    assert response.content_type == "image/png" and (await response.read())[:4] == b"\x89PNG"


async def test_a_report_opens_with_its_content_revisions_and_minutes(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """From the cell page, an amended report shows its content and revision; its minutes download."""
    seeded = await seed(db, clock)
    own = next(cell for cell in ward.cells if cell.name == "Chi bộ 14")
    page = await log_in(client, app, db, clock, own.secretary)
    assert f'href="{links.WEB_PREFIX}/bao-cao/{seeded.late_report}"' in page
    report = await (await client.get(f"{links.WEB_PREFIX}/bao-cao/{seeded.late_report}")).text()
    assert "Nhà văn hóa tổ 5" in report and "Phiên bản 2" in report and "Địa điểm" in report
    minutes = await client.get(f"{links.WEB_PREFIX}/bao-cao/{seeded.late_report}/bien-ban")
    assert minutes.status == 200 and (await minutes.read())[:2] == b"PK"


async def test_a_report_of_another_cell_is_refused(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A secretary of Chi bộ 12 cannot open Chi bộ 14's report, nor its minutes."""
    seeded = await seed(db, clock)
    own = next(cell for cell in ward.cells if cell.name == "Chi bộ 12")
    await log_in(client, app, db, clock, own.secretary)
    for path in (f"bao-cao/{seeded.late_report}", f"bao-cao/{seeded.late_report}/bien-ban"):
        assert (await client.get(f"{links.WEB_PREFIX}/{path}")).status == 404


async def test_a_member_card_shows_pledge_items_and_attendance(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A committee member opens a card: its items with progress, and the meetings of 12 months."""
    seeded = await seed(db, clock)
    async with db.begin() as conn:
        member = (await org.list_members(conn, seeded.cells["Chi bộ 12"]))[0]
    await log_in(client, app, db, clock, ward.committee_people[0].full_name)
    card = await (await client.get(f"{links.WEB_PREFIX}/dang-vien/{member.id}")).text()
    assert member.full_name in card and "Viết 2 bài tuyên truyền" in card and "hoàn thành" in card
    assert "20/08/2015" in card


async def test_a_member_sees_only_their_own_card(
    client: TestClient, app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A member lands on their card; their cell's page and a neighbour's card are refused."""
    cell = next(cell for cell in ward.cells if cell.name == "Chi bộ 12")
    name = next(m.full_name for m in cell.members if m.full_name not in (cell.secretary, cell.deputy))
    twelve = await cell_id(db, cell.name)
    async with db.begin() as conn:
        roster = await org.list_members(conn, twelve)
        own = next(m for m in roster if m.full_name == name)
        person_id = await accounts.create_person(conn, name, clock.now(), own.id)
        await accounts.grant_role(
            conn, person_id, MEMBER, (await org.get_cell(conn, twelve)).committee_id, twelve, clock.now()
        )
    neighbour = next(m for m in roster if m.full_name != name)
    page = await log_in(client, app, db, clock, name)
    assert f"<h1>{name}</h1>" in page
    assert (await client.get(f"{links.WEB_PREFIX}/chi-bo/{twelve}")).status == 403
    assert (await client.get(f"{links.WEB_PREFIX}/dang-vien/{neighbour.id}")).status == 403
