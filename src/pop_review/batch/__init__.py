"""Batch reviewing: worker processes with per-document time limits, resumable JSONL, corpus pass.

``pool.ReviewPool`` runs documents in long-lived worker processes (each loads the models once) and kills
and replaces a worker whose document exceeds the time limit; ``runner.run_batch`` streams sources
through it into a JSONL file that a rerun resumes; ``templates`` finds near-identical POPs across
clients afterwards.
"""
