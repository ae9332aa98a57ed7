"""The garbage collector after start-up: what the bot loaded stays for its life, so it is frozen."""

from __future__ import annotations

import gc


def freeze_start_up() -> None:
    """Collect once, then move every object left out of the collector's generations for good."""
    # A full collection walks every tracked object and holds the GIL meanwhile, stalling the event
    # loop; the modules, tables and handlers made at start-up are a large share of them, never garbage.
    gc.collect()
    gc.freeze()
