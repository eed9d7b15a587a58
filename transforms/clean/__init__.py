"""Page text to title, body and metadata, with the reason for every line it drops.

`clean_text(text)` is a pure line classifier for text that is already decoded, NFC, one line per
paragraph, each line stripped. It needs no knowledge of any site:

1. Every line is described by features of its own (`features.py`): word count, terminal
   punctuation, share of function words (small sets for en/fr/es/pt/de/it/nl/id/ru), capitalisation
   (Title Case headline, ALL CAPS promo), digits, and phrasing of links, buttons, forms and notices
   ("Share this article", "Sign In", "Subscribe", cookie and copyright notices, "Read more",
   gallery counters, template residue: `furniture.py`). Bylines ("By Jane Doe"), datelines
   ("Published ...", "Associated Press November 19, 2019, 9:02 AM") and photo credits ("Copyright
   REUTERS/...", "(Manu Fernandez/AP)", "Photo: ...", captions ending in an agency) are metadata
   (`metadata.py`), in English, German, French, Spanish, Italian, Portuguese, Polish and Dutch
   ("Von Anna Schmidt", "Publié le 3 mars 2024"; what a dateline is made of in each language:
   `dateline_words.py`). Headings that open a page's tail ("You might also like", "Related",
   "Comments", "Most read", in the frequent languages) are end markers. The word lists, phrases
   and patterns are data: transforms/lexicons/.
2. Context: runs of adjacent short lines (menus), lines repeated on the page, dated or numbered
   runs (tables, tour dates), a short paragraph between headline/author lines (teasers), and,
   when the caller gives the corpus-wide counts, short lines seen in many articles of the corpus
   (a site's furniture; never a sentence, a quote, a table row or a line of an article as written:
   `shared_lines.py`).
3. Page or article: a text with no page furniture at all (no link, button or notice phrasing,
   no end-of-article heading, no copyright line, no page title repeated as the headline, no menu
   at the top) is an article as written (BBC, wire copy, a numbered list). Its first line is the
   headline and everything else is kept, tables, capitals and short lines included, but for a
   byline and a dateline just below the headline. Only a page goes through steps 5 and 6.
4. The headline (`headline.py`): the first line, or the line that repeats it (a page title
   "Headline - Site" is reduced to the headline when the page repeats it), or a headline-like line
   repeated at the top when the first line is not one ("Find Us"). It opens the article.
5. The article block (`blocks.py`): lines get scores (paragraphs positive, furniture negative, end
   markers a barrier); the block is the first strong maximum-sum run after the headline (not the
   biggest: comments can outweigh a short article). An end marker followed by a short link list
   and then more paragraphs is an inline widget, not the end. A standfirst/byline zone at the
   top is trimmed, lead paragraphs cut off by a photo line are merged back, a trailing teaser
   list is cut.
6. Inside the block (`verdicts.py`), short lines between paragraphs (quotes, subheadings, list
   items) are kept; labels, captions before a credit, repeats and a trailing run of short lines
   are dropped.
7. On a page, the learned line model has the last word on which lines are the body: the
   verdicts above are among its evidence (`line_features.py` makes them numbers with the line's
   shape and its neighbours', `forest.py` evaluates the trees, `line_model.py` decides and
   explains; the trees are `line_model.json`). Title and metadata stay the rules'.

Every line gets a `LineDecision` whose reason says why, for `newspipe clean FILE --explain`.
`pipeline.py` runs the steps in this order. No I/O but the shipped model's file and the word
lists, read once; time linear in the size of the text.
"""
from transforms.clean.lines import PageLines
from transforms.clean.pipeline import SHIPPED, CleanedText, LineDecision, clean_text
from transforms.clean.shared_lines import (REPEAT_MAX_WORDS, REPEAT_MIN_ARTICLES, counted_lines, key_of_line,
                                           line_key)

__all__ = ["REPEAT_MAX_WORDS", "REPEAT_MIN_ARTICLES", "SHIPPED", "CleanedText", "LineDecision", "PageLines",
           "clean_text", "counted_lines", "key_of_line", "line_key"]
