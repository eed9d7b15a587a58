"""Build transforms/lexicons/given_names.toml, the given names that tell a person's gender, from
names-dataset (its first names: how popular each is in each country, and its share of men and
women among the people who bear it).

    python bench/build_given_names.py            # writes transforms/lexicons/given_names.toml (about 30 s)
    python bench/build_given_names.py --check    # rebuild and compare with the shipped file, byte for byte

A name is kept when it is among the MAX_RANK most popular first names of one of PRESS_COUNTRIES
(the countries of the English-language press, and those whose people world news names most), is
written in Latin letters, and at least MIN_SHARE of its bearers are of one gender; names given to
both boys and girls stay out, so a pronoun leaves their bearer unknown rather than guessed.
Also left out: the English function words (spaCy's stop words: "will", "may", "an"), which open
a capitalised run ("Will Smith" aside) far more often than a name does. MIN_SHARE sits above
the dataset's noise on names borne by one gender (Adam 0.948 men, Emma 0.945 women) and below
names that are shared (Jordan 0.893, Chris 0.903); on PolNeAR train (bench/attributors.py) every
MAX_RANK of 500 to 2000 and MIN_SHARE of 0.90 to 0.95 gives the same figures.

Needs names-dataset (`pip install -e .[names]`: a 55 MB wheel that takes a gigabyte of memory to
load); the product would only read the TOML this writes.

Not shipped yet: transforms/first_names.py still holds the typed list. The scorer's figures hold
with the built list (PolNeAR train quote F1 0.8944, speaker 0.9195, attributed 0.8232 against
0.8946 / 0.9191 / 0.8230; dev unchanged), but 138 quote rows of PolNeAR change speaker and most
of a sample are wrong: names-dataset's gender shares, drawn from social-network profiles, are
noisy for the names news is about (Hillary 78% women, Bernie 54%, Barack outside the top 3,000
of every country), so those people lose their gender and "he said" goes to Hillary Clinton.
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
MIN_SHARE = 0.92
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


def given_names(first_names: dict[str, dict], common_words: frozenset[str]) -> dict[str, list[str]]:
    """{'m': [...], 'f': [...]}: the kept names, lower case, sorted; a name whose forms (say
    "Jose" and "José" both fold to one) disagree on gender is left out."""
    found: dict[str, set[str]] = {}
    for name, record in first_names.items():
        key = name.casefold()
        if latin(name) and key not in common_words and popular(record) and (label := gender(record)):
            found.setdefault(key, set()).add(label)
        elif latin(name) and popular(record):
            found.setdefault(key, set()).add("?")
    by_gender: dict[str, list[str]] = {"m": [], "f": []}
    for key in sorted(found):
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
              f"# Latin letters, at least {MIN_SHARE:.0%} of bearers of one gender, not an English stop word.\n"
              f"# {len(by_gender['m'])} male and {len(by_gender['f'])} female names.\n")
    lists = "".join(f'\n[{label}]\nany = """\n{wrapped(by_gender[code])}\n"""\n'
                    for code, label in (("m", "male"), ("f", "female")))
    return header + lists


def build() -> str:
    from importlib import metadata

    from names_dataset import NameDataset
    from spacy.lang.en.stop_words import STOP_WORDS

    first_names = NameDataset(load_first_names=True, load_last_names=False).first_names
    return toml_text(given_names(first_names, frozenset(STOP_WORDS)), metadata.version("names-dataset"))


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
