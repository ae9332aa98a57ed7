"""The garbage collector while heavy reading jobs run: young objects are collected less often."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between collections of the youngest generation while a job runs (Python's usual is 700).
# A province's export keeps a quarter of a million rows alive at a time: collected every 700
# allocations, they were promoted and walked again and again, 40 % of the reading's CPU.
HEAVY_JOB_THRESHOLD = 50_000

_lock = threading.Lock()
_running = 0
_usual = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the youngest generation's threshold while a job runs; the last job to end puts it back."""
    global _running, _usual
    with _lock:
        if _running == 0:
            _usual = gc.get_threshold()
            gc.set_threshold(max(HEAVY_JOB_THRESHOLD, _usual[0]), *_usual[1:])
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                gc.set_threshold(*_usual)
