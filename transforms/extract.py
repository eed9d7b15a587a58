"""Articles frame + spaCy pipeline to entity and quote frames (the NLP stage of a batch)."""
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from transforms import schemas
from transforms.entities import entity_rows, extract_entities
from transforms.nlp_plan import annotate, model_cue_forms
from transforms.quote_filter import QuoteFilter
from transforms.quotes import extract_quotes

if TYPE_CHECKING:
    import polars as pl


def extract_article(article_id: str, title: Doc, body: Doc, quote_filter: QuoteFilter) -> tuple[list[dict], list[dict]]:
    docs = {"title": title, "body": body}
    entities = extract_entities(article_id, docs)
    return entity_rows(article_id, entities), extract_quotes(article_id, docs, entities, quote_filter)


def extract_rows(nlp: Language, quote_filter: QuoteFilter, article_ids: list[str], titles: list, bodies: list,
                 batch_size: int = 64) -> tuple[list[dict], list[dict]]:
    """Entity and quote rows of the articles, annotated by `nlp_plan.annotate` (parser only
    where quotes can be); the two models are the caller's (the shipped ones: flows/nlp.py)."""
    texts = list(field_texts(titles, bodies))
    docs = annotate(nlp, texts, [i % 2 == 0 for i in range(len(texts))], model_cue_forms(nlp), batch_size=batch_size)
    entity_out, quote_out = [], []
    for i, article_id in enumerate(article_ids):
        ents, quotes = extract_article(article_id, docs[2 * i], docs[2 * i + 1], quote_filter)
        entity_out.extend(ents)
        quote_out.extend(quotes)
    return entity_out, quote_out


def extract_frame(articles: "pl.DataFrame", nlp: Language, quote_filter: QuoteFilter,
                  batch_size: int = 64) -> tuple["pl.DataFrame", "pl.DataFrame"]:
    """Entities and quotes of every article in the frame, in this process (the caller picks
    which articles; `flows.workers.extract_articles` spreads the same work over processes)."""
    # imported here so that the spaCy worker processes, which need only extract_rows, do not
    # load Polars (~35 MB each)
    from transforms.frames import to_frame

    ids_, titles, bodies = (articles[c].to_list() for c in ("article_id", "title", "body"))
    entity_out, quote_out = extract_rows(nlp, quote_filter, ids_, titles, bodies, batch_size)
    return to_frame(entity_out, schemas.ENTITIES), to_frame(quote_out, schemas.QUOTES)


def field_texts(titles: list, bodies: list) -> Iterable[str]:
    """Title, body, title, body...: the order in which `extract_rows` pairs the annotated Docs."""
    for title, body in zip(titles, bodies, strict=True):
        yield title or ""
        yield body
