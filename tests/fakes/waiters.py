"""Waiting on a fake server's state by topic, so a message to one chat wakes only that chat's waiters."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable

# The topic of every change; a chat id is a topic of its own.
ANY = "any"


class Waiters:
    """Events by topic: with hundreds of users waiting, waking all of them on each message dominated a run."""

    def __init__(self) -> None:
        self._events: defaultdict[object, set[asyncio.Event]] = defaultdict(set)

    async def wait(self, predicate: Callable[[], bool], timeout: float | None, topic: object = ANY) -> bool:
        """Wait up to timeout seconds for predicate, re-checked when topic changes; say if it holds."""
        if predicate():
            return True
        event = asyncio.Event()
        events = self._events[topic]
        events.add(event)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await event.wait()
                    event.clear()
                    if predicate():
                        return True
        except TimeoutError:
            return predicate()
        finally:
            events.discard(event)
            if not events:
                # Chat topics come and go with users; keep the map to the live ones.
                self._events.pop(topic, None)

    def notify(self, *topics: object) -> None:
        """Wake the waiters of topics, and those waiting on any change, to re-check their predicates."""
        for topic in (ANY, *topics):
            for event in self._events.get(topic, ()):
                event.set()

    def notify_all(self) -> None:
        """Wake every waiter, whatever its topic (the server is stopping)."""
        self.notify(*self._events)
