"""spaCy annotation that runs the parser only where the extraction reads the tree.

en_core_web_sm runs tok2vec -> tagger, parser (both listen to that tok2vec) -> attribute
ruler (POS from tags) -> lemmatizer -> ner (with a tok2vec of its own). Entities need the NER
everywhere; the quote extraction reads POS, lemmas and the dependency tree only where a
quotation or reported speech can be, and around some person names (the antecedents of a
pronoun speaker, titles in apposition); tags around the others (titles before a name,
repeated surnames). So `annotate`:

1. runs the tokenizer and the NER on every text (the NER then sees no sentence starts, where
   in the full pipeline it sees the parser's: on the dev sets 0.2% of the entity spans move);
2. cuts each Doc into sentence-like units (`units`) and picks the ones to look at
   (`unit_reasons`, `tag_runs`): a quotation mark, the inside of a quotation, a colon
   introducing one, a reporting-verb word form (`cue_word_forms`: every form the lemmatizer
   maps to a lemma of `transforms.quotes.CUE_LEMMAS`, so a token outside them can never be a
   cue), a person name, or a word repeating one;
3. runs tok2vec on each run of consecutive picked units widened by tok2vec's reach (so the
   vectors are the ones the whole Doc gives), then the tagger, attribute ruler and lemmatizer
   on the run itself: tags need no tree, and with exact vectors they are the whole Doc's;
4. runs the parser (the expensive part) only on the picked units that need a tree: those
   with a quotation or a colon introduction; those whose tags show a word a reader of the
   tree looks at (`reads_parse`: a reporting verb, not "the state" or "points"); and those
   picked for a person name that may be the antecedent of a pronoun speaker (a personal
   pronoun outside quotes follows in a parsed unit: resolution prefers a subject, read from
   the tree) or have a title in apposition ("X, the researcher": `_title_by_apposition`). A
   title before a name ("Prime Minister Tony Blair") and a repeated surname need only tags.
   The attribute ruler reads the tree ("as" as a mark is SCONJ), so it and the lemmatizer
   run again on the parsed units. Both passes take the two components' attributes from a memo
   per token kind (transforms/token_attributes.py: the same attributes; a worker's extraction
   takes 0.89x the CPU with it and with the workers' kept memory, bench/worker_cpu.py);
5. writes the annotations back into the Doc.

The caller gets one ordinary Doc per text, with the tokenizer's tokens and character offsets,
entities everywhere, tag/POS/lemma in the picked units and dependencies in the parsed ones.
Elsewhere tokens have none (empty strings, head = the token itself) and sentences are the
units. On PolNeAR dev the quotes table differs from the full pipeline's in 2 of 1,100 rows, the
entities in 3 of 2,308 (measured before step 4). Tokens tagged / parsed (bench/parse_share.py;
before step 4 every tagged token was parsed): PolNeAR dev 85.9% / 80.3%, train 87.3% / 82.1%,
BBC 78.8% / 73.4% when every unit with a person name was parsed. Parsing those only as step 4
says brought the parsed share to PolNeAR dev 78.4%, train 79.8%, BBC 68.6% (issue 17), with the
PolNeAR dev and train and CoNLL dev scores identical; of the tables, PolNeAR dev's were equal,
BBC's quotes too (5 entity rows of one line-up moved: a neighbour's parse changed), PolNeAR
train's 5 quote and 3 entity rows moved. The first step 4 (cue and repeat units parsed only by
their tags) left the PolNeAR scores identical and moved CoNLL dev typed F1 from 0.8315 to 0.8317.
"""
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, NORM, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from transforms.entities import FIXTURE_WORDS, PERSON_ROLES, TEAM_NOUNS, TEAM_VERBS
from transforms.quotes import CUE_LEMMAS
from transforms.quotes.context import quoted_tokens
from transforms.quotes.speakers import PERSON_PRONOUNS
from transforms.token_attributes import for_pipeline

