"""Canonical POP sections from headings and form labels.

Centres word their headings in many ways ("2. Mijn loopbaanvraag", "WAARMEE KWAM JE?", "Vraag",
"Hoofdstuk 1: Vastgelopen"); numbering, case and punctuation are stripped and the heading is mapped to
one canonical section by keyword rules. Form labels ("Loopbaanvraag bij start: …") count as headings
for the sentence they open. Unknown headings keep the previous section's body as ``overig``.
"""

from __future__ import annotations

import re

SECTION_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("identificatie", re.compile(r"identific|gegevens|personalia|klantgegevens|administratie|dossier|"
                                 r"^naam\b|contactgegevens|praktisch", re.I)),
    ("loopbaanvraag", re.compile(r"vraag|aanleiding|startpunt|waarmee kwam|hulpvraag|beginsituatie|"
                                 r"doelstelling van de begeleiding|waarom (hier|loopbaanbegeleiding)|"
                                 r"vertrekpunt|situering|question|starting point", re.I)),
    ("evolutie", re.compile(r"evolutie|zelfscore|zelfinschatting|groei|voor en na|waar sta ik|"
                            r"vooruitgang|meting|scores|progress|terugblik|evaluatie van de competenties", re.I)),
    ("actieplan", re.compile(r"actie|plan\b|mijn plan|stappen|next steps|volgende|to do|afspraken|"
                             r"hoe verder|vervolg|toekomst|doelen|engagement|wat ga ik doen", re.I)),
    ("testresultaten", re.compile(r"test|profiel|rapport|resultat|type|mbti|insights|enneagram|disc|"
                                  r"vragenlijst|assessment", re.I)),
    ("sollicitatie", re.compile(r"sollicit|\bcv\b|motivatiebrief|linkedin|vacature", re.I)),
    ("verkenning", re.compile(r"verken|exploratie|arbeidsmarkt|opties|mogelijkheden|welk werk|"
                              r"beroepen|opleiding|informatiegesprek|career path|onderzoek", re.I)),
    ("inzichten", re.compile(r"inzicht|competent|kwaliteit|talent|sterkte|waarden|drijfveer|wie ben ik|"
                             r"wat kan ik|wat wil ik|ontdekt|zelfkennis|reflectie|motiev|strengths|"
                             r"energie|interesses|levenslijn", re.I)),
    ("advies", re.compile(r"advies|aanbeveling|conclusie|besluit", re.I)),
    ("verloop", re.compile(r"verloop|sessie|gesprek \d|gesprekken|traject|werkwijze|methodiek|aanpak|"
                           r"overzicht|tijdlijn|log", re.I)),
    ("afsluiting", re.compile(r"afsluit|handtekening|akkoord|ondertekening|slot|tot slot|nazorg|"
                              r"synthese|slotwoord|samenvatting", re.I)),
]

_NUMBERING = re.compile(r"^\s*(?:(?:hoofdstuk|deel|bijlage|§)\s*)?[\dIVXivx]+(?:[.)]\d*)*[.):]?\s*", re.I)


def canonical_section(heading: str) -> str:
    """The canonical section of a heading text, or ``overig``."""
    h = _NUMBERING.sub("", heading).strip(" :-–—").lower()
    for name, rule in SECTION_RULES:
        if rule.search(h):
            return name
    return "overig"


FORM_LABEL = re.compile(r"^\s*([A-Za-zÀ-ÿ' /()-]{3,60})\s*:\s+(\S.*)$")


def form_label(text: str) -> tuple[str, str] | None:
    """Split ``Label: value`` paragraphs; returns (label, value) or None."""
    m = FORM_LABEL.match(text)
    if not m or len(m.group(1).split()) > 7:
        return None
    return m.group(1).strip(), m.group(2).strip()
