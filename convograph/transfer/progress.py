"""The import's progress on stderr: a bar redrawn in place on a terminal, else a line now
and then, and every failed record on a line of its own."""

import time
from typing import TextIO

from convograph.transfer.importer import RecordOutcome, Status

BAR_WIDTH = 30
TERMINAL_INTERVAL = 0.1
LOG_INTERVAL = 10.0


class ImportProgress:
    def __init__(self, out: TextIO, total_bytes: int | None) -> None:
        self.out = out
        self.total_bytes = total_bytes
        self.terminal = out.isatty()
        self.conversations = 0
        self.messages = 0
        self.bytes_read = 0
        self._shown_at = 0.0
        self._shown = ""
        self._line_open = False

    def record(self, outcome: RecordOutcome, bytes_read: int) -> None:
        self.conversations += 1
        self.messages += outcome.message_count
        self.bytes_read = bytes_read
        if outcome.status is Status.FAILED:
            self._clear()
            source = f" (source id {outcome.source_id})" if outcome.source_id else ""
            self.out.write(f"record {outcome.index}{source} not imported: {outcome.reason}\n")
        self._show(force=False)

    def finish(self) -> None:
        self._show(force=True)
        if self._line_open:
            self.out.write("\n")
            self._line_open = False
        self.out.flush()

    def _status(self) -> str:
        counts = f"{self.conversations:,} conversations, {self.messages:,} messages"
        if not self.total_bytes:
            return counts
        share = min(self.bytes_read / self.total_bytes, 1.0)
        filled = round(share * BAR_WIDTH)
        return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%}  {counts}"

    def _show(self, force: bool) -> None:
        now = time.monotonic()
        interval = TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL
        status = self._status()
        if status == self._shown or (not force and now - self._shown_at < interval):
            return
        self._shown_at, self._shown = now, status
        if self.terminal:
            self.out.write(f"\r\x1b[Kimporting {status}")
            self._line_open = True
        else:
            self.out.write(f"importing {status}\n")
        self.out.flush()

    def _clear(self) -> None:
        if self._line_open:
            self.out.write("\r\x1b[K")
            self._line_open = False
