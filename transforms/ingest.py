"""Raw file bytes to article rows (or reject rows), and corpus-wide duplicate marking."""
from datetime import datetime
import re

import polars as pl

from transforms import ids, schemas
from transforms.clean import clean_text
from transforms.decode import Rejected, decode_bytes
from transforms.frames import to_frame
from transforms.lang import detect_lang

_WORDS = re.compile(r"\w+")
# spaCy's default `Language.max_length`: it refuses longer texts (its parser needs about 1 GB of
# memory per 100,000 characters), so a longer title or body is rejected here, not in extraction.
MAX_FIELD_CHARS = 1_000_000


def ingest_one(source_path: str, raw: bytes, ingested_at: datetime) -> tuple[dict | None, dict | None]:
    """(article row, None) or (None, reject row): every input ends in exactly one of the two."""
    try:
        if not source_path.lower().endswith(".txt"):
            raise Rejected("not_txt", "only *.txt files are read as articles; rename it if it holds one")
        decoded = decode_bytes(raw)
        cleaned = clean_text(decoded.text)
        if not cleaned.body.strip():
            raise Rejected("no_body", f"no article text left after cleaning {len(decoded.text)} characters")
        if (longest := max(len(cleaned.title or ""), len(cleaned.body))) > MAX_FIELD_CHARS:
            raise Rejected("too_large", f"a title or body of {longest:,} characters is over the {MAX_FIELD_CHARS:,} "
                                        "the parser takes; split the file")
    except Rejected as rejected:
        return None, reject_row(source_path, rejected.reason, rejected.detail, len(raw))
    body = cleaned.body
    return {
        "article_id": ids.article_id(source_path),
        "source_path": source_path,
        "title": cleaned.title,
        "body": body,
        "content_hash": ids.content_hash(body),
        "lang": detect_lang(f"{cleaned.title or ''}\n{body}"),
        "word_count": len(_WORDS.findall(body)),
        "duplicate_of": None,
        "byline": cleaned.byline,
        "publisher": cleaned.publisher,
        "dateline": cleaned.dateline,
        "credits": list(cleaned.credits),
        "encoding": decoded.encoding,
        "raw_bytes": len(raw),
        "raw_sha256": ids.raw_sha256(raw),
        "lines_dropped": sum(d.role not in ("body", "blank") for d in cleaned.decisions),
        "ingested_at": ingested_at,
    }, None


def reject_row(source_path: str, reason: str, detail: str, raw_bytes: int | None) -> dict:
    return {"source_path": source_path, "reason": reason, "detail": detail, "raw_bytes": raw_bytes}


def ingest_frames(items: list[tuple[str, bytes]], ingested_at: datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Articles and rejects of a batch of (source_path, raw bytes)."""
    articles, rejects = [], []
    for source_path, raw in items:
        article, reject = ingest_one(source_path, raw, ingested_at)
        (articles if article else rejects).append(article or reject)
    return to_frame(articles, schemas.ARTICLES), to_frame(rejects, schemas.REJECTS)


def duplicate_map(keys: pl.LazyFrame) -> pl.LazyFrame:
    """article_id -> duplicate_of: the copy with the smallest source_path among equal bodies."""
    return (
        keys.select("article_id", "source_path", "content_hash")
        .with_columns(pl.col("article_id").sort_by("source_path").first().over("content_hash").alias("first_copy"))
        .filter(pl.col("first_copy") != pl.col("article_id"))
        .select("article_id", pl.col("first_copy").alias("duplicate_of"))
    )


def apply_duplicates(articles: pl.DataFrame, duplicates: pl.DataFrame) -> pl.DataFrame:
    return (
        articles.drop("duplicate_of")
        .join(duplicates, on="article_id", how="left", maintain_order="left")
        .select(schemas.ARTICLES.names)
    )
