"""Progress lines a person can follow on a long run: done / total, rate, time left."""
from dataclasses import dataclass, field
import time


@dataclass
class Progress:
    stage: str
    total: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    def advance(self, n: int) -> str:
        self.done += n
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else float("inf")
        pct = 100 * self.done / self.total if self.total else 100.0
        return (f"{self.stage}: {self.done}/{self.total} articles ({pct:.0f}%), "
                f"{rate:.1f} articles/s, {elapsed:.0f}s elapsed, ~{left:.0f}s left")
