"""The web view's routes: logging in from a one-time link, the session cookie, pages, files and errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.exc import NoResultFound
from sqlalchemy.ext.asyncio import AsyncConnection

from core.refusal import Refusal
from domain.clock import Clock, local_today
from domain.identity import Identity
from handlers import access
from reports import chart, exports, minutes
from reports.export_data import Scope
from settings import Settings
from storage import accounts, audit
from storage import web as links
from storage.db import Database
from texts import web as t
from web import pages, periods

log = logging.getLogger(__name__)

COOKIE = "chibo_phien"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Pages hold personal data: never cached, never framed, no address handed to another site.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


class LoggedOut(Exception):
    """The request carries no live session."""


class Desk:
    """The read-only web view; every query is scoped by the session's person through handlers.access."""

    def __init__(self, db: Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.session_ttl = timedelta(hours=settings.web_session_hours)
        self.cells_per_page = settings.web_cells_per_page
        base = settings.public_base_url or ""
        # Behind HTTPS the cookie is never sent in clear; the console's local server is plain HTTP.
        self.secure = urlsplit(base).scheme == "https"

    def application(self) -> web.Application:
        """Build the aiohttp application of the view, to be mounted at WEB_PREFIX."""
        app = web.Application(middlewares=[self._guard])
        env = aiohttp_jinja2.setup(
            app,
            loader=jinja2.PackageLoader("web"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        pages.install(env)
        routes = [
            ("GET", "/login/{token}", self.login_page),
            ("POST", "/login/{token}", self.login),
            ("POST", "/dang-xuat", self.logout),
            ("GET", "/", self.home),
            ("GET", "/phuong", self.ward),
            ("GET", r"/chi-bo/{cell_id:\d{1,9}}", self.cell),
            ("GET", r"/bao-cao/{report_id:\d{1,9}}", self.report),
            ("GET", r"/bao-cao/{report_id:\d{1,9}}/bien-ban", self.report_minutes),
            ("GET", r"/dang-vien/{member_id:\d{1,9}}", self.member),
            ("GET", "/bieu-do.png", self.chart),
            ("GET", r"/tai/{fmt:xlsx|docx}", self.download),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer refusals and unknown pages with a page that says so, and mark every answer private."""
        try:
            response = await handler(request)
        except LoggedOut:
            response = self._message(request, 401, t.LOGGED_OUT_TITLE, [t.LOGGED_OUT, t.NEW_LINK])
        except Refusal:
            response = self._message(request, 403, t.REFUSED_TITLE, [t.REFUSED])
        except (NoResultFound, web.HTTPNotFound):
            response = self._message(request, 404, t.NOT_FOUND_TITLE, [t.NOT_FOUND])
        response.headers.update(SECURITY_HEADERS)
        return response

    def _message(self, request: web.Request, status: int, title: str, lines: list[str]) -> web.Response:
        """Render a page of a few sentences."""
        return aiohttp_jinja2.render_template(
            "message.html", request, {"title": title, "lines": lines, "me": None}, status=status
        )

    def _today(self) -> date:
        """Return today in Hà Nội."""
        return local_today(self.clock)

    async def _me(self, conn: AsyncConnection, request: web.Request) -> Identity:
        """Return who the request's session belongs to; refuse a request without a live session."""
        token = request.cookies.get(COOKIE)
        holder = await links.find_session(conn, token, self.clock.now()) if token else None
        if holder is None:
            raise LoggedOut()
        me = await accounts.identify_account(conn, holder.account_id)
        # An account rebound to someone else since the login opens nothing of theirs.
        if me is None or me.person_id != holder.person_id:
            raise LoggedOut()
        return me

    # Logging in and out.

    async def login_page(self, request: web.Request) -> web.Response:
        """Show the button that uses the link; a preview robot fetching the address uses nothing."""
        async with self.db.begin() as conn:
            state = await links.link_state(conn, request.match_info["token"], self.clock.now())
        if state != links.LIVE:
            return self._link_refused(request, state)
        return aiohttp_jinja2.render_template("login.html", request, {"title": t.LOGIN_TITLE, "me": None})

    async def login(self, request: web.Request) -> web.StreamResponse:
        """Use the link once: open a session, set its cookie, and land on the person's home page."""
        now = self.clock.now()
        async with self.db.begin() as conn:
            opened = await links.open_link(conn, request.match_info["token"], now)
            if opened.holder is None:
                return self._link_refused(request, opened.outcome)
            holder = opened.holder
            token, session_id = await links.create_session(
                conn, holder.person_id, holder.account_id, now, self.session_ttl
            )
            await _audit(conn, holder, "login", now, {"session": session_id, "link": holder.id})
        log.info("web login of person %s (session %s)", holder.person_id, session_id)
        response = _redirect(f"{links.WEB_PREFIX}/")
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.session_ttl.total_seconds()),
            path=links.WEB_PREFIX,
            httponly=True,
            samesite="Lax",
            secure=self.secure,
        )
        return response

    def _link_refused(self, request: web.Request, outcome: str) -> web.Response:
        """Say why a link opens nothing, and how to get a new one."""
        title, reason = {
            links.USED: (t.LINK_USED_TITLE, t.LINK_USED),
            links.EXPIRED: (t.LINK_EXPIRED_TITLE, t.LINK_EXPIRED),
        }.get(outcome, (t.LINK_UNKNOWN_TITLE, t.LINK_UNKNOWN))
        return self._message(
            request, 410 if outcome in (links.USED, links.EXPIRED) else 404, title, [reason, t.NEW_LINK]
        )

    async def logout(self, request: web.Request) -> web.StreamResponse:
        """End this computer's session."""
        now = self.clock.now()
        async with self.db.begin() as conn:
            token = request.cookies.get(COOKIE)
            holder = await links.find_session(conn, token, now) if token else None
            if holder is not None:
                await links.end_session(conn, holder.id, now)
                await _audit(conn, holder, "logout", now, {"session": holder.id})
        response = self._message(request, 200, t.SIGNED_OFF_TITLE, [t.SIGNED_OFF, t.NEW_LINK])
        response.del_cookie(COOKIE, path=links.WEB_PREFIX)
        return response

    # Pages.

    async def home(self, request: web.Request) -> web.StreamResponse:
        """Send the person to their page: the ward, the cell they lead, or their own card."""
        async with self.db.read() as conn:
            me = await self._me(conn, request)
        if access.committee_of(me) is not None:
            return _redirect(f"{links.WEB_PREFIX}/phuong")
        if me.led_cell_id is not None:
            return _redirect(f"{links.WEB_PREFIX}/chi-bo/{me.led_cell_id}")
        if me.member_id is not None:
            return _redirect(f"{links.WEB_PREFIX}/dang-vien/{me.member_id}")
        return self._render(request, "message.html", me, {"title": t.NOTHING_TITLE, "lines": [t.NOTHING]})

    async def ward(self, request: web.Request) -> web.Response:
        """Show the ward at a glance for the chosen period, sorted as asked, one page of its cells."""
        today = self._today()
        period = periods.chosen(request.query.get("ky"), today)
        async with self.db.read() as conn:
            me = await self._me(conn, request)
        committee_id = access.committee_of(me)
        if committee_id is None:
            raise Refusal(t.REFUSED)
        # A province's digest takes most of a second: on a worker, like /tonghop, so the chats go on.
        context = await self.db.off_loop(
            partial(
                pages.ward_from_snapshot,
                committee_id=committee_id,
                period=period,
                today=today,
                sort=request.query.get("sap"),
                page=request.query.get("trang"),
                per_page=self.cells_per_page,
            )
        )
        return self._render(request, "ward.html", me, context)

    async def cell(self, request: web.Request) -> web.Response:
        """Show one cell: reports, roster, readiness, inspections and tasks."""
        today = self._today()
        period = periods.chosen(request.query.get("ky"), today)
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            cell = await access.cell_pages_in_reach(conn, me, int(request.match_info["cell_id"]))
            context = await pages.cell(conn, cell, period, today)
        return self._render(request, "cell.html", me, context)

    async def report(self, request: web.Request) -> web.Response:
        """Show one filed report in full, with its revisions."""
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            report = await access.report_in_reach(conn, me, int(request.match_info["report_id"]))
            if report is None:
                raise web.HTTPNotFound()
            context = await pages.report(conn, report)
        return self._render(request, "report.html", me, context)

    async def member(self, request: web.Request) -> web.Response:
        """Show a member's card: pledge items with progress and evidence, reviews, attendance."""
        today = self._today()
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            member = await access.card_in_reach(conn, me, int(request.match_info["member_id"]))
            context = await pages.member(conn, member, today, reads_cell=access.reads_cells(me))
        return self._render(request, "member.html", me, context)

    def _render(
        self, request: web.Request, template: str, me: Identity, context: dict[str, Any]
    ) -> web.Response:
        """Render a page for a logged-in person."""
        return aiohttp_jinja2.render_template(template, request, {**context, "me": me})

    # Files.

    async def chart(self, request: web.Request) -> web.Response:
        """Answer the committee's chart, the one /bieudo sends."""
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            committee_id = access.committee_of(me)
            if committee_id is None:
                raise Refusal(t.REFUSED)
            data = await chart.gather(conn, committee_id, self._today())
        png = await asyncio.to_thread(chart.render, data)
        return web.Response(body=png, content_type="image/png")

    async def download(self, request: web.Request) -> web.Response:
        """Answer the XLSX or DOCX export of the ward, or of a cell, for the chosen period."""
        today = self._today()
        fmt = request.match_info["fmt"]
        period = periods.chosen(request.query.get("ky"), today)
        cell_id = request.query.get("chi-bo", "")
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            if cell_id.isdecimal() and len(cell_id) <= 9:
                cell = await access.cell_pages_in_reach(conn, me, int(cell_id))
                scope = Scope(cell.committee_id, cell.id)
            else:
                committee_id = access.committee_of(me)
                if committee_id is None:
                    raise Refusal(t.REFUSED)
                scope = Scope(committee_id)
        # A province's year takes seconds to write: on a worker, like /xuat, so the chats go on.
        name, content = await exports.build(self.db, scope, period, fmt, today)
        return _attachment(content, name)

    async def report_minutes(self, request: web.Request) -> web.Response:
        """Answer the minutes of a filed report, as /bienban sends them."""
        async with self.db.read() as conn:
            me = await self._me(conn, request)
            report = await access.report_in_reach(conn, me, int(request.match_info["report_id"]))
            found = await minutes.minutes_of(conn, report.id) if report is not None else None
        if found is None:
            raise web.HTTPNotFound()
        name, content = found
        return _attachment(content, name)


async def _audit(
    conn: AsyncConnection, holder: links.Holder, action: str, now: datetime, detail: dict[str, int]
) -> None:
    """Record a login or logout in the audit trail, with the account the link was asked from."""
    await audit.record(
        conn,
        at=now,
        person_id=holder.person_id,
        account_id=holder.account_id,
        entity="web_session",
        entity_id=holder.person_id,
        action=action,
        detail=detail,
    )


def _redirect(path: str) -> web.Response:
    """Send the browser on to another page of the view."""
    return web.Response(status=303, headers={"Location": path})


def _attachment(content: bytes, name: str) -> web.Response:
    """Answer a file to be saved under its name."""
    kind = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if name.endswith(".xlsx")
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return web.Response(body=content, content_type=kind, headers={"Content-Disposition": disposition})