PARSE_STAGE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
TAG_ATTRS = [TAG, POS, MORPH, LEMMA]
TREE_ATTRS = [HEAD, DEP]
PARSE_ATTRS = TAG_ATTRS + TREE_ATTRS
# Picked for these, a unit is parsed; picked for a cue word form, a repeated name or a person
# name, only when its tags show a word the parse is read for (reads_parse), and for a person
# name also when it may be the antecedent of a pronoun speaker (_antecedent_units) or hold a
# title in apposition (_title_by_apposition).
PARSE_REASONS = frozenset({"mark", "inside", "colon"})
APPOSITION_MARKS = frozenset({",", "(", "-", "\u2013", "\u2014"})
_TREE_NOUNS = TEAM_NOUNS | PERSON_ROLES   # nouns whose tree reads_parse calls for, united once
DOUBLE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')   # the marks transforms.quotes pairs
SINGLE_MARKS = frozenset("'\u2018\u2019")                      # ... and, in a headline, these
OPENING_MARKS = frozenset('"\'\u201c\u2018\u201e\u00ab([{')
SENTENCE_END = frozenset(".!?\u2026")
CONTEXT_LABELS = frozenset({"PERSON", "FAC"})   # FAC: the small model often takes a person for a facility


def cue_word_forms(lemmas: Iterable[str], verb_rules: list, verb_exceptions: dict,
                   lemma_of: Callable[[str], list[str]]) -> frozenset[str]:
    """Every lower-case word the rule lemmatizer can map to one of `lemmas` (as a verb).

    Candidates come from running the lemmatizer's suffix rules and exception table backwards
    from each lemma; `lemma_of` (the real lemmatizer, for a verb) keeps those that do map to
    a cue lemma. A word is its own lemma when the tagger calls it a base form or an AUX, so
    the lemmas themselves are always in.
    """
    lemmas = frozenset(lemmas)
    candidates = set(lemmas)
    for lemma in lemmas:
        for old, new in verb_rules:
            if lemma.endswith(new):
                candidates.add(lemma[:len(lemma) - len(new)] + old)
    candidates.update(form for form, forms in verb_exceptions.items() if lemmas.intersection(forms))
    return frozenset(w for w in candidates if w in lemmas or any(f.lower() in lemmas for f in lemma_of(w)))


@lru_cache(maxsize=4)
def model_cue_forms(nlp: Language, lemmas: frozenset[str] = CUE_LEMMAS) -> frozenset[str]:
    """`cue_word_forms` with the tables of the model's own lemmatizer."""
    lemmatizer = nlp.get_pipe("lemmatizer")
    tables = {name: lemmatizer.lookups.get_table(name) for name in ("lemma_rules", "lemma_exc")}

    def lemma_of(word: str) -> list[str]:
        return lemmatizer.rule_lemmatize(Doc(nlp.vocab, words=[word], pos=["VERB"])[0])
    return cue_word_forms(lemmas, tables["lemma_rules"].get("verb", []), tables["lemma_exc"].get("verb", {}), lemma_of)


def tok2vec_reach(nlp: Language) -> int:
    """How many tokens on each side the shared tok2vec looks at (its CNN's depth x window)."""
    try:
        encode = nlp.config["components"]["tok2vec"]["model"]["encode"]
        return int(encode["depth"]) * int(encode["window_size"])
    except (KeyError, TypeError, ValueError):
        return 8   # another architecture: a margin, at the price of exact vectors at the edges


