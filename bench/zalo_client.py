"""CPU per Zalo Bot API request on the bot's side: the adapter against the fake server in another process.

    python -m bench.zalo_client [--requests 3000] [--concurrency 10]

The fake server runs in a child process, so the CPU time measured (time.process_time) is the
client's alone: building, sending and reading each sendMessage call.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import time

from channels.zalo import ZaloApi
from tests.fakes.zalo_api import FakeZaloServer

CHAT_ID = "0123456789abcdef0123"


async def serve(port: int) -> None:
    """Run the fake server on a fixed port, with one user who wrote first, until killed."""
    server = FakeZaloServer(echo_bot_messages=False, port=port)
    server.user("An", CHAT_ID)
    await server.start()
    await asyncio.Event().wait()


async def measure(port: int, requests: int, concurrency: int) -> float:
    """Send `requests` messages, `concurrency` at a time; return the client's CPU ms per request."""
    server = FakeZaloServer()
    api = ZaloApi(f"http://127.0.0.1:{port}", server.token)
    try:
        for _ in range(50):
            with contextlib.suppress(Exception):
                await api.call("getMe")
                break
            await asyncio.sleep(0.1)
        queue = iter(range(requests))

        async def worker() -> None:
            for n in queue:
                await api.call("sendMessage", {"chat_id": CHAT_ID, "text": f"Nhắc việc số {n}"})

        started = time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return (time.process_time() - started) * 1000 / requests
    finally:
        await api.close()


def main() -> None:
    """Start the server process, measure, print the figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    port = 18731
    child = subprocess.Popen([sys.executable, "-m", "bench.zalo_client", "--serve", str(port)])
    try:
        ms = asyncio.run(measure(port, args.requests, args.concurrency))
    finally:
        child.terminate()
        child.wait()
    print(
        f"{args.requests} sendMessage calls, {args.concurrency} at a time: "
        f"{ms:.3f} ms of client CPU per request"
    )


if __name__ == "__main__":
    main()
