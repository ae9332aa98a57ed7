"""The bot's own web server (aiohttp): the Zalo webhook and short-lived download links."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import mimetypes
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from aiohttp import web

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/tai"
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
