"""Report renderers: the contract's JSON, a Dutch text summary for a person, and HTML.

All three render the same pseudonymised report dictionary built in :mod:`pop_review.review`; none of
them sees the original text.
"""

from pop_review.report.render import render_html, render_json, render_text

__all__ = ["render_html", "render_json", "render_text"]
