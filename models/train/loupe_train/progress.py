"""A progress display on stderr (count, rate, time left): one line redrawn in place on a terminal."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, quiet: bool = False):
        self.label, self.total, self.quiet = label, total, quiet
        self.tty = sys.stderr.isatty()
        self.count, self.started, self.note = 0, time.time(), ""
        self.drawn_at = 0.0 if self.tty else self.started

    def step(self, n: int = 1, note: str = "") -> None:
        self.count += n
        self.note = note or self.note
        now = time.time()
        # On a terminal the line is redrawn in place; in a log file, one line every 30 s.
        interval = 0.25 if self.tty else 30.0
        if not self.quiet and (now - self.drawn_at > interval or self.count >= self.total):
            self.drawn_at = now
            elapsed = now - self.started
            rate = self.count / elapsed if elapsed > 0 else 0.0
            left = (self.total - self.count) / rate if rate > 0 else 0.0
            text = f"{self.label}: {self.count}/{self.total} {rate:.0f}/s {left:.0f}s left {self.note}"
            sys.stderr.write(f"\r{text}\033[K" if self.tty else text + "\n")
            sys.stderr.flush()

    def done(self) -> None:
        if not self.quiet and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()
