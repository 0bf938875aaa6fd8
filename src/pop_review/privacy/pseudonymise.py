"""Pseudonymisation with typed placeholders, consistent within one document.

``[NAAM-1]`` stays the same person throughout a report: the full name, the first name alone and the
surname alone map to the same number. Placeholders are numbered per type in order of first appearance
in the whole document, so evidence quotes from different parts of a POP agree with each other.
"""

from __future__ import annotations

import re

from pop_review.privacy.recognizers import PiiSpan, find_pii, resolve_overlaps


class Pseudonymiser:
    """Map personal-data strings of one document to stable placeholders."""

    def __init__(self, full_text: str = "") -> None:
        self._ids: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = {}
        self._alias: dict[str, str] = {}
        self._names: list[str] = []
        self._known: dict[str, str] = {}  # other strings recognised in the whole text → their type
        if full_text:
            for span in find_pii(full_text):
                self._key(span)
                if span.type == "NAAM":  # names go through find_pii's known names, with their variants
                    if span.text not in self._names:
                        self._names.append(span.text)
                elif len(span.text.strip()) >= 4:
                    self._known.setdefault(span.text.strip(), span.type)

    def _key(self, span: PiiSpan) -> str:
        norm = " ".join(span.text.split()).lower()
        if span.type == "NAAM":
            norm = self._alias.get(norm, norm)
            parts = norm.split()
            if len(parts) >= 2:
                for p in (parts[0], " ".join(parts[1:])):
                    self._alias.setdefault(p, norm)
        key = (span.type, norm)
        if key not in self._ids:
            self._counts[span.type] = self._counts.get(span.type, 0) + 1
            self._ids[key] = self._counts[span.type]
        return f"[{span.type}-{self._ids[key]}]"

    def __call__(self, text: str) -> str:
        """The text with every personal-data span replaced by its placeholder."""
        spans = find_pii(text, self._names)
        # a quote can lose the context that made a string recognisable (a cheque number whose label
        # "chequenr." ended the previous sentence): what was recognised anywhere in the document is
        # masked wherever it appears
        for known, kind in self._known.items():
            for m in re.finditer(rf"(?<!\w){re.escape(known)}(?!\w)", text):
                spans.append(PiiSpan(m.start(), m.end(), kind, known, "known", "elders in het document herkend"))
        spans = resolve_overlaps(spans)
        out, pos = [], 0
        for s in spans:
            out.append(text[pos:s.start])
            out.append(self._key(s))
            pos = s.end
        out.append(text[pos:])
        return "".join(out)


def pseudonymise_text(text: str) -> str:
    """Pseudonymise one standalone text (its own numbering)."""
    return Pseudonymiser(text)(text)
