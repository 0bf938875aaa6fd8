"""Judgement: one assessor per criterion and per flag, a verdict policy, and the learned weights.

``features.extract`` turns an annotated document into named features; ``assessors`` score each
criterion and flag from those features (learned logistic weights when trained, transparent rule
weights otherwise) and pick the sentences that support the answer; ``verdict`` applies the contract's
rule and computes the priority.
"""
