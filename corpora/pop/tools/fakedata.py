"""Generate invented Belgian personal data with valid check digits for the POP corpus.

Usage: ``python corpora/pop/tools/fakedata.py [N] [--seed S]`` prints N lines of invented identities
(name, INSZ with a valid mod-97 check, IBAN with a valid mod-97 check, phone, e-mail, address).
Writers of the corpus call it so that every INSZ and IBAN in the corpus validates like a real one.
"""

from __future__ import annotations

import argparse
import random

FIRST = ["Sofie", "Tom", "An", "Pieter", "Lies", "Bart", "Katrien", "Joris", "Els", "Wim", "Nathalie",
         "Kristof", "Griet", "Dries", "Hanne", "Jelle", "Saskia", "Koen", "Ine", "Stijn", "Fatima",
         "Youssef", "Ayse", "Mehmet", "Elke", "Frederik", "Leen", "Geert", "Veerle", "Thomas", "Nele",
         "Jan", "Marijke", "Ruben", "Eline", "Karim", "Sarah", "Bram", "Lotte", "Dirk", "Hilde", "Sven"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
        "De Smet", "Van den Broeck", "Dubois", "Vermeulen", "Van Damme", "De Clercq", "Verhoeven",
        "Hermans", "Desmet", "Van Hecke", "Aerts", "Segers", "Lambrechts", "Michiels", "Cools",
        "Vandenberghe", "El Amrani", "Yilmaz", "Bogaert", "De Wilde", "Stevens", "Van Acker", "Pauwels"]
STREETS = ["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Schoolstraat", "Nieuwstraat",
           "Kapelstraat", "Bergstraat", "Veldstraat", "Leopoldlaan", "Brugsesteenweg", "Gentsesteenweg",
           "Lindenlaan", "Koning Albertstraat", "Meersstraat", "Hoogstraat", "Beukenlaan", "Zandstraat"]
TOWNS = [("2000", "Antwerpen"), ("9000", "Gent"), ("3000", "Leuven"), ("8000", "Brugge"),
         ("3500", "Hasselt"), ("2800", "Mechelen"), ("8500", "Kortrijk"), ("9300", "Aalst"),
         ("2300", "Turnhout"), ("3200", "Aarschot"), ("9100", "Sint-Niklaas"), ("8400", "Oostende"),
         ("1800", "Vilvoorde"), ("2200", "Herentals"), ("3600", "Genk"), ("9200", "Dendermonde"),
         ("8800", "Roeselare"), ("2500", "Lier"), ("1000", "Brussel"), ("9800", "Deinze")]


def insz(rng: random.Random, bis: bool = False) -> str:
    """An INSZ (or BIS) number with a valid mod-97 check, printed as YY.MM.DD-SSS.CC."""
    year = rng.randint(1960, 2004)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if bis:
        month += rng.choice((20, 40))
    seq = rng.randint(1, 997)
    base = int(f"{year % 100:02d}{month:02d}{day:02d}{seq:03d}")
    check = 97 - ((base + (2_000_000_000 if year >= 2000 else 0)) % 97)
    return f"{year % 100:02d}.{month:02d}.{day:02d}-{seq:03d}.{check:02d}"


def iban(rng: random.Random) -> str:
    """A Belgian IBAN with valid national (mod 97) and IBAN check digits."""
    bank = rng.randint(1, 999) * 10_000_000 + rng.randint(0, 9_999_999)
    nat = bank % 97 or 97
    bban = f"{bank:010d}{nat:02d}"
    num = int(bban + "111400")  # B=11 E=14, then 00
    check = 98 - num % 97
    s = f"BE{check:02d}{bban}"
    return " ".join(s[i:i + 4] for i in range(0, 16, 4))


def identity(rng: random.Random) -> dict[str, str]:
    """One invented person."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    pc, town = rng.choice(TOWNS)
    phone = rng.choice([f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                        f"+32 4{rng.randint(70, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                        f"0{rng.choice([3, 9, 2, 11, 16, 50])}/{rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"])
    mail = f"{first.lower()}.{last.lower().replace(' ', '')}@{rng.choice(['telenet.be', 'gmail.com', 'skynet.be', 'outlook.be', 'proximus.be'])}"
    return {"naam": f"{first} {last}", "insz": insz(rng), "iban": iban(rng), "telefoon": phone,
            "email": mail, "adres": f"{rng.choice(STREETS)} {rng.randint(1, 180)}{rng.choice(['', '', ' bus 2', 'A'])}, {pc} {town}"}


def main() -> None:
    """Print invented identities."""
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=5)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for _ in range(args.n):
        p = identity(rng)
        print(" | ".join(f"{k}: {v}" for k, v in p.items()))


if __name__ == "__main__":
    main()
