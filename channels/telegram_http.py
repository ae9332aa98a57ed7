"""python-telegram-bot's requests over aiohttp instead of httpx."""

from __future__ import annotations

import aiohttp
from aiohttp_socks import ProxyConnector
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Measured against a local Bot API server (docs/benchmarks.md, section 2): httpx spent 2.5-4.6 ms
# of CPU per request, aiohttp 0.5-0.7 ms. Every reply, button acknowledgement and poll is a request,
# so with httpx they were over half of the bot's CPU under load.


class AiohttpRequest(BaseRequest):
    """Send the Bot API's requests with one aiohttp session, as PTB's HTTPXRequest does with httpx."""

    __slots__ = (
        "_connect",
        "_connections",
        "_media_write",
        "_pool",
        "_proxy",
        "_read",
        "_session",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy_url: str | None = None,
    ) -> None:
        self._proxy = proxy_url
        self._connections = connection_pool_size
        self._read = read_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """Return the read timeout used when a call names none."""
        return self._read

    async def initialize(self) -> None:
        """Open the session; it needs the running event loop."""
        if self._session is None or self._session.closed:
            # aiohttp speaks to http and https proxies itself; SOCKS needs aiohttp-socks' connector.
            socks = self._proxy is not None and self._proxy.startswith("socks")
            connector = (
                ProxyConnector.from_url(self._proxy, limit=self._connections)
                if socks and self._proxy
                else aiohttp.TCPConnector(limit=self._connections)
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one request and return its status and body, raising PTB's TimedOut or NetworkError."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        uploads = request_data is not None and request_data.contains_files
        timeout = _timeout(
            _given(read_timeout, self._read),
            # Only an upload's write time matters to aiohttp: see _timeout.
            _given(write_timeout, self._media_write) if uploads else None,
            _given(connect_timeout, self._connect),
            _given(pool_timeout, self._pool),
        )
        try:
            http_proxy = None if self._proxy is None or self._proxy.startswith("socks") else self._proxy
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout, proxy=http_proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # aiohttp may put the URL, and with it the bot's token, in its messages.
            raise NetworkError(
                f"aiohttp.{type(error).__name__}: {str(error).replace(url, '<Bot API URL>')}"
            ) from error


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """Return the timeout a call names, or this request's default when it names none."""
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> aiohttp.FormData | None:
    """Encode the parameters as PTB does: form fields, or multipart when files go along."""
    # Unquoted, a file keeps its Vietnamese name as UTF-8, as httpx sends it; quoted, users would
    # see «B%C3%A1o c%C3%A1o…».
    if request_data is None:
        return None
    files = request_data.multipart_data
    form = aiohttp.FormData(
        request_data.json_parameters, default_to_multipart=bool(files), quote_fields=False
    )
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """Map PTB's timeouts onto aiohttp's per phase: waiting for a connection, connecting, each read.

    No overall deadline: a slow upload or download that keeps moving finishes, as it does with
    PTB's own httpx request. aiohttp has no write timeout; the server may take that long to answer
    once an upload is in, so the longer of the two bounds each read.
    """
    waiting = None if connect is None or pool is None else connect + pool
    each_read = read if read is None or write is None else max(read, write)
    return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect, sock_read=each_read)
