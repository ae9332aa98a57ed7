"""A SOCKS5 proxy without authentication (RFC 1928, CONNECT only) that records what it relays."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from types import TracebackType
from typing import Self

VERSION = 5
NO_AUTH = 0
CONNECT = 1
IPV4, DOMAIN, IPV6 = 1, 3, 4
# Reply codes: succeeded, command not supported, no acceptable method.
SUCCEEDED, UNSUPPORTED = 0, 7
NO_METHOD = b"\x05\xff"


class Socks5Proxy:
    """Relays each CONNECT to its destination on 127.0.0.1; `connections` lists the destinations."""

    def __init__(self) -> None:
        self.port: int | None = None
        self.connections: list[tuple[str, int]] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        """Return the proxy's URL, as TELEGRAM_PROXY_URL takes it."""
        return f"socks5://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        """Listen on a free port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop listening and cut the relayed connections."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Greet, read one CONNECT request, then pipe bytes both ways until either side closes."""
        self._writers.add(writer)
        try:
            version, count = await reader.readexactly(2)
            if version != VERSION or NO_AUTH not in await reader.readexactly(count):
                writer.write(NO_METHOD)
                return
            writer.write(bytes([VERSION, NO_AUTH]))
            _, command, _, kind = await reader.readexactly(4)
            if kind == IPV4:
                host = socket.inet_ntoa(await reader.readexactly(4))
            elif kind == DOMAIN:
                host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
            else:
                host = socket.inet_ntop(socket.AF_INET6, await reader.readexactly(16))
            port = int.from_bytes(await reader.readexactly(2), "big")
            if command != CONNECT:
                writer.write(bytes([VERSION, UNSUPPORTED, 0, IPV4]) + bytes(6))
                return
            upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
            self._writers.add(upstream_writer)
            self.connections.append((host, port))
            writer.write(bytes([VERSION, SUCCEEDED, 0, IPV4]) + bytes(6))
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy bytes from one side to the other until the source ends, then close the sink."""
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError):
            sink.close()
