"""Time budgets for batch work: a chunk's budget, and an alarm that stops a record.

A pathological record (a page no stage was written for) must cost the run one budget,
not the run: `batch` and its adaptation pass both work under these limits.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

_SLACK = 4.0  # a chunk's budget over what its records took at the slowest rate so far


class RecordTimeout(BaseException):
    """Raised by the alarm into the work it interrupts. Not an `Exception`, so that the
    pipeline's own fallbacks (`except Exception` around an extractor, a failed chunk)
    cannot catch it and carry on."""


class ChunkBudget:
    """How long one chunk may take before its records are retried one at a time.

    A chunk's records go through each stage together (their sentences share the embedding
    batches), so only the chunk's time can be measured, not a record's. The budget is
    `record_timeout`, or, if more, `_SLACK` times the chunk's records times the slowest
    seconds per record of a chunk so far. A chunk of healthy records then fits (the first
    chunk on a slow setup may not: it is retried one at a time, which measures the rate
    for the rest), while a runaway record holds the run up for one budget, not for
    `record_timeout` per record of its chunk (21 hours for 256 records at 300 s). Over
    budget, each record is rerun alone under `record_timeout`, SIGALRM interrupting it;
    a worker process would also stop C code, but would need its own copy of the models,
    and every stage here is linear in its input, so the alarm is there for what no one
    has foreseen, never for the usual work.
    """

    def __init__(self, record_timeout: float | None) -> None:
        self.record_timeout = record_timeout if _alarm_works(record_timeout) else None
        self.per_record = 0.0  # the slowest seconds per record of a chunk so far

    def seconds(self, records: int) -> float | None:
        if self.record_timeout is None:
            return None
        return max(self.record_timeout, _SLACK * records * self.per_record)

    def observe(self, seconds: float, records: int) -> None:
        if records:
            self.per_record = max(self.per_record, seconds / records)


def _alarm_works(record_timeout: float | None) -> bool:
    """SIGALRM exists on Unix only, and only the main thread receives it."""
    if record_timeout is None:
        return False
    if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():
        return True
    log.warning("batch.record_timeout needs SIGALRM in the main thread; running with no limit")
    return False


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `RecordTimeout` in the work inside after `seconds` (None: no limit)."""
    if seconds is None:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RecordTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
