"""Recognisers for the personal data in POPs, each returning spans with an explanation.

Pattern recognisers validate what they can (INSZ/BIS and IBAN by mod 97) and use context words where
a bare pattern would be ambiguous (a date is a date of birth only after *geboren*, *geboortedatum*,
*°*; a number is a cheque or client number only after its label). Names come from form labels
(*Naam:*, *Klant:*, *Begeleider:*), salutations (*mevrouw*, *dhr.*), and first-name lists followed by
capitalised surnames; once a name is known every later mention of it (full, first name or surname) is
found too. An allow-list keeps VDAB, test and competence names and section words unmasked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pop_review.privacy.checks import valid_iban, valid_insz

_RES = Path(__file__).resolve().parents[1] / "resources"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One personal-data occurrence."""

    start: int
    end: int
    type: str
    text: str
    recognizer: str
    explanation: str


MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|\d{{1,2}} (?:{MONTHS}) (?:19|20)\d{{2}})"
INSZ = re.compile(r"(?<![\d.])\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s-]?\d{2}(?![\d])")
INSZ_CONTEXT = re.compile(r"(rijksregister|insz|rrn|\bnn\b|nationaal nummer|bis-?nummer|identificatienummer)", re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)32[\s.]?(?:\(0\)[\s.]?)?[1-9]\d?(?:[\s./-]?\d){6,8}|"
    r"0[1-9]\d{0,2}(?:[\s./-]?\d){6,8})(?![\d/])")
# a street name with an unmistakable suffix is an address even without a postcode; weaker suffixes
# (-baan, -ring, -berg, -hof: "Loopbaan 4", "Situering 2") only count with a postcode (POSTAL_ADDRESS)
STREET = (r"(?:[A-ZÀ-Ý][\w'À-ÿ-]*[ ]){0,3}[A-ZÀ-Ý]?[\w'À-ÿ-]*(?:straat|laan|steenweg|weg|plein|lei|dreef|kaai|"
          r"dijk|vest|singel|gracht|straatje|kouter|driesch|steeg)")
ADDRESS = re.compile(rf"\b{STREET}[ ]+\d{{1,4}}(?:[ ]?[A-Za-z](?![a-z]))?(?:[ ]*(?:bus|b\.?|/)[ ]*\d+[A-Za-z]?)?"
                     r"(?:[ ]*[,\n]?[ ]*\d{4}[ ]+[A-ZÀ-Ý][\w'À-ÿ-]+(?:[- ][A-ZÀ-Ý][\w'À-ÿ-]+)*)?")
# any "Name(s) 12[ bus 3], 9000 Town": the postcode makes a street without a typical suffix an address
# ("Markt 27, 9700 Oudenaarde", "Rue Vanderkindere 204, 1180 Ukkel", "Weg naar As 148 bus 3, 3600 Genk")
POSTAL_ADDRESS = re.compile(r"\b[A-ZÀ-Ý][\w'À-ÿ-]*(?:[ ][\w'À-ÿ-]+){0,3}[ ]\d{1,4}(?:[ ]?[A-Za-z](?![a-z]))?"
                            r"(?:[ ]*(?:bus|b\.?|/)[ ]*\d+[A-Za-z]?)?[ ]*[,\n][ ]*[1-9]\d{3}[ ]+[A-ZÀ-Ý][\w'À-ÿ-]+"
                            r"(?:[- ][A-ZÀ-Ý][\w'À-ÿ-]+)*")
_ORG_CONTEXT = re.compile(r"\b(vzw|bv|nv|bvba|cvba|kantoor|vestiging|vestigingen|campus|hoofdzetel|zetel|"
                          r"maatschappelijke zetel)\b|www\.", re.I)
# an organisation's name just before the address on the same line ("Atelier Richting – Brusselsestraat
# 64"); capitalised on purpose, so "ik woon in een huis aan de Kerkstraat 5" stays a personal address
_ORG_NAME = re.compile(r"\b(Loopbaan(?!cheque)\w*|Atelier|Bureau|Praktijk|Centrum|Werkplaats|Coöperatie|Group|"
                       r"Consult\w*|Academie|Studio|[A-Z]\w*(?:huis|punt|centrum|atelier|bureau|praktijk))\b")
