"""The match step of spaCy's AttributeRuler, with the patterns indexed by their first token.

en_core_web_sm's attribute ruler (fine tag -> POS and morphology, a few lemma fixes) has 179
one- and two-token patterns. spaCy's Matcher tries every pattern at every token, which makes
the ruler cost as much CPU as the parser. Here each pattern is filed under a value its first
token must have (a tag, a lower-case word), so a token tries only the few patterns that can
start on it, comparing the hashes `Doc.to_array` gives. The result is the list
`AttributeRuler.match` returns, in the same order, so the ruler's own `set_annotations`
applies it unchanged. Patterns using more than plain values, IN, NOT_IN and REGEX on the
attributes of ATTRIBUTES (no operators, no extensions) are not handled: `indexed_match` then
returns None and the ruler keeps spaCy's Matcher.
"""
from collections.abc import Callable
import re

from spacy.attrs import (DEP, IS_ALPHA, IS_DIGIT, IS_LOWER, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LEMMA,
                         LOWER, NORM, ORTH, POS, TAG)
from spacy.tokens import Doc

ATTRIBUTES = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "POS": POS, "DEP": DEP,
              "LEMMA": LEMMA, "IS_SPACE": IS_SPACE, "IS_PUNCT": IS_PUNCT, "IS_ALPHA": IS_ALPHA,
              "IS_DIGIT": IS_DIGIT, "IS_TITLE": IS_TITLE, "IS_UPPER": IS_UPPER, "IS_LOWER": IS_LOWER}
FLAGS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER"})
EQ, IN, NOT_IN, REGEX = range(4)


def indexed_match(ruler) -> Callable[[Doc], list[tuple[int, int, int, int]]] | None:
    """A drop-in for `ruler.match` (spacy.pipeline.AttributeRuler), or None if a pattern is
    beyond what this handles."""
    strings = ruler.vocab.strings
    columns: list[int] = []   # attribute ids, in the order of Doc.to_array's columns

    def column(name: str) -> int:
        if ATTRIBUTES[name] not in columns:
            columns.append(ATTRIBUTES[name])
        return columns.index(ATTRIBUTES[name])

    def value_id(name: str, value) -> int:
        return int(bool(value)) if name in FLAGS else strings.add(value)

    compiled = []   # (attr_id, key hash, length, [(offset, column, op, value)])
    for attr_id, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            checks = []
            for offset, spec in enumerate(pattern):
                for key, value in spec.items():
                    name = key.upper()
                    if name not in ATTRIBUTES:
                        return None
                    if isinstance(value, bool) if name in FLAGS else isinstance(value, str):
                        checks.append((offset, column(name), EQ, value_id(name, value)))
                    elif isinstance(value, dict) and value and set(value) <= {"IN", "NOT_IN", "REGEX"} and name not in FLAGS:
                        for op_name, operand in value.items():
                            if op_name == "REGEX":
                                checks.append((offset, column(name), REGEX, re.compile(operand)))
                            else:
                                hashes = frozenset(value_id(name, v) for v in operand)
                                checks.append((offset, column(name), IN if op_name == "IN" else NOT_IN, hashes))
                    else:
                        return None
            if not pattern:
                return None
            compiled.append((attr_id, strings[str(attr_id)], len(pattern), checks))

    index: dict[tuple[int, int], list] = {}   # (column, value of the first token) -> patterns
    anywhere = []
    for entry in compiled:
        first = [c for c in entry[3] if c[0] == 0 and c[2] == EQ]
        if first:
            index.setdefault((first[0][1], first[0][3]), []).append(entry)
        else:
            anywhere.append(entry)
    indexed_columns = sorted({col for col, _ in index})
    regex_cache: dict[tuple, bool] = {}

    def holds(rows: list, i: int, checks: list) -> bool:
        for offset, col, op, value in checks:
            got = rows[i + offset][col]
            if op == EQ:
                if got != value:
                    return False
            elif op == IN:
                if got not in value:
                    return False
            elif op == NOT_IN:
                if got in value:
                    return False
            else:
                key = (value.pattern, got)
                if key not in regex_cache:
                    if len(regex_cache) > 100_000:   # one entry per pattern and word seen: keep it bounded
                        regex_cache.clear()
                    regex_cache[key] = bool(value.search(strings[got]))
                if not regex_cache[key]:
                    return False
        return True

    def match(doc: Doc) -> list[tuple[int, int, int, int]]:
        if not columns or not len(doc):
            return []
        rows = doc.to_array(columns).reshape(len(doc), len(columns)).tolist()
        n = len(rows)
        found = set()
        for i, row in enumerate(rows):
            candidates = [e for col in indexed_columns for e in index.get((col, row[col]), ())] + anywhere
            for attr_id, key_hash, length, checks in candidates:
                if i + length <= n and holds(rows, i, checks):
                    found.add((attr_id, key_hash, i, i + length))
        return sorted(found)
    return match
