"""Cumulative wall time per pipeline stage, so a batch run can say where its time went."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class StageTimes(dict[str, float]):
    """Seconds spent per stage name, summed over every call: `with times("embed"): ...`.

    A plain dict underneath, so callers can snapshot it (`dict(times)`) before a run and
    subtract afterwards to get one run's share.
    """

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[stage] = self.get(stage, 0.0) + time.perf_counter() - start

    def since(self, before: dict[str, float]) -> dict[str, float]:
        """Seconds per stage added since the snapshot `before`, in first-seen order."""
        return {stage: seconds - before.get(stage, 0.0) for stage, seconds in self.items()}