DOB = re.compile(rf"(?:geboren(?: op)?|geboortedatum|geb\.|°|geboorte)\s*[:|]?\s*(?:op\s+)?({_DATE}|(?<=°)(?:19|20)\d{{2}})"
                 rf"|geboortejaar\s*[:|]?\s*((?:19|20)\d{{2}})", re.I)
NUMBER = re.compile(r"(?:chequenummer|chequenr|cheque-?nummer|cheque\s?nr\.?|cheque-?id|klantnummer|klantnr\.?|"
                    r"klant-?id|personeelsnummer|personeelsnr\.?|dossiernummer|dossiernr\.?|referentie(?:nummer)?|"
                    r"ref\.|loopbaancheque\s?(?:nr|nummer)\.?|registratienummer|rijksregister|cheque(?:s)?)"
                    r"(?:[ \t]+[\w.]+){0,3}?[ \t]*[:|–]?[ \t]*"
                    r"((?=[A-Z0-9./-]*\d)[A-Z0-9][A-Z0-9./-]{2,24}[A-Z0-9](?:[ ][0-9]{2,6}){0,3})", re.I)
# an identifier a few words after its label on the same line ("Cheque 2 (3 uur): 3112-5094-2277",
# "Loopbaancheque 1 – nummer 2409-1170-5562", "Dossier JV-1193"): grouped digits of three or more
# (so dates and INSZ numbers, whose groups have two, do not match), separated by dashes, slashes, dots
# or single spaces ("nr. 5129 0374 8816"), or a letter prefix with digits
LABELLED_ID = re.compile(r"(?i:cheque|dossier|klant|nummer|\bnr\b)[^\n]{0,40}?"
                         r"(?<![\w-])((?:[A-Z]{1,4}-)?\d{3,5}(?:[-/.]\d{3,5}){1,3}|\d{3,5}(?: \d{3,5}){1,3}|(?:\d{2,4}-)?[A-Z]{1,4}-\d{3,8})(?![\w-])")
# a structured code a few words after its label ("nr. LBC-23-07-662019", "2024-12-LBC-07731",
# "VDAB 22LC0049917", "klantnummer VDAB 61 204 877"): upper-case letter groups and digit groups, joined
# by dashes, slashes or single spaces or written together, with at least five digits in all; dates
# are kept out by _NOT_AN_ID below
LABELLED_CODE = re.compile(r"(?i:cheque|dossier|klant|nummer|\bnr\b|\bref\b|vdab)[^\n]{0,40}?"
                           r"(?<![\w-])((?:[A-Z]{2,5}|\d{2,})(?:[-/ ]?(?:[A-Z]{2,5}|\d{2,})){1,4})(?![\w-])")
# an identifier whose label is lost: three or more dash-joined digit groups with ten digits or more
# ("2401-612-85340" under an OCR-garbled "chegquenummer", or on the next line of a PDF table cell).
# Dates (groups of 1-2 digits and a year), phones (slashes and spaces) and INSZ numbers (dots) have
# another shape; on both corpora all 120 such strings are gold identifiers.
BARE_ID = re.compile(r"(?<![\w./-])\d{3,6}(?:-\d{2,6}){2,4}(?![\w-])")
# a long unbroken digit run with no label at all ("| voankiantnumer | 40772519 |", an OCR-garbled
# "klantnummer" in x52_09; "204417" on a line of its own where a PDF table cell broke after
# "personeelsnummer", x58_13): all 232 such runs of 6-10 digits in both corpora are client, staff, cheque
# or file numbers. Nine or ten digits opening with 0 are left to the phone recogniser.
BARE_LONG_NUMBER = re.compile(r"(?<![\w./+-])(?!0\d{8,9}(?!\d))\d{6,10}(?![\w/-]|[.,]\d)")
# what the number recognisers must leave alone: dates (12/12/2023, 2023-12-12), month and year (11/2022),
# a span of years (2008-2009) and amounts with thousands points (100.000)
_NOT_AN_ID = re.compile(r"\d{1,2}[-/. ]\d{1,2}[-/. ](?:19|20)?\d\d|(?:19|20)\d\d[-/. ]\d{1,2}[-/. ]\d{1,2}|"
                        r"\d{1,2}/(?:19|20)\d\d|(?:19|20)\d\d ?[-/–] ?(?:19|20)?\d\d|\d{1,3}(?:\.\d{3})+")
