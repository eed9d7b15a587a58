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
    compiler = PatternCompiler(ruler.vocab.strings)
    compiled = []   # (attr_id, key hash, length, [(offset, column, op, value)])
    for attr_id, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            checks = compiler.checks(pattern)
            if checks is None:
                return None
            compiled.append((attr_id, compiler.strings[str(attr_id)], len(pattern), checks))
    return IndexedMatcher(compiler.strings, compiler.columns, compiled).match


class PatternCompiler:
    """Turns token patterns into checks on the columns of `Doc.to_array`."""

    def __init__(self, strings):
        self.strings = strings
        self.columns: list[int] = []   # attribute ids, in the order of Doc.to_array's columns

    def column(self, name: str) -> int:
        if ATTRIBUTES[name] not in self.columns:
            self.columns.append(ATTRIBUTES[name])
        return self.columns.index(ATTRIBUTES[name])

    def value_id(self, name: str, value) -> int:
        return int(bool(value)) if name in FLAGS else self.strings.add(value)

    def checks(self, pattern: list[dict]) -> list[tuple] | None:
        """(offset, column, op, value) for every condition of the pattern; None if one is beyond
        plain values, IN, NOT_IN and REGEX on ATTRIBUTES, or the pattern is empty."""
        if not pattern:
            return None
        out = []
        for offset, spec in enumerate(pattern):
            for key, value in spec.items():
                found = self._spec_checks(offset, key.upper(), value)
                if found is None:
                    return None
                out += found
        return out

    def _spec_checks(self, offset: int, name: str, value) -> list[tuple] | None:
        if name not in ATTRIBUTES:
            return None
        if isinstance(value, bool) if name in FLAGS else isinstance(value, str):
            return [(offset, self.column(name), EQ, self.value_id(name, value))]
        if not (isinstance(value, dict) and value and set(value) <= {"IN", "NOT_IN", "REGEX"} and name not in FLAGS):
            return None
        out = []
        for op_name, operand in value.items():
            if op_name == "REGEX":
                out.append((offset, self.column(name), REGEX, re.compile(operand)))
            else:
                hashes = frozenset(self.value_id(name, v) for v in operand)
                out.append((offset, self.column(name), IN if op_name == "IN" else NOT_IN, hashes))
        return out


class IndexedMatcher:
    """The compiled patterns filed under the value their first token must have."""

    def __init__(self, strings, columns: list[int], compiled: list[tuple]):
        self.strings, self.columns = strings, columns
        self.index: dict[tuple[int, int], list] = {}   # (column, value of the first token) -> patterns
        self.anywhere = []
        for entry in compiled:
            first = [c for c in entry[3] if c[0] == 0 and c[2] == EQ]
            if first:
                self.index.setdefault((first[0][1], first[0][3]), []).append(entry)
            else:
                self.anywhere.append(entry)
        self.indexed_columns = sorted({col for col, _ in self.index})
        self.regex_cache: dict[tuple, bool] = {}

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if not self.columns or not len(doc):
            return []
        rows = doc.to_array(self.columns).reshape(len(doc), len(self.columns)).tolist()
        n = len(rows)
        found = set()
        for i, row in enumerate(rows):
            candidates = [e for col in self.indexed_columns for e in self.index.get((col, row[col]), ())] + self.anywhere
            for attr_id, key_hash, length, checks in candidates:
                if i + length <= n and self.holds(rows, i, checks):
                    found.add((attr_id, key_hash, i, i + length))
        return sorted(found)

    def holds(self, rows: list, i: int, checks: list) -> bool:
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
            elif not self._regex_holds(value, got):
                return False
        return True

    def _regex_holds(self, regex: re.Pattern, got: int) -> bool:
        key = (regex.pattern, got)
        if key not in self.regex_cache:
            if len(self.regex_cache) > 100_000:   # one entry per pattern and word seen: keep it bounded
                self.regex_cache.clear()
            self.regex_cache[key] = bool(regex.search(self.strings[got]))
        return self.regex_cache[key]
