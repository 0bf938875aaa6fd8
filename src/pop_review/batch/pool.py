"""A process pool whose tasks have a time limit: a stuck document is killed, reported and replaced.

``concurrent.futures`` cannot stop a running task, and a parser stuck in C code cannot be interrupted by
a signal, so each worker is a process of its own with a pipe; the parent watches the clock and
terminates a worker that overruns. Workers are started with ``spawn`` (no inherited threads or locks)
and load the pipeline once.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from pop_review.errors import ErrorCode, PopReviewError, short


@dataclass(slots=True)
class Result:
    """The outcome of one task: a report dict or an error, plus an optional fingerprint."""

    name: str
    report: dict[str, Any] | None
    error: dict[str, str] | None
    fingerprint: list[int] | None = None


def _worker(conn: Connection, settings_json: str) -> None:
    from pop_review.config import Settings
    from pop_review.ingest import load_bytes

    reviewer: Any = None
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        name, data = task
        try:
            # parse before loading any model: a broken or hostile file is refused in milliseconds,
            # not after the ten seconds it takes to load the pipeline and the encoder
            settings = Settings.model_validate_json(settings_json)
            doc = load_bytes(data, name, settings)
            if reviewer is None:
                from pop_review.review import (
                    Reviewer,  # heavy imports only once a document is readable
                )

                conn.send(("parsed", name, None, None))  # loading the models is not the document's time
                reviewer = Reviewer(settings)
                # tell the parent the models are in: the document's own time limit starts now
                conn.send(("loaded", name, None, None))
            from pop_review.batch.templates import fingerprint

            review = reviewer.review_document(doc)
            # the review's own placeholders: personal data is recognised once per document
            text = review.pseudonymiser(review.document.text)
            conn.send(("ok", name, review.report, fingerprint(text, pseudonymised=True)))
        except PopReviewError as exc:
            conn.send(("err", name, exc.to_dict(), None))
        except MemoryError:
            conn.send(("err", name, PopReviewError(ErrorCode.E502, detail="out of memory").to_dict(), None))
        except Exception as exc:  # any other failure is reported for this document; the batch goes on
            conn.send(("err", name, PopReviewError(ErrorCode.E502, detail=short(exc)).to_dict(), None))


class ReviewPool:
    """Run review tasks in ``workers`` processes with a per-task time limit."""

    def __init__(self, workers: int, settings_json: str, timeout_s: float) -> None:
        self.n = max(1, workers)
        self.settings_json = settings_json
        self.timeout_s = timeout_s
        self.ctx = mp.get_context("spawn")
        self.procs: list[tuple[Any, Connection] | None] = [None] * self.n

    def _start(self, i: int) -> tuple[Any, Connection]:
        parent, child = self.ctx.Pipe()
        p = self.ctx.Process(target=_worker, args=(child, self.settings_json), daemon=True)
        p.start()
        child.close()
        self.procs[i] = (p, parent)
        return p, parent

    def run(self, tasks: Iterable[tuple[str, bytes]], first_timeout_extra: float = 120.0) -> Iterator[Result]:
        """Yield one result per task (in completion order)."""
        it = iter(tasks)
        # worker → (document name, clock start, phase, seconds the document already used)
        busy: dict[int, tuple[str, float, str, float]] = {}
        exhausted = False
        while True:
            for i in range(self.n):
                if i in busy or exhausted:
                    continue
                try:
                    name, data = next(it)
                except StopIteration:
                    exhausted = True
                    break
                entry = self.procs[i] or self._start(i)
                try:
                    entry[1].send((name, data))
                except (BrokenPipeError, OSError):
                    entry = self._restart(i)
                    entry[1].send((name, data))
                busy[i] = (name, time.monotonic(), "doc", 0.0)
            if not busy:
                break
            conns = {self.procs[i][1]: i for i in busy if self.procs[i] is not None}  # type: ignore[index]
            ready = wait(list(conns), timeout=0.5)
            for c in ready:
                i = conns[c]  # type: ignore[index]
                name = busy[i][0]
                try:
                    kind, rname, payload, fp = c.recv()  # type: ignore[union-attr]
                    now = time.monotonic()
                    if kind == "parsed":  # the worker now loads its models: a separate, longer limit
                        busy[i] = (name, now, "loading", now - busy[i][1])
                        continue
                    if kind == "loaded":  # the document's clock runs on from where parsing left it
                        busy[i] = (name, now - busy[i][3], "doc", busy[i][3])
                        continue
                except (EOFError, OSError):
                    self._restart(i)
                    del busy[i]
                    yield Result(name, None, PopReviewError(ErrorCode.E502, detail="worker crashed").to_dict())
                    continue
                del busy[i]
                yield Result(rname, payload if kind == "ok" else None, payload if kind == "err" else None, fp)
            now = time.monotonic()
            for i, (name, started, phase, _used) in list(busy.items()):
                limit = first_timeout_extra if phase == "loading" else self.timeout_s
                if now - started > limit:
                    self._restart(i, kill=True)
                    del busy[i]
                    yield Result(name, None, PopReviewError(ErrorCode.E501, seconds=self.timeout_s).to_dict())

    def _restart(self, i: int, kill: bool = False) -> tuple[Any, Connection]:
        entry = self.procs[i]
        if entry is not None:
            p, conn = entry
            if kill or p.is_alive():
                p.kill()
            p.join(timeout=5)
            conn.close()
        self.procs[i] = None
        return self._start(i)

    def close(self) -> None:
        """Stop every worker."""
        for entry in self.procs:
            if entry is None:
                continue
            p, conn = entry
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            p.join(timeout=3)
            if p.is_alive():
                p.kill()
            conn.close()
        self.procs = [None] * self.n

    def __enter__(self) -> ReviewPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
