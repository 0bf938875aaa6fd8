"""pop-review: screens Flemish loopbaancheque POPs against VDAB's criteria, with evidence.

The library runs one path: ingest (bytes → :class:`~pop_review.document.Document`) → NLP → criteria →
verdict → report. It knows nothing of HTTP; the FastAPI service in ``api/`` is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from pop_review import offline as _offline  # noqa: F401  (sets the libraries' offline switches first)
