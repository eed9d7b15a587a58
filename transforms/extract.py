"""Articles frame + spaCy pipeline to entity and quote frames (the NLP stage of a batch)."""
from collections.abc import Iterable

import polars as pl
from spacy.language import Language
from spacy.tokens import Doc

from transforms import schemas
from transforms.entities import entity_rows, extract_entities
from transforms.frames import to_frame
from transforms.quotes import extract_quotes


def extract_article(article_id: str, title: Doc, body: Doc) -> tuple[list[dict], list[dict]]:
    docs = {"title": title, "body": body}
    entities = extract_entities(article_id, docs)
    return entity_rows(article_id, entities), extract_quotes(article_id, docs, entities)


def extract_frame(articles: pl.DataFrame, nlp: Language, batch_size: int = 32) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entities and quotes of every article in the frame (the caller picks which articles)."""
    ids_, titles, bodies = (articles[c].to_list() for c in ("article_id", "title", "body"))
    docs = nlp.pipe(field_texts(titles, bodies), batch_size=batch_size)
    entity_out, quote_out = [], []
    for article_id in ids_:
        title_doc, body_doc = next(docs), next(docs)
        ents, quotes = extract_article(article_id, title_doc, body_doc)
        entity_out.extend(ents)
        quote_out.extend(quotes)
    return to_frame(entity_out, schemas.ENTITIES), to_frame(quote_out, schemas.QUOTES)


def field_texts(titles: list, bodies: list) -> Iterable[str]:
    """Title, body, title, body...: the order in which `extract_frame` pairs the parsed Docs."""
    for title, body in zip(titles, bodies, strict=True):
        yield title or ""
        yield body
