"""Render a report as JSON, as a Dutch summary a complaints handler reads in a minute, or as HTML."""

from __future__ import annotations

import html
import json
from typing import Any

QUESTIONS = {
    "career_question": "Is er een klantspecifieke loopbaanvraag geformuleerd?",
    "competences": "Kreeg de klant inzicht in zijn/haar loopbaancompetenties en werden die versterkt?",
    "tailored": "Was de begeleiding op maat van de klant?",
    "development_plan": "Werd het POP samen met de klant opgesteld, met de evolutie van de competenties?",
    "action_plan": "Kan de klant zelf stappen zetten op de arbeidsmarkt?",
}
FLAG_NAMES = {
    "test_only": "Enkel een test met bespreking van de resultaten",
    "advice_only": "Enkel een advies of oordeel",
    "application_only": "Enkel sollicitatiebegeleiding",
    "excluded_context": "Deel van outplacement, opleiding, coaching of een ander programma",
    "employer_initiated": "Initiatief of betrokkenheid van de werkgever",
    "out_of_scope": "Geen loopbaancheque-POP (HR-POP, maatwerk-POP, actieplan werkzoekende)",
    "template_copy": "Bijna identiek aan POP's van andere klanten",
}
NEXT = {
    "test_only": "Vraag het verloop van de sessies op: was er meer dan de test en de bespreking ervan?",
    "advice_only": "Ga na of de klant zelf keuzes maakte en acties formuleerde.",
    "application_only": "Ga na of er naast cv en sollicitatie ook loopbaancompetenties aan bod kwamen.",
    "excluded_context": "Controleer of het traject losstaat van outplacement, opleiding of coaching.",
    "employer_initiated": "Controleer wie het initiatief nam en wie het verslag ontvangt.",
    "out_of_scope": "Controleer of dit document wel een POP van een loopbaancheque is.",
    "template_copy": "Vergelijk met de genoemde documenten van hetzelfde centrum.",
}
VERDICT = {"compliant": "CONFORM", "review": "NAKIJKEN", "non_compliant": "NIET CONFORM"}


def render_json(report: dict[str, Any]) -> str:
    """The contract's JSON."""
    return json.dumps(report, ensure_ascii=False, indent=2)


def _answer(c: dict[str, Any]) -> str:
    if c["met"]:
        return "ja"
    return "onduidelijk" if c["score"] >= 0.3 else "nee"


def weakest_met(report: dict[str, Any]) -> str:
    """For a "compliant" report, the met criterion with the thinnest support, as a next step.

    Measured on the test split and on independently written POPs, the screener's typical error is a
    partial POP called compliant because one criterion was read as met; the criterion with the lowest
    score is where a reader should look first.
    """
    if report.get("verdict") != "compliant":
        return ""
    key, c = min(report["criteria"].items(), key=lambda kv: kv[1]["score"])
    return (f"Na te gaan: de zwakst onderbouwde vraag is '{QUESTIONS[key]}' (score {c['score']:.2f}); "
            "lees de citaten na voor u het POP als conform beschouwt.")


def render_text(report: dict[str, Any]) -> str:
    """A Dutch summary: verdict, the five questions with ja/nee/onduidelijk and quotes, flags, next steps."""
    if "error" in report:
        return f"{report.get('document', {}).get('filename', '?')}: FOUT {report['error']['code']}: {report['error']['message']}"
    d = report["document"]
    lines = [f"POP-screening: {d['filename']}  ({d['format']}, {d['pages']} p., {d['words']} woorden"
             + (f", {d['ocr_pages']} p. via OCR" if d["ocr_pages"] else "") + ")",
             f"Oordeel: {VERDICT[report['verdict']]}   prioriteit {report['priority']:.2f}", ""]
    for key, question in QUESTIONS.items():
        c = report["criteria"][key]
        lines.append(f"{question} {_answer(c).upper()} ({c['score']:.2f})")
        for e in c["evidence"][:2]:
            lines.append(f"    “{e['text']}” (p. {e['page']})")
        if not c["met"]:
            lines.append(f"    {c['explanation']}")
    lines.append("")
    if report["flags"]:
        lines.append("Signalen:")
        for f in report["flags"]:
            lines.append(f"  ! {FLAG_NAMES.get(f['code'], f['code'])} ({f['score']:.2f})")
            for e in f["evidence"][:2]:
                lines.append(f"    “{e['text']}” (p. {e['page']})")
            lines.append(f"    Na te gaan: {NEXT.get(f['code'], '')}")
    else:
        lines.append("Signalen: geen.")
    weakest = weakest_met(report)
    if weakest:
        lines.append("")
        lines.append(weakest)
    lines.append("")
    lines.append("Dit is een hulpmiddel: een medewerker beslist. Citaten zijn gepseudonimiseerd.")
    return "\n".join(lines)


def render_html(report: dict[str, Any]) -> str:
    """A self-contained HTML page of the report."""
    esc = html.escape
    if "error" in report:
        return f"<!doctype html><meta charset=utf-8><p>Fout {esc(report['error']['code'])}: {esc(report['error']['message'])}</p>"
    d = report["document"]
    rows = []
    for key, question in QUESTIONS.items():
        c = report["criteria"][key]
        quotes = "".join(f"<blockquote>{esc(e['text'])} <small>(p. {e['page']})</small></blockquote>" for e in c["evidence"])
        rows.append(f"<tr><td>{esc(question)}</td><td class='{_answer(c)}'>{_answer(c)}</td>"
                    f"<td>{c['score']:.2f}</td><td>{quotes}<p>{esc(c['explanation'])}</p></td></tr>")
    flags = "".join(
        f"<li><b>{esc(FLAG_NAMES.get(f['code'], f['code']))}</b> ({f['score']:.2f})"
        + "".join(f"<blockquote>{esc(e['text'])}</blockquote>" for e in f["evidence"])
        + f"<p>{esc(NEXT.get(f['code'], ''))}</p></li>" for f in report["flags"]) or "<li>geen</li>"
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>POP-screening {esc(d['filename'])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}}td{{vertical-align:top;border-top:1px solid #ccc;padding:.4em}}
.ja{{color:green}}.nee{{color:#b00}}.onduidelijk{{color:#b60}}blockquote{{margin:.3em 1em;color:#333;font-style:italic}}</style></head>
<body><h1>POP-screening: {esc(d['filename'])}</h1>
<p>Oordeel: <b>{VERDICT[report['verdict']]}</b> — prioriteit {report['priority']:.2f} — {d['pages']} p., {d['words']} woorden</p>
<table><tr><th>Vraag</th><th>Antwoord</th><th>Score</th><th>Onderbouwing</th></tr>{''.join(rows)}</table>
<h2>Signalen</h2><ul>{flags}</ul>{f"<p>{esc(weakest_met(report))}</p>" if weakest_met(report) else ""}
<p><small>Hulpmiddel voor een medewerker die beslist. Citaten zijn gepseudonimiseerd. Versies: {esc(json.dumps(report['versions']))}</small></p>
</body></html>"""
