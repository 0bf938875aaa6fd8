"""The FastAPI service: a thin layer over the ``pop_review`` library (upload a POP, get its review)."""
