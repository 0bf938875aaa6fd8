"""``pop-review evaluate``: how far to trust the pipeline, measured on the annotated corpus.

The split's documents are rendered to their assigned layouts (PDF, DOCX, ODT, scans, text), reviewed
through the same worker pool as ``batch`` (with the template-copy pass over the split), and compared
with the gold labels: precision/recall/F1 per criterion and per flag, the verdict confusion matrix,
evidence overlap with the gold quotes, personal-data recall and precision per type, personal-data
strings leaked into reports, and time per document.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pop_review.batch.pool import ReviewPool
from pop_review.batch.runner import template_pass
from pop_review.config import Settings
from pop_review.corpus.labels import Gold, load_gold, plain_text
from pop_review.corpus.render import layout_for, render_corpus
from pop_review.criteria.assessors import CRITERIA, FLAGS
from pop_review.criteria.calibration import ece
from pop_review.criteria.verdict import BLOCKING
from pop_review.privacy import find_pii

ALL_FLAGS = (*FLAGS, "template_copy")


def _prf(tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "accuracy": round((tp + tn) / max(1, tp + fp + fn + tn), 3), "support": tp + fn, "tp": tp, "fp": fp,
            "fn": fn, "tn": tn}


def _tokens(s: str) -> set[str]:
    return set(re.findall(r"\w+", re.sub(r"\[[A-Z]+-\d+\]", " ", s.lower())))


def _overlaps(pred: list[dict[str, Any]], gold: list[str]) -> bool:
    """True when a predicted quote shares at least half of its words with a gold quote."""
    for p in pred:
        pt = _tokens(p["text"])
        for g in gold:
            gt = _tokens(g)
            if pt and gt and len(pt & gt) / min(len(pt), len(gt)) >= 0.5:
                return True
    return False


def pii_metrics(golds: list[Gold]) -> dict[str, Any]:
    """Recall and precision of the recognisers per type on the documents' plain text."""
    per: dict[str, Counter[str]] = {}
    for g in golds:
        text = plain_text(g.markup)
        spans = find_pii(text)
        gold_items = g.labels.get("pii", [])
        covered_spans: set[int] = set()
        for item in gold_items:
            c = per.setdefault(item["type"], Counter())
            hit = False
            for m in re.finditer(re.escape(item["text"]), text):
                for k, s in enumerate(spans):
                    if s.start < m.end() and m.start() < s.end:
                        hit = True
                        covered_spans.add(k)
            c["gold"] += 1
            c["found"] += int(hit)
        gold_strings = [i["text"] for i in gold_items]
        for k, s in enumerate(spans):
            c = per.setdefault(s.type, Counter())
            c["predicted"] += 1
            ok = k in covered_spans or any(s.text in gs or gs in s.text for gs in gold_strings)
            c["correct"] += int(ok)
    out = {}
    for t, c in sorted(per.items()):
        out[t] = {"recall": round(c["found"] / c["gold"], 3) if c["gold"] else None,
                  "precision": round(c["correct"] / c["predicted"], 3) if c["predicted"] else None,
                  "gold": c["gold"], "predicted": c["predicted"]}
    return out