_LABEL_WORDS = (r"(?:naam(?: (?:klant|cliënt|client|deelnemer|begeleider|coach|loopbaanbegeleider))?|"
                r"klant|cliënt|client|deelnemer|begeleider|loopbaanbegeleider|loopbaancoach|coach|"
                r"opgesteld door|contactpersoon|voor akkoord|handtekening(?: klant| begeleider)?|"
                r"ondertekend door|partner|echtgeno(?:ot|te)|leidinggevende)")
LABEL = re.compile(rf"(?:^|\n|\|\s?|\b){_LABEL_WORDS}\s*:\s*"
                   # the label as the first cell of a table row: "| Klant | Mehdi El Amrani |"
                   rf"|(?m:^)\|?[ \t]*{_LABEL_WORDS}[ \t]*\|[ \t]*"
                   # a signature line "Voor akkoord, Mehdi El Amrani" (not "Voor akkoord, Lier, 14/05/2024")
                   r"|\bvoor akkoord,[ \t]*(?=(?-i:[A-ZÀ-Ý][\w'’-]+[ \t]+(?:[a-z]{1,3}[ \t]+)?[A-ZÀ-Ý]))", re.I)
# the wider family, named after the kinship word ("haar kleinzoon Tibo"): a salutation and a person noun
_FAMILY = ("kleinzoon", "kleindochter", "kleinkind", "schoonzoon", "schoondochter", "schoonmoeder", "schoonvader",
           "neef", "nicht", "tante", "oom", "oma", "opa", "grootmoeder", "grootvader", "stiefzoon", "stiefdochter",
           "petekind", "metekind")
SALUTATION = re.compile(r"\b(?:mevrouw|meneer|mevr\.|dhr\.|mr\.|mw\.|de heer|beste|dag|lieve|geachte|"
                        r"collega|begeleider|coach|loopbaanbegeleider|klant|zoon|dochter|partner|man|vrouw|"
                        r"echtgenoot|echtgenote|broer|zus|vriendin|vriend|mama|papa|moeder|vader|buurman|"
                        r"buurvrouw|schoonzus|schoonbroer|baas|leidinggevende|teamleider|directeur|"
                        r"manager|mentor|contactpersoon|zaakvoerder|zaakvoerster|" + "|".join(_FAMILY) + r")(?:,)?\s+",
                        re.I)
# a capitalised word after one of these is a name even when no name list knows it ("mijn man Guido",
# "de zaakvoerster, Mireille"): relatives and the people a client works with are named this way
_PERSON_NOUN = frozenset({"zoon", "dochter", "partner", "man", "vrouw", "echtgenoot", "echtgenote", "broer", "zus",
                          "vriendin", "vriend", "mama", "papa", "moeder", "vader", "buurman", "buurvrouw", "schoonzus",
                          "schoonbroer", "collega", "zaakvoerder", "zaakvoerster", "leidinggevende", "teamleider",
                          "mentor", "contactpersoon", "coach", "begeleider", "loopbaanbegeleider", *_FAMILY})
# after these words a capitalised word is usually a person the client meets ("ze vraagt Kelly", "bij
# Kelly terecht"); counted as a name when it comes back elsewhere in the text, which one-off company or
# place names mostly do not
_PERSON_CONTEXT = re.compile(r"\b(?:bij|met|aan|vraagt|vroeg|belt|belde|mailt|mailde|sprak|spreekt|contacteert|"
                             r"contacteerde|volgens|dankzij)[ \t]+([A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]{2,}(?:-[A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]+)?)\b")
