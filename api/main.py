"""FastAPI application: upload a POP and get the contract's report as JSON or as a page.

The routes are thin: reading the upload, calling the library through a review pool (which gives every
document its own process and time limit), mapping coded errors to HTTP statuses. Routes are sync
``def`` so FastAPI runs them in its threadpool; the pool's lock serialises documents per process pool.
Nothing here parses or judges; nothing is logged but ids, hashes, codes and timings.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, HTTPException, UploadFile
from fastapi.responses import HTMLResponse

from pop_review.batch.pool import ReviewPool
from pop_review.config import Settings, get_settings
from pop_review.errors import ErrorCode
from pop_review.report import render_html

app = FastAPI(title="pop-review", version="0.1.0",
              description="Screens loopbaancheque POPs against VDAB's criteria, with pseudonymised evidence.")

STATUS = {"E101": 400, "E102": 415, "E103": 413, "E104": 413, "E105": 413, "E106": 400, "E107": 400, "E108": 404,
          "E109": 413, "E501": 504}
_pool: ReviewPool | None = None
_lock = threading.Lock()

SettingsDep = Annotated[Settings, Depends(get_settings)]


def _review(settings: Settings, name: str, data: bytes) -> dict[str, Any]:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ReviewPool(1, settings.model_dump_json(), settings.doc_timeout_s)
        result = next(iter(_pool.run([(name, data)])))
    if result.report is None:
        err = result.error or {"code": "E502", "message": "unknown failure"}
        code = err["code"]
        status = STATUS.get(code, 422 if code.startswith("E2") else 500)
        raise HTTPException(status_code=status, detail=err)
    return result.report


def _read(upload: UploadFile, settings: Settings) -> bytes:
    limit = int(settings.max_file_mb * 1024 * 1024)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, {"code": "E103", "message": ErrorCode.E103.value.format(
            size_mb=len(data) / 1048576, limit_mb=settings.max_file_mb)})
    return data


@app.get("/health")
def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@app.post("/api/v1/reviews")
def create_review(settings: SettingsDep, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Review one uploaded POP; returns the contract's JSON report."""
    return _review(settings, file.filename or "upload", _read(file, settings))


@app.post("/reviews", response_class=HTMLResponse)
def create_review_page(settings: SettingsDep, file: Annotated[UploadFile, File()]) -> str:
    """Review one uploaded POP and show the report as a page."""
    try:
        report = _review(settings, file.filename or "upload", _read(file, settings))
    except HTTPException as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {"code": "?", "message": str(exc.detail)}
        return render_html({"error": detail, "document": {"filename": file.filename or "upload"}})
    return render_html(report)


@app.get("/", response_class=HTMLResponse)
def index() -> str:
    """The upload page."""
    return """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>pop-review</title>
<style>body{font-family:sans-serif;max-width:40em;margin:3em auto}</style></head><body>
<h1>POP-screening</h1><p>Laad een persoonlijk ontwikkelingsplan op (PDF, DOCX, ODT of TXT). Het document
blijft op deze machine; het verslag toont gepseudonimiseerde citaten. Een medewerker beslist.</p>
<form action="/reviews" method="post" enctype="multipart/form-data"><input type="file" name="file" required>
<button type="submit">Nakijken</button></form></body></html>"""
