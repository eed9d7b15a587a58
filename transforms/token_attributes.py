"""The attribute ruler and the rule lemmatizer of a spaCy pipeline, remembered per token kind.

After the tagger (and, on the parsed units, the parser) en_core_web_sm runs its attribute
ruler (tag -> POS and morphology, a few lemma and POS fixes, some reading the dependency label)
and its rule lemmatizer (word, POS and morphology -> lemma). Both give a token the same
attributes whenever it has the same word, norm, tag, label and starting attributes, unless a
pattern of two tokens or more covers it. Yet spaCy runs them token by token, making a Python
Token for every read and write: about 6 us a token, which `nlp_plan.annotate` pays twice for
most tokens (tagged, then parsed).

`TokenAttributes` works the two out once per token kind and remembers them; a Doc then takes
its tokens' attributes from the memo in one `Doc.from_array`. For a new kind it applies the
ruler's patterns that hold for the token (matched on its row of `Doc.to_array`, as
`attribute_match` does) in the ruler's order, a later pattern winning, then asks the real
lemmatizer, on a one-token Doc, for the lemma of the word with that POS and morphology (the key
of spaCy's own lemma cache); the lemmas are remembered too. A token a longer pattern covers (a
parsed "there" before "is", "let" before "'s") is a kind of its own, keyed with the patterns
that cover it.

`for_pipeline` returns None, and the caller runs the two components as usual, if a pipeline's
ruler or lemmatizer is beyond this: patterns `attribute_match` cannot compile, a pattern that
sets other attributes than WRITES, a lemmatizer not in rule mode or one that overwrites lemmas,
or a component between the two.
"""
from collections.abc import Callable
from functools import lru_cache
import threading

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from transforms.attribute_match import EQ, IndexedMatcher, PatternCompiler

WRITES = [TAG, POS, MORPH, LEMMA, DEP]   # what the ruler and the lemmatizer set: the memo's value
# A token kind: its word (the lexical attributes the patterns read, such as LOWER or IS_SPACE,
# follow from it), its norm, and the attributes the two components set (they may read them: a
# lemma already set is kept).
KIND = [ORTH, NORM] + WRITES
MEMO_SIZE = 200_000   # token kinds remembered (about 40 MB); past it the memo starts again