# a speaker at the start of a line in a transcript: "Sonja: "Ik dacht dat …""
SPEAKER = re.compile(r"(?m)^[ \t]*([A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]+(?:-[A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]+)?)[ \t]*:[ \t]*[\"“„'‘]")
PARTICLE = r"(?:(?:van|de|den|der|ter|ten|te|vanden|vander|van de|van den|van der|el|al|ben|le|la|du|d'|op de|in 't)[ \t]+)"
# Latin Extended-A (Ā-ſ) for names such as Ayşe, Dağ, Łukasz or Čech: upper case first, then any letter
NAME_TOKEN = r"[A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]+(?:-[A-ZÀ-ÝĀ-ſ][a-zà-ÿĀ-ſ'’]+)?"


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    first = frozenset(n.strip() for n in (_RES / "names_first.txt").read_text(encoding="utf-8").split() if n.strip())
    last = frozenset(n.strip() for n in (_RES / "names_last.txt").read_text(encoding="utf-8").split() if n.strip())
    return first, last


def first_names() -> frozenset[str]:
    """The first-name list the name recognisers use (also read by the loopbaanvraag gate)."""
    return _names()[0]


ALLOW = frozenset(w.lower() for w in """VDAB Loopbaancheque Loopbaanvraag POP Insights MBTI DISC Enneagram Big Five
RIASEC Holland Kuijpers Belbin Schein Ofman LinkedIn CV Actieplan Datum Handtekening Akkoord Sessie Gesprek Intake
Bijlage Hoofdstuk Cheque Klant Begeleider Loopbaanbegeleider Trajectbegeleider Jobcoach Consulent Naam Adres Telefoon Mail Email E-mail Geboortedatum
Rijksregisternummer INSZ IBAN Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April
Mei Juni Juli Augustus September Oktober November December Vlaanderen Brussel Belgie België Europa Gent Antwerpen
Leuven Brugge Hasselt Mechelen Kortrijk Aalst Oostende Genk Ik Wij We Je Jij U Hij Zij Mijn Jouw Uw Haar Zijn Onze
De Het Een Ja Nee Ok Oké Plan Doel Doelen Stap Stappen Wat Wie Wanneer Waar Hoe Waarom Status Competentie Start
Einde Score Scores Voor Na Nu Tot Met Van Zelfscore Kwaliteitenreflectie Motievenreflectie Werkexploratie
Loopbaansturing Netwerken Talent Talenten Waarden HR CAO Covid Corona Google Microsoft Excel Word Teams Zoom
Beste Geachte Dag Hallo Groeten Vriendelijke Met Hartelijke Loopbaancentrum Centrum Werkwinkel Syntra Hogeschool
Universiteit KU UGent More Odisee Howest Vives AP PXL Artevelde Erasmushogeschool UZ AZ OCMW Stad Gemeente
Bpost Proximus Colruyt Delhaize Carrefour Aldi Lidl Ikea Decathlon Brussels Airlines Infrabel NMBS Lijn Fluvius
Agentschap Departement Vlaamse Overheid Federale Rode Kruis Kind Gezin Mutualiteit Ziekenfonds CM Solidaris
Partena Securex Acerta SD Liantis Randstad Adecco Tempo Team Start People Jobat Stepstone Indeed""".split())


def _identifier(value: str, min_digits: int) -> bool:
    """Whether a value after a number label is an identifier: enough digits, not a year, a date, a
    month and year, a span of years or an amount."""
    return (sum(ch.isdigit() for ch in value) >= min_digits and not re.fullmatch(r"(19|20)\d\d", value)
            and not _NOT_AN_ID.fullmatch(value))