def units(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of sentence-like units covering the Doc: a line (with the newline token
    that ends it), cut where a sentence clearly ends: '.', '!' or '?', the closing marks after
    it, then a capitalised word or a digit, unless the word before the stop is short and
    capitalised ("Sen. Bernie Sanders", "the US. It"). A missed cut costs parsing time; a
    wrong one would cut a sentence in two."""
    out, start, stop_at = [], 0, None
    for tok in doc:
        if "\n" in tok.text:
            out.append((start, tok.i + 1))
            start, stop_at = tok.i + 1, None
            continue
        if stop_at is not None and not tok.is_space:
            opening = tok.is_punct and tok.text in OPENING_MARKS and bool(doc[tok.i - 1].whitespace_)
            if not tok.is_punct or opening:
                word = tok if not opening or tok.i + 1 == len(doc) else doc[tok.i + 1]
                if tok.i > start and (word.text[:1].isupper() or word.text[:1].isdigit()) and _real_stop(doc, stop_at):
                    out.append((start, tok.i))
                    start = tok.i
                stop_at = None
        if tok.is_punct and set(tok.text) <= SENTENCE_END:
            stop_at = tok.i
    if start < len(doc):
        out.append((start, len(doc)))
    return out


def _real_stop(doc: Doc, stop: int) -> bool:
    before = doc[stop - 1].text if stop > 0 else ""
    return doc[stop].text != "." or not (len(before) <= 3 and before[:1].isupper())


def tag_runs(doc: Doc, cue_forms: frozenset[str], single_quotes: bool = False,
             context_labels: frozenset[str] = CONTEXT_LABELS) -> list[tuple[int, int]]:
    """Token ranges [start, end) to tag: runs of consecutive units with a reason to be looked
    at (`unit_reasons`); `annotate` parses the part of them whose tags call for a tree."""
    return _runs(units(doc), [bool(r) for r in unit_reasons(doc, cue_forms, single_quotes, context_labels)])


def unit_reasons(doc: Doc, cue_forms: frozenset[str], single_quotes: bool = False,
                 context_labels: frozenset[str] = CONTEXT_LABELS,
                 spans: list[tuple[int, int]] | None = None) -> list[set[str]]:
    """Per unit of `units(doc)` (`spans`, if the caller has them), why the extraction looks at
    it (empty: it does not).

    "mark": it holds a quotation mark (single marks too in a headline); "inside": it lies
    between two units of its line that do (the inside of a quotation); "colon": it ends in a
    colon right before a line with a quotation mark; "cue": it holds a cue word form or
    "according to"; "person": it holds an entity with a label in `context_labels`; "repeat": it
    holds a word repeating the last word of a multi-word one or an upper-case ORG name (the
    names `entities.repeated_names` looks for). The bench (bench/parse_share.py) counts the
    tokens each reason costs."""
    marks = DOUBLE_MARKS | SINGLE_MARKS if single_quotes else DOUBLE_MARKS
    spans = units(doc) if spans is None else spans
    repeats = _repeatable_names(doc, context_labels)
    n = len(doc)
    reasons: list[set[str]] = [set() for _ in spans]
    for k, (s, e) in enumerate(spans):
        for t in doc[s:e]:
            if any(ch in marks for ch in t.text):
                reasons[k].add("mark")
            if t.lower_ in cue_forms or (t.lower_ == "according" and t.i + 1 < n and doc[t.i + 1].lower_ == "to"):
                reasons[k].add("cue")
            if t.ent_type_ in context_labels:
                reasons[k].add("person")
            elif t.text in repeats:
                reasons[k].add("repeat")
    line_start = 0
    for k, (s, e) in enumerate(spans):
        if k == len(spans) - 1 or "\n" in doc[e - 1].text:   # the last unit of its line
            marked = [j for j in range(line_start, k + 1) if "mark" in reasons[j]]
            if marked:
                for j in range(marked[0] + 1, marked[-1]):
                    reasons[j].add("inside")
                intro = _previous_words_unit(doc, spans, line_start)
                if intro is not None and _last_word(doc, spans[intro]) == ":":
                    reasons[intro].add("colon")
            line_start = k + 1
    return reasons


def _repeatable_names(doc: Doc, context_labels: frozenset[str]) -> frozenset[str]:
    if not context_labels:
        return frozenset()
    names = set()
    for ent in doc.ents:
        if ent.label_ in context_labels and len(ent) >= 2:
            names.add(ent[-1].text)
        elif ent.label_ == "ORG" and len(ent) == 1 and ent.text.isupper():
            names.add(ent.text)
    return frozenset(names)


def _previous_words_unit(doc: Doc, spans: list[tuple[int, int]], k: int) -> int | None:
    """The nearest unit before unit k that holds more than whitespace."""
    for j in range(k - 1, -1, -1):
        if doc[spans[j][0]:spans[j][1]].text.strip():
            return j
    return None


def _last_word(doc: Doc, span: tuple[int, int]) -> str:
    words = [t.text for t in doc[span[0]:span[1]] if not t.is_space]
    return words[-1] if words else ""


def annotate(nlp: Language, texts: list[str], single_quotes: list[bool], cue_forms: frozenset[str],
             context_labels: frozenset[str] = CONTEXT_LABELS, batch_size: int = 64) -> list[Doc]:
    """One Doc per text: NER everywhere, tagged and parsed where the plan says (module doc)."""
    docs = list(nlp.pipe(texts, batch_size=batch_size, disable=list(PARSE_STAGE)))   # tokenizer + NER
    return annotate_docs(nlp, docs, single_quotes, cue_forms, context_labels, batch_size)


def annotate_docs(nlp: Language, docs: list[Doc], single_quotes: list[bool], cue_forms: frozenset[str],
                  context_labels: frozenset[str] = CONTEXT_LABELS, batch_size: int = 64) -> list[Doc]:
    """`annotate` on Docs the tokenizer and the NER have made."""
    plans = []   # per Doc: its units, and why each is looked at
    for doc, single in zip(docs, single_quotes, strict=True):
        doc_units = units(doc)
        plans.append((doc_units, unit_reasons(doc, cue_forms, single, context_labels, doc_units)))
    runs = [_runs(spans, [bool(r) for r in reasons]) for spans, reasons in plans]
    reach = tok2vec_reach(nlp)
    norms = [doc.to_array([NORM]) if doc_runs else None for doc, doc_runs in zip(docs, runs)]
    windows = [(doc, doc_norms, max(0, s - reach), s, e, min(len(doc), e + reach))
               for doc, doc_norms, doc_runs in zip(docs, norms, runs) for s, e in doc_runs]
    wide = nlp.get_pipe("tok2vec").pipe((_piece(doc, norms, lo, hi) for doc, norms, lo, _, _, hi in windows),
                                        batch_size=batch_size)
    cores = (_core(piece, s - lo, e - lo) for piece, (_, _, lo, s, e, _) in zip(wide, windows))
    attributes = for_pipeline(nlp)   # the attribute ruler and the lemmatizer, from a memo
    by_memo = ["attribute_ruler", "lemmatizer"] if attributes else []
    skip = [name for name in nlp.pipe_names if name in ("tok2vec", "parser") or name not in PARSE_STAGE]
    tagged = nlp.pipe(cores, batch_size=batch_size, disable=skip + by_memo)
    if attributes:
        tagged = map(attributes, tagged)
    tagged_runs = [[(s, e, next(tagged)) for s, e in doc_runs] for doc_runs in runs]
    parse_plans = [_parse_runs_of(doc, doc_runs, spans, reasons, single)
                   for doc, doc_runs, (spans, reasons), single in zip(docs, tagged_runs, plans, single_quotes)]
    pieces = (_tagged_piece(core, s - run_start, e - run_start)
              for doc_parse in parse_plans for run_start, s, e, core in doc_parse)
    # the attribute ruler reads the tree too ("as" as a "mark" is SCONJ), so it and the
    # lemmatizer run again after the parser
    parsed = nlp.pipe(pieces, batch_size=batch_size,
                      disable=[name for name in nlp.pipe_names
                               if name not in ("parser", "attribute_ruler", "lemmatizer") or name in by_memo])
    if attributes:
        parsed = map(attributes, parsed)
    return [_with_parse(doc, doc_spans, doc_tagged, [(s, e, next(parsed)) for _, s, e, _ in doc_parse])
            for doc, (doc_spans, _), doc_tagged, doc_parse in zip(docs, plans, tagged_runs, parse_plans)]


def _runs(spans: list[tuple[int, int]], keep: list[bool]) -> list[tuple[int, int]]:
    """Runs of consecutive kept units."""
    runs: list[tuple[int, int]] = []
    for (s, e), kept in zip(spans, keep):
        if kept:
            if runs and runs[-1][1] == s:
                runs[-1] = (runs[-1][0], e)
            else:
                runs.append((s, e))
    return runs


def _parse_runs_of(doc: Doc, tagged: list[tuple[int, int, Doc]], spans: list[tuple[int, int]],
                   reasons: list[set[str]], single_quotes: bool) -> list[tuple[int, int, int, Doc]]:
    """(run start, start, end, tagged run) of each run of units to parse: a unit parsed for its
    own sake (PARSE_REASONS), or one whose tags show a word a reader of the parse looks at
    (`reads_parse`), and a unit picked for a person name that comes before a pronoun speaker
    (`_antecedent_units`) or gives the name a title in apposition (`_title_by_apposition`). A
    unit picked only for a cue word form, a repeated name or a person name needs its tags, not
    its tree, when the form is no reporting verb there ("the state", "points") and the name is
    read by its tags alone (a title before it, a repeated surname's PROPN)."""
    picked = [(k, s, e, run_start, core[s - run_start:e - run_start])
              for run_start, run_end, core in tagged for k, (s, e) in enumerate(spans) if run_start <= s < run_end]
    parse = {}
    for k, s, e, _, tokens in picked:
        if reasons[k] & PARSE_REASONS:
            parse[k] = True
        elif "person" in reasons[k]:
            entity_types = [t.ent_type_ for t in doc[s:e]]   # the tagged runs are Docs without the entities
            parse[k] = reads_parse(tokens, entity_types) or _title_by_apposition(tokens, entity_types)
        else:
            parse[k] = reads_parse(tokens)
    for k in _antecedent_units(doc, spans, reasons, parse, single_quotes):
        parse[k] = True
    out = []
    for run_start, _, core in tagged:
        inside = [(k, s, e) for k, s, e, start, _ in picked if start == run_start]
        keep = [parse[k] for k, _, _ in inside]
        out += [(run_start, s, e, core) for s, e in _runs([(s, e) for _, s, e in inside], keep)]
    return out


def _antecedent_units(doc: Doc, spans: list[tuple[int, int]], reasons: list[set[str]], parse: dict[int, bool],
                      single_quotes: bool) -> list[int]:
    """The units picked for a person name, not parsed yet, that come before a unit parsed for
    its own sake holding a personal pronoun outside quotation marks: such a pronoun may be a
    speaker ("he said"), resolved to the salient person before it, and salience (a subject, or
    in one) is read from the tree (quotes.speakers.resolve_pronoun). A pronoun inside a quote
    is never a speaker (cues.subject_of), and a name after the last pronoun is nobody's
    antecedent."""
    names = [k for k, parsed in parse.items() if not parsed and "person" in reasons[k]]
    if not names:
        return []
    in_quote = None
    for k in sorted((k for k, parsed in parse.items() if parsed), reverse=True):
        if k < names[0]:
            break
        pronouns = [t.i for t in doc[spans[k][0]:spans[k][1]] if t.lower_ in PERSON_PRONOUNS]
        if pronouns:
            in_quote = in_quote or quoted_tokens(doc, single_quotes)
            if not all(in_quote[i] for i in pronouns):
                return [j for j in names if j < k]
    return []


def _title_by_apposition(tokens: Sequence, entity_types: Sequence[str]) -> bool:
    """Whether a name may have a title noun in apposition ("Rittmann, the researcher", "the
    company, GlaxoSmithKline"), which quotes.speakers.title_map reads from the tree: a comma,
    bracket or dash right beside a person name with a noun within three words beyond it. A title
    before the name ("Prime Minister Tony Blair") is read from the tags."""
    for k, label in enumerate(entity_types):
        if label not in CONTEXT_LABELS:
            continue
        if k + 1 < len(tokens) and tokens[k + 1].text in APPOSITION_MARKS and any(
                t.pos_ == "NOUN" for t in tokens[k + 2:k + 5]):
            return True
        if k and tokens[k - 1].text in APPOSITION_MARKS and any(t.pos_ == "NOUN" for t in tokens[max(0, k - 4):k - 1]):
            return True
    return False


def reads_parse(tokens: Iterable, entity_types: Sequence[str] | None = None) -> bool:
    """Whether a tagged stretch holds a word whose tree the extraction reads: a reporting
    verb (transforms.quotes.cues: its subject and clause) or "according to", a sports verb or
    noun or a "v" before a name (entities.team_tokens), a role noun (entities._person_by_syntax:
    "X, a civic activist"), an organisation's possessive (a name it owns: "Euronews' Galina
    Polonskaya"). The possessive needs `entity_types`, the tokens' labels in the Doc: a tagged
    run is a Doc of its own, without entities, so without them it never fires (for a unit
    picked for a cue form or a repeated name, where turning it on parsed more and moved
    seven names on BBC and PolNeAR train to PERSON, "Asia Aid", "Sumitomo Mitsui", all wrong)."""
    tokens = list(tokens)
    if entity_types is None:
        entity_types = [t.ent_type_ for t in tokens]
    for k, tok in enumerate(tokens):
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in CUE_LEMMAS or tok.lower_ == "according":
            return True
        if tok.pos_ == "VERB" and lemma in TEAM_VERBS or tok.pos_ == "NOUN" and lemma in _TREE_NOUNS:
            return True
        if tok.lower_ in FIXTURE_WORDS or tok.tag_ == "POS" and k and entity_types[k - 1] == "ORG":
            return True
    return False


def _piece(doc: Doc, norms: numpy.ndarray, start: int, end: int) -> Doc:
    """Tokens [start, end) of `doc` as a Doc of their own, with the norms the tokenizer set."""
    span = doc[start:end]
    piece = Doc(doc.vocab, words=[t.text for t in span], spaces=[bool(t.whitespace_) for t in span])
    piece.from_array([NORM], norms[start:end].reshape(-1, 1))
    return piece


def _core(piece: Doc, start: int, end: int) -> Doc:
    """The run inside its widened piece, keeping the tok2vec vectors computed with context."""
    core = _piece(piece, piece.to_array([NORM]), start, end)
    core.tensor = piece.tensor[start:end]
    return core


def _tagged_piece(core: Doc, start: int, end: int) -> Doc:
    """`_core` of a tagged run, with its tags."""
    piece = _core(core, start, end)
    piece.from_array([TAG], core.to_array([TAG])[start:end].reshape(-1, 1))
    return piece


def _with_parse(doc: Doc, spans: list[tuple[int, int]], tagged: list[tuple[int, int, Doc]],
                parsed: list[tuple[int, int, Doc]]) -> Doc:
    """`doc` with the runs' tags and the parsed runs' trees in their place; the other tokens
    keep none and take their sentence starts from the units (`spans`)."""
    if not len(doc):
        return doc
    if tagged:
        values = numpy.zeros((len(doc), len(PARSE_ATTRS)), dtype=numpy.uint64)
        for s, e, core in tagged:
            values[s:e, :len(TAG_ATTRS)] = core.to_array(TAG_ATTRS)
        for s, e, piece in parsed:
            values[s:e] = piece.to_array(PARSE_ATTRS)
        doc.from_array(PARSE_ATTRS, values)   # sets children, subtree edges and sentence starts from the heads
    if parsed:
        starts = doc.to_array([SENT_START]).astype(numpy.int64)
    else:
        # The tokenizer's special cases ("That\u2019s") leave stale subtree edges that only a parse
        # resets; Token.children and .subtree then read outside the Doc. A copy has clean ones.
        doc = Doc.from_docs([doc], ensure_whitespace=False, exclude=["tensor"])
        starts = numpy.full(len(doc), -1, dtype=numpy.int64)
    has_tree = numpy.zeros(len(doc), dtype=bool)
    for s, e, _ in parsed:
        has_tree[s:e] = True
    for s, _ in spans:
        if not has_tree[s]:
            starts[s] = 1
    starts[0] = 1
    doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))
    return doc