def evaluate_corpus(corpus: Path, split: str, settings: Settings, *, workers: int = 2) -> dict[str, Any]:
    """Review a split of the corpus and compare with its labels."""
    golds = load_gold(corpus, split)
    paths = render_corpus(corpus, corpus / "rendered", [g.id for g in golds])
    t0 = time.perf_counter()
    records: dict[str, dict[str, Any]] = {}
    errors: dict[str, dict[str, str]] = {}
    with ReviewPool(workers, settings.model_dump_json(), settings.doc_timeout_s) as pool:
        tasks = ((gid, paths[gid].read_bytes()) for gid in sorted(paths))
        for res in pool.run(((f"{gid}{paths[gid].suffix}", data) for gid, data in tasks)):
            gid = res.name.rsplit(".", 1)[0]
            if res.report is None:
                errors[gid] = res.error or {}
                continue
            rec = dict(res.report)
            rec["fingerprint"] = res.fingerprint or []
            records[gid] = rec
    elapsed = time.perf_counter() - t0
    ordered = [records[g.id] for g in golds if g.id in records]
    template_pass(ordered, settings)
    crit_counts = {k: Counter() for k in CRITERIA}
    flag_counts = {k: Counter() for k in ALL_FLAGS}
    confusion: dict[str, Counter[str]] = {v: Counter() for v in ("compliant", "review", "non_compliant")}
    evidence_hits = evidence_total = missing_evidence = 0
    mistakes: list[dict[str, Any]] = []
    scored: dict[str, tuple[list[float], list[int]]] = {k: ([], []) for k in CRITERIA}
    leaks = 0
    leaked: list[dict[str, str]] = []
    # where the criteria decide the verdict (no blocking flag in the gold): on a test-only report or an
    # employer offer the flag decides, and a criterion's answer there does not change what a person sees
    deciding: Counter[str] = Counter()
    n_deciding = 0
    for g in golds:
        rec = records.get(g.id)
        if rec is None:
            continue
        lab = g.labels
        decides = not set(lab["flags"]) & BLOCKING
        n_deciding += decides
        for k in CRITERIA:
            gold, pred = bool(lab["criteria"][k]), bool(rec["criteria"][k]["met"])
            deciding[k] += decides and gold == pred
            scored[k][0].append(float(rec["criteria"][k]["score"]))
            scored[k][1].append(int(gold))
            crit_counts[k][("t" if gold == pred else "f") + ("p" if pred else "n")] += 1
            if pred and not rec["criteria"][k]["evidence"]:
                missing_evidence += 1
            if gold and pred and lab.get("evidence", {}).get(k):
                evidence_total += 1
                evidence_hits += int(_overlaps(rec["criteria"][k]["evidence"], lab["evidence"][k]))
        pred_flags = {f["code"]: f for f in rec["flags"]}
        for k in ALL_FLAGS:
            gold, pred = k in lab["flags"], k in pred_flags
            flag_counts[k][("t" if gold == pred else "f") + ("p" if pred else "n")] += 1
            if pred and not pred_flags[k]["evidence"]:
                missing_evidence += 1
            if gold and pred and lab.get("evidence", {}).get(k):
                evidence_total += 1
                evidence_hits += int(_overlaps(pred_flags[k]["evidence"], lab["evidence"][k]))
        confusion[lab["verdict"]][rec["verdict"]] += 1
        if lab["verdict"] != rec["verdict"]:
            mistakes.append({"id": g.id, "gold": lab["verdict"], "pred": rec["verdict"], "kind": lab.get("kind"),
                             "layout": layout_for(g.id),
                             "flags": sorted(pred_flags), "gold_flags": lab["flags"],
                             "criteria": {k: rec["criteria"][k]["met"] for k in CRITERIA if
                                          rec["criteria"][k]["met"] != lab["criteria"][k]}})
        blob = json.dumps({k: v for k, v in rec.items() if k != "fingerprint"}, ensure_ascii=False)
        for item in lab.get("pii", []):
            s = item["text"]
            if len(s) >= 4 and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", blob):
                leaks += 1
                leaked.append({"id": g.id, "type": item["type"]})  # which one, never the string
    n = len(records)
    correct = sum(confusion[v][v] for v in confusion)
    nc_tp = confusion["non_compliant"]["non_compliant"]
    nc_pred = sum(confusion[v]["non_compliant"] for v in confusion)
    nc_gold = sum(confusion["non_compliant"].values())
    # an auditor skips what is called compliant: how often that is right is the trust it deserves
    ok_pred = sum(confusion[v]["compliant"] for v in confusion)
    return {
        "split": split, "documents": len(golds), "reviewed": n, "errors": errors,
        "layouts": dict(Counter(layout_for(g.id) for g in golds)),
        "criteria": {k: _prf(c["tp"], c["fp"], c["fn"], c["tn"]) for k, c in crit_counts.items()},
        "criteria_accuracy_where_criteria_decide": {"documents": n_deciding, **{
            k: round(deciding[k] / n_deciding, 3) if n_deciding else None for k in CRITERIA}},
        "flags": {k: _prf(c["tp"], c["fp"], c["fn"], c["tn"]) for k, c in flag_counts.items()},
        "verdict": {"accuracy": round(correct / max(1, n), 3),
                    "non_compliant_precision": round(nc_tp / nc_pred, 3) if nc_pred else 1.0,
                    "non_compliant_recall": round(nc_tp / nc_gold, 3) if nc_gold else 1.0,
                    "compliant_precision": round(confusion["compliant"]["compliant"] / ok_pred, 3) if ok_pred else 1.0,
                    "confusion": {g: dict(c) for g, c in confusion.items()}},
        "evidence": {"overlap_with_gold": round(evidence_hits / max(1, evidence_total), 3),
                     "compared": evidence_total, "decisions_without_evidence": missing_evidence},
        # how far a criterion's score is from the observed rate of "met" (reports carry the scores of
        # raised flags only, so flags are not measured here)
        "calibration_ece": {k: ece(p, y) for k, (p, y) in scored.items()},
        "pii": pii_metrics(golds), "pii_leaks_in_reports": leaks, "pii_leaked": leaked,
        "seconds_per_document": round(elapsed / max(1, n), 3), "workers": workers,
        "mistakes": mistakes,
    }


