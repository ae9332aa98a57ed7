"""The bot's own web server (aiohttp): health, metrics, the Zalo webhook and short-lived download links."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import logging
import mimetypes
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote, urlsplit

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from core.health import Health
from core.metrics import Metrics
from domain.clock import Clock
from storage import downloads
from storage.db import Database

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/tai"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# Reasons are Vietnamese; keep them readable in the body.
_dumps = functools.partial(json.dumps, ensure_ascii=False)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Names that never resolve to a public address, whatever the resolver says.
PRIVATE_NAME_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


def public_https_problem(url: str) -> str | None:
    """Say why `url` is not HTTPS on a public host, judging the name without a DNS lookup; None if it is."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "is not a valid URL"
    if parts.scheme != "https":
        return "must start with https://"
    if not host:
        return "has no host name"
    address = _literal_address(host)
    if address is not None:
        return None if address.is_global else f"names a private address ({host})"
    if host == "localhost" or host.endswith(PRIVATE_NAME_SUFFIXES) or "." not in host:
        return f"names a local host ({host})"
    return None


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Read a host written as an address, including the short forms (127.1, 0x7f.1) C libraries accept."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not all(part.isdigit() or part.startswith("0x") for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


class WebServer:
    """One aiohttp application on one address; routes are added before it runs."""

    def __init__(self, listen: str, port: int, max_body_bytes: int = 1024**2) -> None:
        self.listen = listen
        self.port = port
        # A larger body is refused (413) before it is read into memory whole.
        self.app = web.Application(client_max_size=max_body_bytes)
        self.started = asyncio.Event()

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        """Serve `handler` at `path`."""
        self.app.router.add_route(method, path, handler)

    def add_subapp(self, prefix: str, app: web.Application) -> None:
        """Serve a whole application (the web view) under `prefix`."""
        self.app.add_subapp(prefix, app)

    async def run(self, stop: asyncio.Event) -> None:
        """Listen until `stop` is set."""
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
            log.info("web server listening on %s:%s", self.listen, self.port)
            self.started.set()
            await stop.wait()
        finally:
            await runner.cleanup()


class OpsRoutes:
    """GET /healthz for orchestrators and GET /metrics for Prometheus."""

    def __init__(self, health: Health, metrics: Metrics, db: Database) -> None:
        self.health = health
        self.metrics = metrics
        self.db = db

    def mount(self, server: WebServer) -> None:
        """Serve both routes from `server`."""
        server.add_route("GET", HEALTH_PATH, self.healthz)
        server.add_route("GET", METRICS_PATH, self.exposition)

    async def healthz(self, request: web.Request) -> web.Response:
        """Answer 200 when healthy, else 503 with the reasons."""
        problems = await self.health.problems()
        if problems:
            return web.json_response({"status": "error", "problems": problems}, status=503, dumps=_dumps)
        return web.json_response({"status": "ok"})

    async def exposition(self, request: web.Request) -> web.Response:
        """Answer every metric in Prometheus' text format."""
        body = await self.metrics.exposition(self.db)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


class DownloadLinks:
    """Files served at unguessable URLs that expire, kept in the database so every instance serves them."""

    def __init__(self, public_base_url: str, ttl_seconds: float, db: Database, clock: Clock) -> None:
        self.base = public_base_url.rstrip("/")
        self.ttl = ttl_seconds
        self.db = db
        self.clock = clock

    def mount(self, server: WebServer) -> None:
        """Serve the links from `server`."""
        server.add_route("GET", f"{DOWNLOAD_PATH}/{{token}}/{{name}}", self.handle)

    async def add(self, data: bytes, name: str, ttl_seconds: float | None = None) -> str:
        """Keep a file (for `ttl_seconds`, or the default) and return its public link."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        expires_at = now + timedelta(seconds=ttl_seconds or self.ttl)
        async with self.db.begin() as conn:
            await downloads.keep(conn, token, name, data, expires_at, now)
        return f"{self.base}{DOWNLOAD_PATH}/{token}/{quote(name)}"

    async def handle(self, request: web.Request) -> web.Response:
        """Answer a download: the file while its link lives, 404 after."""
        async with self.db.begin() as conn:
            stored = await downloads.find(conn, request.match_info["token"], self.clock.now())
        if stored is None:
            raise web.HTTPNotFound()
        name, data = stored
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=data, content_type=content_type, headers={"Content-Disposition": disposition}
        )