# the second value of a paired label ("Klantnummer / chequenummer | 3391027 / 24088105536", "dossier-
# en chequenummer: LB-7731 en 2024/55812"): a value of the same kind straight after a number, joined by a
# slash, comma, "en" or "&"
_NEXT_VALUE = re.compile(r"[ \t]*(?:/|,|;|&|\ben\b)[ \t]*((?=[A-Z0-9./-]*\d)[A-Z0-9][A-Z0-9./-]{2,24}[A-Z0-9])(?![\w-])")


def _paired_numbers(text: str, spans: list[PiiSpan]) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    todo = [s for s in spans if s.type == "NUMMER"]
    while todo:
        m = _NEXT_VALUE.match(text, todo.pop().end)
        if m and _identifier(m.group(1), 4):
            span = PiiSpan(m.start(1), m.end(1), "NUMMER", m.group(1), "paired_number",
                           "tweede waarde na een nummer met een dubbel label")
            out.append(span)
            todo.append(span)
    return out


# a table whose header row names the columns ("| Geboortedatum | Adres | Telefoon |" over "| 21/01/1971 |
# Meerstraat 4 … |"): the label is above its value, not beside it (five identification tables of guide_v11)
_COLUMN_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GEBOORTEDATUM", re.compile(r"geboortedatum|geboren(?: op)?|geb\.?(?: ?datum)?|datum van geboorte", re.I)),
    ("NUMMER", re.compile(r"(?:cheque|klant|dossier)[- ]?(?:nummer|nr\.?)|chequenr\.?|klantnr\.?", re.I)),
    ("NAAM", re.compile(_LABEL_WORDS, re.I)),
)
_CELL = re.compile(r"[^|\n]+")
_CELL_NAME = re.compile(rf"{NAME_TOKEN}(?:[ \t]+{PARTICLE}?{NAME_TOKEN})+(?=\s*(?:[,(]|$))")
_SEPARATOR = re.compile(r"[\s|:-]+")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The non-empty cells of the table row ``text[start:end]``: (start, end, stripped text)."""
    out = []
    for m in _CELL.finditer(text, start, end):
        value = m.group(0).strip()
        if value:
            first = m.start() + m.group(0).index(value)
            out.append((first, first + len(value), value))
    return out


def _column_values(text: str) -> list[PiiSpan]:
    """Values in the column of a header-row label, in the rows that follow it within the same table."""
    out: list[PiiSpan] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if "|" in m.group(0)]
    header: list[tuple[str | None, int]] = []  # the label type of each column of the last header row
    prev_end = -2
    for start, end in lines:
        if _SEPARATOR.fullmatch(text[start:end]):
            continue
        cells = _cells(text, start, end)
        if start != prev_end + 1:
            header = []  # a row that does not follow the previous table line starts a new table
        prev_end = end
        kinds = [next((kind for kind, rx in _COLUMN_LABELS if rx.fullmatch(c[2])), None) for c in cells]
        if len(cells) >= 2 and any(kinds):
            header = [(k, i) for i, k in enumerate(kinds)]
            continue
        if not header or len(cells) != len(header):
            continue
        for kind, i in header:
            a, b, value = cells[i]
            if kind == "GEBOORTEDATUM" and re.fullmatch(_DATE, value):
                out.append(PiiSpan(a, b, kind, value, "column_dob", "datum in de kolom 'geboortedatum'"))
            elif kind == "NUMMER" and _identifier(value, 4):
                out.append(PiiSpan(a, b, kind, value, "column_number", "nummer in de kolom van zijn label"))
            elif kind == "NAAM" and (m := _CELL_NAME.match(value)) and not _is_org(m.group(0)):
                # the name opens the cell ("Johanna Maes, INSZ …")
                out.append(PiiSpan(a, a + m.end(), kind, m.group(0), "column_name", "naam in de kolom 'naam/klant'"))
    return out


def find_pii(text: str, known_names: Iterable[str] = ()) -> list[PiiSpan]:
    """All personal-data spans in a text, overlaps resolved in favour of the earlier-listed type.

    ``known_names`` are names already found elsewhere in the same document (a sentence quoted on its
    own may mention "Peeters" without the label or salutation that identified her).
    """
    spans: list[PiiSpan] = []
    for m in INSZ.finditer(text):
        ctx = INSZ_CONTEXT.search(text[max(0, m.start() - 40):m.start()])
        if valid_insz(m.group(0)):
            spans.append(PiiSpan(m.start(), m.end(), "INSZ", m.group(0), "insz", "11 cijfers met geldige mod-97-controle"))
        elif ctx:
            spans.append(PiiSpan(m.start(), m.end(), "INSZ", m.group(0), "insz_context", "nummer na 'rijksregisternummer/INSZ'"))
    for m in EMAIL.finditer(text):
        spans.append(PiiSpan(m.start(), m.end(), "EMAIL", m.group(0), "email", "e-mailadres"))
    for m in IBAN.finditer(text):
        if valid_iban(m.group(0)):
            spans.append(PiiSpan(m.start(), m.end(), "IBAN", m.group(0), "iban", "IBAN met geldige mod-97-controle"))
    for m in DOB.finditer(text):
        g = 1 if m.group(1) else 2
        spans.append(PiiSpan(m.start(g), m.end(g), "GEBOORTEDATUM", m.group(g), "dob", "datum na 'geboren/geboortedatum/°'"))
    for m in NUMBER.finditer(text):
        val = m.group(1).rstrip(" .-/")
        if _identifier(val, 4):
            spans.append(PiiSpan(m.start(1), m.start(1) + len(val), "NUMMER", val, "number", "nummer na zijn label"))
    for m in LABELLED_ID.finditer(text):
        if not _identifier(m.group(1), 0):  # its pattern already asks for digit groups
            continue
        spans.append(PiiSpan(m.start(1), m.end(1), "NUMMER", m.group(1), "labelled_id", "identificatienummer na 'cheque/dossier/klant/nr'"))
    for m in LABELLED_CODE.finditer(text):
        code = m.group(1)
        if _identifier(code, 5):
            spans.append(PiiSpan(m.start(1), m.end(1), "NUMMER", code, "labelled_code", "code na 'cheque/dossier/klant/nr'"))
    for m in BARE_ID.finditer(text):
        if _identifier(m.group(0), 10):
            spans.append(PiiSpan(m.start(), m.end(), "NUMMER", m.group(0), "bare_id",
                                 "identificatienummer in drie of meer cijfergroepen"))
    for m in BARE_LONG_NUMBER.finditer(text):
        spans.append(PiiSpan(m.start(), m.end(), "NUMMER", m.group(0), "bare_long_number",
                             "lang getal van 6 tot 10 cijfers zonder label"))
    spans.extend(_column_values(text))
    spans.extend(_paired_numbers(text, spans))
    for rx in (ADDRESS, POSTAL_ADDRESS):
        for m in rx.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - 80):m.start()]
            if _ORG_CONTEXT.search(before) or _ORG_NAME.search(before):
                continue  # an organisation's address (centre letterhead, employer seat), not a person's
            spans.append(PiiSpan(m.start(), m.end(), "ADRES", m.group(0).rstrip(", "), "address",
                                 "straat + huisnummer (+ postcode)"))
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 9 <= len(digits) <= 12:
            spans.append(PiiSpan(m.start(), m.end(), "TELEFOON", m.group(0), "phone", "Belgisch telefoonnummer"))
    spans.extend(_names_in(text, known_names))
    return resolve_overlaps(spans)


_PARTICLES = {"van", "de", "den", "der", "ter", "ten", "te", "vanden", "vander", "el", "al", "ben", "le", "la", "du"}


def _clean_name(seq: str) -> str:
    words = seq.split()
    # trailing words that are ordinary capitalised words (start of next sentence) are dropped
    while words and words[-1].lower() in ALLOW:
        words.pop()
    # a leading particle (Van, De, El…) belongs to the surname: "mevrouw Van den Broeck"
    while words and words[0].lower() in ALLOW and not (
            words[0].lower() in _PARTICLES and len(words) > 1):
        words.pop(0)
    return " ".join(words)


def _names_in(text: str, known_names: Iterable[str] = ()) -> list[PiiSpan]:
    first, last = _names()
    found: dict[str, str] = {n: "known" for n in known_names if n}
    # names never run over a line break (a table cell "Nathalie" followed by the next row)
    seq_re = re.compile(rf"{NAME_TOKEN}(?:[ \t]+(?:{PARTICLE})?{NAME_TOKEN}){{0,3}}|[A-Z][a-z]?\.[ ]?{NAME_TOKEN}")
    seq_re_part = re.compile(rf"(?:{PARTICLE})?{NAME_TOKEN}(?:[ \t]+(?:{PARTICLE})?{NAME_TOKEN}){{0,3}}")
    for m in LABEL.finditer(text):
        nm = seq_re.match(text, m.end()) or seq_re_part.match(text, m.end())
        if nm:
            name = _clean_name(nm.group(0))
            if name and name.lower() not in ALLOW and not _is_org(name):
                found[name] = "label"
    for m in SALUTATION.finditer(text):
        nm = seq_re.match(text, m.end()) or seq_re_part.match(text, m.end())
        if nm:
            name = _clean_name(nm.group(0))
            trigger = m.group(0).strip().rstrip(",").strip().lower()
            strong = trigger in {"mevrouw", "meneer", "mevr.", "dhr.", "mr.", "mw.", "de heer", "beste", "geachte",
                                 "lieve", "dag"} or trigger in _PERSON_NOUN
            if name and name.lower() not in ALLOW and (strong or name.split()[0] in first or
                                                       name.split()[-1] in last) and not _is_org(name):
                found[name] = "salutation"
    for m in _PERSON_CONTEXT.finditer(text):
        name = m.group(1)
        if name.lower() in ALLOW or _is_org(name) or name in found:
            continue
        mentions = len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))
        # an ordinary word capitalised at a heading ("Samen", "Traject") also occurs in lower case; a
        # centre or firm shows its name in its letterhead line (with "loopbaan", "vzw", a web address…)
        common = re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", text)
        # (a letterhead is a short line: an organisation word somewhere in a long paragraph that also
        # mentions the person says nothing — "getrouwd met Aylin … een gewoon gezinsleven thuis")
        letterhead = any(_ORG.search(line) or "www." in line or "@" in line
                         for line in text.splitlines() if name in line and len(line) <= LETTERHEAD_MAX)
        if mentions >= 2 and not common and not letterhead:
            found.setdefault(name, "label")
    for name in _names_from_emails(text):
        found.setdefault(name, "email")
    for m in SPEAKER.finditer(text):
        name = m.group(1)  # "Actie: "…"" has the same shape: only known first names are speakers
        if name in first and name.lower() not in ALLOW:
            found.setdefault(name, "label")
    def known_first(w: str) -> bool:
        return w in first or ("-" in w and all(p in first for p in w.split("-")))

    for m in seq_re.finditer(text):
        words = m.group(0).split()
        # a name may follow a capitalised word of its own sequence ("Ontwikkelingsplan van Petra De Wilde")
        for k, word in enumerate(words[:-1]):
            after = next((w for w in words[k + 1:] if w.lower() not in _PARTICLES), "")
            if known_first(word) and after and after.lower() not in ALLOW:
                found.setdefault(_clean_name(" ".join(words[k:])), "name_list")
                break
    # every mention of a known name: full, first name, surname (with particles)
    variants: dict[str, str] = {}
    for name, how in found.items():
        if not name:
            continue
        variants[name] = how
        parts = name.split()
        if len(parts) >= 2:
            if parts[0].lower() not in ALLOW and parts[0].lower() not in _PARTICLES and len(parts[0]) > 2:
                variants.setdefault(parts[0], how)
            surname = " ".join(parts[1:])
            if surname.lower() not in ALLOW and len(surname) > 2:
                variants.setdefault(surname, how)
    for m in re.finditer(rf"\b{NAME_TOKEN}\b", text):
        w = m.group(0)
        if not known_first(w) or w.lower() in ALLOW:
            continue
        # first names that are also Dutch words ("Elke week", "Frans" the language) count only when not
        # at the start of a sentence or line, where any word is capitalised
        before = text[max(0, m.start() - 3):m.start()]
        if w in AMBIGUOUS_FIRST and (m.start() == 0 or re.search(r"(^|[.!?:\n|]\s*)$", before)):
            continue
        variants.setdefault(w, "name_list")
    spans = []
    for v in sorted(variants, key=len, reverse=True):
        # with the Dutch genitive: "Griets vraag", "Jan's plan"
        for m in re.finditer(rf"(?<![\w-]){re.escape(v)}(?:['’]?s)?(?![\w-])", text):
            spans.append(PiiSpan(m.start(), m.end(), "NAAM", v, f"name_{variants[v]}",
                                 {"label": "naam na een formulierlabel", "salutation": "naam na een aanspreking",
                                  "name_list": "voornaam uit de namenlijst",
                                  "known": "naam die elders in het document herkend werd",
                                  "email": "naam die ook in een e-mailadres van het document staat"}[variants[v]]))
    return spans


def _names_from_emails(text: str) -> list[str]:
    """Names spelled out in the text that a personal e-mail address of the same document spells too.

    "farid.jacobs@outlook.be" next to "Reisverslag van Farid Jacobs": a first name in no list is still
    a name when the document's own e-mail address is made of it and a surname. Only an address whose
    local part is two or three words (first.last, first.van.last) counts, and only the capitalised
    sequence of those words in the text; an organisation's address (info@, a centre's name) gives
    nothing, because its words are ordinary words or name an organisation.
    """
    out: list[str] = []
    for m in EMAIL.finditer(text):
        words = [w for w in re.split(r"[._-]", m.group(0).split("@", 1)[0]) if w]
        if not 2 <= len(words) <= 3 or not all(w.isalpha() and len(w) >= 2 for w in words):
            continue
        if any(w.lower() in ALLOW and w.lower() not in _PARTICLES for w in words):
            continue
        # the words in order, particles allowed between them ("an.vermeulen" finds "An Van Vermeulen"
        # too); each name word must be capitalised in the text, as names are
        sep = rf"[ \t]+{PARTICLE}*"
        rx = r"(?<![\w-])" + sep.join(re.escape(w) for w in words) + r"(?![\w-])"
        for hit in re.finditer(rx, text, re.IGNORECASE):
            name = hit.group(0)
            named = [part for part in name.split() if part.lower() not in _PARTICLES]
            if all(part[:1].isupper() for part in named) and not _is_org(name):
                out.append(name)
    return out


LETTERHEAD_MAX = 160
AMBIGUOUS_FIRST = frozenset({"Elke", "Ben", "Frans", "Roos", "Mei", "Ward", "Will", "Rosa", "Hoop", "Vera", "Bo"})
_ORG = re.compile(r"\b(loopbaan|centrum|vzw|nv|bv|bvba|group|consult|coaching|praktijk|huis|punt|atelier|"
                  r"studio|bureau|werkplaats|academie|school|ziekenhuis|hogeschool|stad|gemeente)\b", re.I)


def _is_org(name: str) -> bool:
    return bool(_ORG.search(name))


def resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Drop spans overlapping an earlier-kept one; pattern types win over names, longer over shorter."""
    order = {"INSZ": 0, "IBAN": 1, "EMAIL": 2, "GEBOORTEDATUM": 3, "NUMMER": 4, "TELEFOON": 5, "ADRES": 6, "NAAM": 7}
    kept: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []
    for s in sorted(spans, key=lambda s: (order[s.type], -(s.end - s.start), s.start)):
        if any(s.start < e and b < s.end for b, e in taken):
            continue
        kept.append(s)
        taken.append((s.start, s.end))
    return sorted(kept, key=lambda s: s.start)
