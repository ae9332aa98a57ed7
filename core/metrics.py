"""What the bot counts for Prometheus, on a registry of its own that start-up creates and passes in."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from storage import outbox
from storage.db import Database

# Outbox states every scrape shows, at 0 when no row is in them, so alerts need no absent() rules.
OUTBOX_STATES = (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.FAILED, outbox.UNKNOWN, outbox.EXPIRED)
# A phone user waits for the reply: the buckets are around the 150 ms goal.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The bot's counters, gauges and histograms, all on one CollectorRegistry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.updates = Counter(
            "chibo_updates",
            "Platform updates handled, by channel and outcome (ok, duplicate, refused, error).",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.handler_seconds = Histogram(
            "chibo_handler_seconds",
            "Time to handle one update, from claiming it to its replies being ready.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.outbox_rows = Gauge(
            "chibo_outbox_rows",
            "Outbox rows by kind and state, counted at each scrape.",
            ["kind", "state"],
            registry=self.registry,
        )
        self.sends = Counter(
            "chibo_sends",
            "Messages sent (replies and the outbox's), by channel and result: ok, 429 and 5xx (tried "
            "again later), blocked (refused for good).",
            ["channel", "result"],
            registry=self.registry,
        )
        self.dispatcher_last_tick = Gauge(
            "chibo_dispatcher_last_tick_timestamp_seconds",
            "When the outbox dispatcher last looked for due rows (Unix time).",
            registry=self.registry,
        )
        self.backups = Counter(
            "chibo_backups", "Scheduled backups by result (ok, failed).", ["result"], registry=self.registry
        )
        self.last_good_backup = Gauge(
            "chibo_last_good_backup_timestamp_seconds",
            "When the last scheduled backup succeeded (Unix time).",
            registry=self.registry,
        )

    async def exposition(self, db: Database) -> bytes:
        """Count the outbox now and return every metric in Prometheus' text format."""
        async with db.begin() as conn:
            counts = await outbox.count_by_kind_and_status(conn)
        self.outbox_rows.clear()
        for kind in {kind for kind, _, _ in counts}:
            for state in OUTBOX_STATES:
                self.outbox_rows.labels(kind, state).set(0)
        for kind, state, count in counts:
            self.outbox_rows.labels(kind, state).set(count)
        return generate_latest(self.registry)
