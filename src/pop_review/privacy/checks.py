"""Check digits of Belgian identifiers: INSZ/rijksregisternummer and BIS (mod 97), IBAN (ISO 7064 mod 97)."""

from __future__ import annotations

import re


def valid_insz(digits: str) -> bool:
    """True when 11 digits form a valid INSZ or BIS number (births before or after 2000).

    The check is ``97 - (YYMMDDSSS mod 97)``; for births from 2000 the number is prefixed with 2.
    BIS numbers add 20 or 40 to the month; day or month may be 00 when unknown.
    """
    d = re.sub(r"\D", "", digits)
    if len(d) != 11:
        return False
    base, check = int(d[:9]), int(d[9:])
    month = int(d[2:4])
    if month > 52 or int(d[4:6]) > 31 or not 1 <= check <= 97:
        return False
    return check == 97 - base % 97 or check == 97 - (2_000_000_000 + base) % 97


def valid_iban(text: str) -> bool:
    """True when an IBAN passes the ISO 7064 mod-97 check."""
    s = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", s):
        return False
    if s.startswith("BE") and len(s) != 16:
        return False
    num = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(num) % 97 == 1