class TokenAttributes:
    """`ruler` then `lemmatizer` on a Doc, the same attributes token for token, from a memo."""

    def __init__(self, nlp: Language, memo_size: int = MEMO_SIZE):
        self.vocab, self.memo_size = nlp.vocab, memo_size
        ruler, self.lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
        self.sets = [dict(attrs) for attrs in ruler.attrs]   # attr_id -> {attribute: value}
        if any(set(attrs) - set(WRITES) for attrs in self.sets):
            raise ValueError("an attribute-ruler pattern sets more than tag, POS, morphology, lemma, label")
        compiler = PatternCompiler(nlp.vocab.strings)
        compiled = [(attr_id, entry.get("index", 0), len(pattern), compiler.checks(pattern))
                    for attr_id, entry in enumerate(ruler.patterns) for pattern in entry["patterns"]]
        if any(checks is None for *_, checks in compiled):
            raise ValueError("an attribute-ruler pattern beyond attribute_match")
        self.columns = KIND + [c for c in compiler.columns if c not in KIND]
        single, self.longer = [], {}   # longer: (column, value) a token must have -> patterns
        for attr_id, index, length, checks in compiled:
            checks = [(offset, self.columns.index(compiler.columns[c]), op, v) for offset, c, op, v in checks]
            if length == 1:
                single.append((attr_id, 0, 1, checks))
                continue
            anchor = next(((offset, col, value) for offset, col, op, value in checks if op == EQ), None)
            if anchor is None:
                raise ValueError("an attribute-ruler pattern of two tokens or more without a plain value")
            self.longer.setdefault(anchor[1:], []).append((attr_id, length, index % length, anchor[0], checks))
        self.matcher = IndexedMatcher(compiler.strings, self.columns, single)
        self.anchors = {col: numpy.array(sorted({v for c, v in self.longer if c == col}), dtype=numpy.uint64)
                        for col, _ in self.longer}
        self.memo: dict[bytes, int] = {}   # token kind (its KIND values, as bytes) -> row of self.values
        self.values = numpy.zeros((memo_size, len(WRITES)), dtype=numpy.uint64)
        self.lemmas: dict[tuple[int, int, int], int] = {}   # (word, POS, morphology) -> lemma
        self.lock = threading.Lock()

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array(self.columns).reshape(len(doc), len(self.columns))
        keys = numpy.ascontiguousarray(table[:, :len(KIND)]).view(f"V{8 * len(KIND)}").ravel().tolist()
        covered = self._covered(table)
        for i, ids in covered.items():
            keys[i] += numpy.array(ids, dtype=numpy.uint64).tobytes()
        with self.lock:   # threads of one process (a Dask worker's, or tasks without the pool) share the memo
            rows = [self.memo.get(key) for key in keys]
            if None in rows:
                if len(self.memo) + len(keys) > self.memo_size:   # full: it starts again with this Doc
                    self.memo.clear()
                    rows = [None] * len(keys)
                self._learn({key: (table[i].tolist(), covered.get(i, ()))
                             for i, (key, row) in enumerate(zip(keys, rows)) if row is None})
                rows = [self.memo[key] for key in keys]
            values = self.values[rows]
        doc.from_array(WRITES, values)
        return doc

    def _covered(self, table: numpy.ndarray) -> dict[int, list[int]]:
        """Token index -> the attr_ids, sorted, of the longer patterns that set its attributes."""
        covered: dict[int, set[int]] = {}
        for col, values in self.anchors.items():
            for i in numpy.flatnonzero(numpy.isin(table[:, col], values)).tolist():
                for attr_id, length, index, offset, checks in self.longer[col, int(table[i, col])]:
                    start = i - offset
                    if 0 <= start and start + length <= len(table) and self.matcher.holds(
                            table[start:start + length].tolist(), 0, checks):
                        covered.setdefault(start + index, set()).add(attr_id)
        return {i: sorted(ids) for i, ids in covered.items()}

    def _learn(self, kinds: dict[bytes, tuple[list[int], list[int]]]) -> None:
        """Remember what the ruler and the lemmatizer set on tokens of these new kinds (key ->
        the token's values of self.columns, the longer patterns covering it)."""
        found = {key: self._ruled(row, longer_ids) for key, (row, longer_ids) in kinds.items()}
        lemma_of = {key: (kinds[key][0][0], written[POS], written[MORPH])   # (word, POS, morphology)
                    for key, written in found.items() if not written[LEMMA]}
        self._learn_lemmas(set(lemma_of.values()))
        for key, lemma_key in lemma_of.items():
            found[key][LEMMA] = self.lemmas[lemma_key]
        first = len(self.memo)
        if first + len(found) > len(self.values):   # a Doc with more kinds than MEMO_SIZE
            self.values = numpy.resize(self.values, (first + len(found), len(WRITES)))
        self.memo.update(zip(found, range(first, first + len(found))))
        self.values[first:first + len(found)] = numpy.array([[written[attr] for attr in WRITES]
                                                             for written in found.values()], dtype=numpy.uint64)

    def _ruled(self, row: list[int], longer_ids) -> dict[int, int]:
        """The attributes of WRITES a token has after the ruler: the patterns that hold for it
        set theirs in the ruler's order, a later pattern winning."""
        matcher = self.matcher
        candidates = [e for col in matcher.indexed_columns for e in matcher.index.get((col, row[col]), ())]
        ids = {attr_id for attr_id, _, _, checks in candidates + matcher.anywhere if matcher.holds([row], 0, checks)}
        written = dict(zip(WRITES, row[len(KIND) - len(WRITES):len(KIND)]))
        for attr_id in sorted(ids.union(longer_ids)):
            written.update(self.sets[attr_id])
        return written

    def _learn_lemmas(self, keys: set[tuple[int, int, int]]) -> None:
        """The lemmatizer's lemmas of these (word, POS, morphology), the new ones worked out on
        one Doc of their words."""
        if len(self.lemmas) + len(keys) > self.memo_size:
            self.lemmas.clear()
        keys = [key for key in keys if key not in self.lemmas]
        if not keys:
            return
        words = Doc(self.vocab, words=[self.vocab.strings[orth] for orth, _, _ in keys], spaces=[True] * len(keys))
        words.from_array([POS, MORPH], numpy.array([key[1:] for key in keys], dtype=numpy.uint64))
        self.lemmas.update(zip(keys, self.lemmatizer(words).to_array([LEMMA]).tolist()))


@lru_cache(maxsize=4)
def for_pipeline(nlp: Language) -> Callable[[Doc], Doc] | None:
    """The memo for `nlp`'s attribute ruler and lemmatizer, or None if they are beyond it."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return None
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
        return None
    try:
        return TokenAttributes(nlp)
    except ValueError:
        return None