def format_table(m: dict[str, Any]) -> str:
    """A table for people."""
    lines = [f"split {m['split']}: {m['reviewed']}/{m['documents']} documents reviewed, "
             f"{m['seconds_per_document']:.2f} s/document ({m['workers']} workers); layouts {m['layouts']}", "",
             f"{'':22}{'prec':>7}{'rec':>7}{'F1':>7}{'acc':>7}{'supp':>6}"]
    for group in ("criteria", "flags"):
        lines.append(group)
        for k, v in m[group].items():
            lines.append(f"  {k:20}{v['precision']:7.2f}{v['recall']:7.2f}{v['f1']:7.2f}{v['accuracy']:7.2f}{v['support']:6d}")
    dec = m.get("criteria_accuracy_where_criteria_decide")
    if dec and dec["documents"]:
        lines.append(f"criteria accuracy on the {dec['documents']} POPs without a blocking flag: "
                     + ", ".join(f"{k} {dec[k]:.2f}" for k in CRITERIA))
    vd = m["verdict"]
    lines += ["", f"verdict accuracy {vd['accuracy']:.3f}; non_compliant precision {vd['non_compliant_precision']:.3f} "
                  f"recall {vd['non_compliant_recall']:.3f}; compliant precision {vd.get('compliant_precision', 1.0):.3f}",
              "confusion (gold → predicted):"]
    for g, c in vd["confusion"].items():
        lines.append(f"  {g:14} " + "  ".join(f"{p}={c.get(p, 0)}" for p in ("compliant", "review", "non_compliant")))
    if "calibration_ece" in m:
        lines += ["", "score calibration, expected calibration error per criterion: "
                  + ", ".join(f"{k} {v:.3f}" for k, v in m["calibration_ece"].items())]
    ev = m["evidence"]
    lines += ["", f"evidence overlap with gold {ev['overlap_with_gold']:.3f} ({ev['compared']} compared); "
                  f"decisions without evidence: {ev['decisions_without_evidence']}", "personal data (recall / precision):"]
    for t, v in m["pii"].items():
        lines.append(f"  {t:14} recall {v['recall'] if v['recall'] is not None else '-':>5}  precision "
                     f"{v['precision'] if v['precision'] is not None else '-':>5}  (gold {v['gold']})")
    lines.append(f"personal-data strings leaked into reports: {m['pii_leaks_in_reports']}")
    if m["errors"]:
        lines.append(f"errors: {m['errors']}")
    return "\n".join(lines)
