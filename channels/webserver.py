"""The bot's own web server (aiohttp): health, metrics, the Zalo webhook and short-lived download links."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import mimetypes
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from core.health import Health
from core.metrics import Metrics
from storage.db import Database

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/tai"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# Reasons are Vietnamese; keep them readable in the body.
_dumps = functools.partial(json.dumps, ensure_ascii=False)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebServer:
    """One aiohttp application on one address; routes are added before it runs."""

    def __init__(self, listen: str, port: int) -> None:
        self.listen = listen
        self.port = port
        self.app = web.Application()
        self.started = asyncio.Event()

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        """Serve `handler` at `path`."""
        self.app.router.add_route(method, path, handler)

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


@dataclass(frozen=True)
class _File:
    """A file kept for download until `expires`, a monotonic time."""

    data: bytes
    name: str
    expires: float


class DownloadLinks:
    """Files served at unguessable URLs that expire, for channels that cannot upload them."""

    def __init__(
        self, public_base_url: str, ttl_seconds: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.base = public_base_url.rstrip("/")
        self.ttl = ttl_seconds
        self.now = now
        self._files: dict[str, _File] = {}

    def mount(self, server: WebServer) -> None:
        """Serve the links from `server`."""
        server.add_route("GET", f"{DOWNLOAD_PATH}/{{token}}/{{name}}", self.handle)

    def __len__(self) -> int:
        """Return how many files are kept (expired ones are dropped on the next add or download)."""
        return len(self._files)

    def add(self, data: bytes, name: str) -> str:
        """Keep a file and return its public link."""
        self._forget_expired()
        token = secrets.token_urlsafe(32)
        self._files[token] = _File(data, name, self.now() + self.ttl)
        return f"{self.base}{DOWNLOAD_PATH}/{token}/{quote(name)}"

    async def handle(self, request: web.Request) -> web.Response:
        """Answer a download: the file while its link lives, 404 after."""
        self._forget_expired()
        stored = self._files.get(request.match_info["token"])
        if stored is None:
            raise web.HTTPNotFound()
        content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        disposition = f"attachment; filename*=UTF-8''{quote(stored.name)}"
        return web.Response(
            body=stored.data, content_type=content_type, headers={"Content-Disposition": disposition}
        )

    def _forget_expired(self) -> None:
        """Drop files whose links have expired."""
        now = self.now()
        for token in [t for t, f in self._files.items() if f.expires <= now]:
            del self._files[token]
