"""Build transforms/lexicons/given_names.toml, the given names that tell a person's gender and
that transforms/first_names.py's typed lists lack, from names-dataset (its first names: how
popular each is in each country, and its share of men and women among the people who bear it).

    python bench/build_given_names.py            # writes transforms/lexicons/given_names.toml (about 30 s)
    python bench/build_given_names.py --check    # rebuild and compare with the shipped file, byte for byte

A name is kept when it is among the MAX_RANK most popular first names of one of PRESS_COUNTRIES
(the countries of the English-language press, and those whose people world news names most), is
written in Latin letters, at least MIN_SHARE of its bearers are of one gender, and the typed
lists do not hold it: a typed name keeps its gender, the dataset only adds names. Names given to
both boys and girls stay out, so a pronoun leaves their bearer unknown rather than guessed.
Also left out: the English function words (spaCy's stop words: "will", "may", "an"), which open
a capitalised run ("Will Smith" aside) far more often than a name does.

Why a supplement, and why 0.99: names-dataset's gender shares come from social-network
profiles and are noisy for the names news is about (Hillary 78% women, Bernie 54%, Barack
outside the top 3,000 of every country). Used instead of the typed lists (MIN_SHARE 0.92),
138 PolNeAR quote rows changed speaker and 9 of 12 read were wrong, as those people lost their
gender. Beside the typed lists, at 0.99 no dataset name contradicts a typed one, and surnames
the press uses as names stay out (at 0.98 Clinton, Nixon, Lincoln and Washington come in as men's
names, Haley as a woman's).

Measured with the supplement (5,758 names) against the typed lists alone: PolNeAR dev 0.9015 /
0.9219 / 0.8317 as before; bench/quotes_equivalence.py over 926 PolNeAR and seed articles, 3
quote rows change speaker (one article: "she said" went to Antonin Scalia and goes to Hillary
Clinton; the speaker is a woman the article names later, so wrong both times), BBC's tables
1 (right: "She said he finally agreed" goes from Quentin Tarantino to Carol Mendelsohn),
cleaning dev none. On BBC, 806 full names of 287 given names gain a gender (Clive, Gareth,
Thierry, Svetlana ...: all right when read).

Needs names-dataset (`pip install -e .[names]`: a 55 MB wheel that takes a gigabyte of memory to
load); the product only reads the TOML this writes. The typed lists count in the build, so a
change to them needs a rebuild (`--check` tells).
"""
import argparse
from pathlib import Path
import sys
import unicodedata

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "transforms" / "lexicons" / "given_names.toml"

# ISO 3166 alpha-2 codes of names-dataset (it has no Australia or New Zealand).
ENGLISH_PRESS = ("US", "GB", "IE", "CA", "ZA", "NG", "GH", "JM", "IN", "PH", "SG")
WORLD_NEWS = ("FR", "DE", "IT", "ES", "PT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "CZ", "HU",
              "GR", "TR", "IL", "EG", "SA", "IQ", "SY", "IR", "MX", "BR", "AR", "CO", "CL", "PE", "JP", "CN")
PRESS_COUNTRIES = ENGLISH_PRESS + WORLD_NEWS
MAX_RANK = 1000
MIN_SHARE = 0.99
WIDTH = 100


def latin(name: str) -> bool:
    """Letters of the Latin alphabet only (with accents, hyphens and apostrophes between them)."""
    letters = name.replace("-", "").replace("'", "")
    return len(letters) >= 2 and all(c.isalpha() and "LATIN" in unicodedata.name(c, "") for c in letters)


def popular(record: dict) -> bool:
    """Among the MAX_RANK most common first names of one of PRESS_COUNTRIES."""
    return any((rank := record["rank"].get(country)) is not None and rank <= MAX_RANK
               for country in PRESS_COUNTRIES)


def gender(record: dict) -> str | None:
    """'m' or 'f' when at least MIN_SHARE of the name's bearers are of that gender."""
    shares = record["gender"]
    for code, label in (("M", "m"), ("F", "f")):
        if (shares.get(code) or 0.0) >= MIN_SHARE:
            return label
    return None


def given_names(first_names: dict[str, dict], common_words: frozenset[str], typed: frozenset[str]) -> dict[str, list[str]]:
    """{'m': [...], 'f': [...]}: the kept names, lower case, sorted, but those of `typed`; a name
    whose forms (say "Jose" and "José" both fold to one) disagree on gender is left out."""
    found: dict[str, set[str]] = {}
    for name, record in first_names.items():
        key = name.casefold()
        if latin(name) and key not in common_words and popular(record) and (label := gender(record)):
            found.setdefault(key, set()).add(label)
        elif latin(name) and popular(record):
            found.setdefault(key, set()).add("?")
    by_gender: dict[str, list[str]] = {"m": [], "f": []}
    for key in sorted(found.keys() - typed):
        if len(found[key]) == 1 and (label := next(iter(found[key]))) != "?":
            by_gender[label].append(key)
    return by_gender


def wrapped(names: list[str]) -> str:
    """The names as the lines of a TOML multi-line string, at most WIDTH characters each."""
    lines, line = [], ""
    for name in names:
        if line and len(line) + 1 + len(name) > WIDTH:
            lines.append(line)
            line = name
        else:
            line = f"{line} {name}" if line else name
    return "\n".join(lines + [line])


def toml_text(by_gender: dict[str, list[str]], version: str) -> str:
    header = (f"# Given names that tell a person's gender (lower case). Built by bench/build_given_names.py\n"
              f"# from names-dataset {version}: do not edit by hand; change the script and rebuild.\n"
              f"# Kept: among the {MAX_RANK} most common first names of one of {len(PRESS_COUNTRIES)} countries,\n"
              f"# Latin letters, at least {MIN_SHARE:.0%} of bearers of one gender, not an English stop word,\n"
              f"# not in the typed lists of transforms/first_names.py (they take precedence).\n"
              f"# {len(by_gender['m'])} male and {len(by_gender['f'])} female names.\n")
    lists = "".join(f'\n[{label}]\nany = """\n{wrapped(by_gender[code])}\n"""\n'
                    for code, label in (("m", "male"), ("f", "female")))
    return header + lists


def build() -> str:
    from importlib import metadata

    from names_dataset import NameDataset
    from spacy.lang.en.stop_words import STOP_WORDS

    sys.path.insert(0, str(REPO))
    from transforms.first_names import FEMALE, MALE

    first_names = NameDataset(load_first_names=True, load_last_names=False).first_names
    return toml_text(given_names(first_names, frozenset(STOP_WORDS), MALE | FEMALE), metadata.version("names-dataset"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="rebuild and compare with the shipped file")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(REPO)}: {'the same' if same else 'DIFFERS from a rebuild'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
