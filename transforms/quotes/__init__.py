"""Quotations of an article and who said them, as a short pipeline of small parts.

Per field of an article (`extraction.extract_quotes`):
1. segments.py: a character scan for quoted segments, tolerant of straight, curly and
   unbalanced marks, and transcript turns ('"PENCE: ...').
2. context.py: an `ArticleContext`, built once and read-only: the Doc, its text, the quote
   marks (which tokens are inside quotes), the reporting cues (cues.py), the article's entity
   clusters by token, the title nouns it gives its people and their genders.
3. grouping.py: segments that form one quotation (interrupted by the attribution, listed in
   one clause, running over paragraphs).
4. attributors.py: an ordered registry of attributors, each a small function
   `(context, quote) -> Attribution | None` (attribution.py); the first answer wins. The
   ones that read a cue use frame.py (which cue governs the quote), mentions.py (where the
   speaker is named) and speakers.py (who that is: names, pronouns, relative pronouns, titles).
5. extraction.py: typing (direct/partial), a quote nobody is found for taking the speaker of
   the quote before ("floating"), the learned quote filter (transforms/quote_filter.py, passed
   in by the caller like the spaCy model), and reported speech (reported.py) as `indirect` rows.

Provenance: every row names what attributed it in the `attributed_by` column: the name of the
attributor that answered (`transcript_turn`, `dash_signature`, `reporting_cue`, `clause_agent`,
`colon_introduction`, `preceding_statement`), `floating` for a quote that takes the speaker of
the quote before, `reported_speech` for an indirect row, and null for a quote nobody answered
for. It is a column of its own rather than a part of `cue`, whose contract is the reporting words
as written. How sure a rule is of an attribution comes with its evidence (`Evidence`, by how the
speaker was found: a name, a pronoun, a title...), since one attributor can find a speaker
several ways.
"""
from transforms.quotes.attribution import Attribution, Attributor, Evidence, attribute, attributor
from transforms.quotes.attributors import ATTRIBUTORS
from transforms.quotes.context import ArticleContext
from transforms.quotes.cues import CUE_LEMMAS
from transforms.quotes.extraction import extract_quotes, quote_type
from transforms.quotes.grouping import group_quotations, quotations
from transforms.quotes.segments import Quote, Segment, find_segments, transcript_turns
from transforms.quotes.speakers import title_map

__all__ = ["ATTRIBUTORS", "ArticleContext", "Attribution", "Attributor", "CUE_LEMMAS", "Evidence", "Quote",
           "Segment", "attribute", "attributor", "extract_quotes", "find_segments", "group_quotations",
           "quotations", "quote_type", "title_map", "transcript_turns"]
