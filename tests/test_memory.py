"""The garbage collector after start-up."""

from __future__ import annotations

import gc

from core.memory import freeze_start_up


def test_what_start_up_made_is_left_out_of_later_collections() -> None:
    """After the freeze, an object alive at start-up is no longer among those a collection walks."""
    made_at_start = [[n] for n in range(3)]
    try:
        freeze_start_up()
        walked = {id(x) for x in gc.get_objects()}
        assert not any(id(x) in walked for x in made_at_start)
    finally:
        gc.unfreeze()
