"""Raw file bytes to article rows (or reject rows), in two steps: decode, then clean.

A run decodes every new file first, so that the corpus-wide line counts are known before any
text is cleaned (transforms/corpus_lines.py); `ingest_one` does both steps for one file with no
corpus around it.
"""
from datetime import datetime
import re

import polars as pl
import pyarrow as pa

from transforms import ids, schemas
from transforms.clean import clean_text
from transforms.decode import Rejected, decode_bytes
from transforms.dropped_lines import KEPT_ROLES, dropped_by_reason
from transforms.frames import to_frame
from transforms.lang import detect_lang

_WORDS = re.compile(r"\w+")
# spaCy's default `Language.max_length`: it refuses longer texts (its parser needs about 1 GB of
# memory per 100,000 characters), so a longer title or body is rejected here, not in extraction.
MAX_FIELD_CHARS = 1_000_000

# A decoded raw file, staged between the read step and the clean step of a run.
DECODED = pa.schema([
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("encoding", pa.string(), nullable=False),
    pa.field("raw_bytes", pa.int64(), nullable=False),
    pa.field("raw_sha256", pa.string(), nullable=False),
])


def decode_one(source_path: str, raw: bytes) -> tuple[dict | None, dict | None]:
    """(DECODED row, None) or (None, reject row)."""
    try:
        if not source_path.lower().endswith(".txt"):
            raise Rejected("not_txt", "only *.txt files are read as articles; rename it if it holds one")
        decoded = decode_bytes(raw)
    except Rejected as rejected:
        return None, reject_row(source_path, rejected.reason, rejected.detail, len(raw))
    return {"source_path": source_path, "text": decoded.text, "encoding": decoded.encoding,
            "raw_bytes": len(raw), "raw_sha256": ids.raw_sha256(raw)}, None


def clean_one(decoded: dict, ingested_at: datetime,
              seen_in: dict[int, int] | None = None) -> tuple[dict | None, dict | None]:
    """(article row, None) or (None, reject row) of a DECODED row; `seen_in` holds the
    corpus-wide counts of the lines shared by many articles."""
    source_path, text = decoded["source_path"], decoded["text"]
    try:
        cleaned = clean_text(text, seen_in)
        if not cleaned.body.strip():
            raise Rejected("no_body", f"no article text left after cleaning {len(text)} characters")
        if (longest := max(len(cleaned.title or ""), len(cleaned.body))) > MAX_FIELD_CHARS:
            raise Rejected("too_large", f"a title or body of {longest:,} characters is over the {MAX_FIELD_CHARS:,} "
                                        "the parser takes; split the file")
    except Rejected as rejected:
        return None, reject_row(source_path, rejected.reason, rejected.detail, decoded["raw_bytes"])
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
        "duplicate_kind": None,
        "byline": cleaned.byline,
        "publisher": cleaned.publisher,
        "dateline": cleaned.dateline,
        "published": cleaned.published,
        "credits": list(cleaned.credits),
        "encoding": decoded["encoding"],
        "raw_bytes": decoded["raw_bytes"],
        "raw_sha256": decoded["raw_sha256"],
        "lines_dropped": sum(d.role not in KEPT_ROLES for d in cleaned.decisions),
        "lines_dropped_by": dropped_by_reason(cleaned.decisions),
        "ingested_at": ingested_at,
    }, None


def ingest_one(source_path: str, raw: bytes, ingested_at: datetime) -> tuple[dict | None, dict | None]:
    """(article row, None) or (None, reject row): every input ends in exactly one of the two."""
    decoded, reject = decode_one(source_path, raw)
    return clean_one(decoded, ingested_at) if decoded else (None, reject)


def reject_row(source_path: str, reason: str, detail: str, raw_bytes: int | None) -> dict:
    return {"source_path": source_path, "reason": reason, "detail": detail, "raw_bytes": raw_bytes}


def decode_frames(items: list[tuple[str, bytes]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decoded texts and rejects of a batch of (source_path, raw bytes)."""
    texts, rejects = [], []
    for source_path, raw in items:
        decoded, reject = decode_one(source_path, raw)
        (texts if decoded else rejects).append(decoded or reject)
    return to_frame(texts, DECODED), to_frame(rejects, schemas.REJECTS)


def clean_frames(texts: pl.DataFrame, ingested_at: datetime,
                 seen_in: dict[int, int] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Articles and rejects of a frame of DECODED texts."""
    articles, rejects = [], []
    for decoded in texts.iter_rows(named=True):
        article, reject = clean_one(decoded, ingested_at, seen_in)
        (articles if article else rejects).append(article or reject)
    return to_frame(articles, schemas.ARTICLES), to_frame(rejects, schemas.REJECTS)


def ingest_frames(items: list[tuple[str, bytes]], ingested_at: datetime,
                  seen_in: dict[int, int] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Articles and rejects of a batch of (source_path, raw bytes), decoded and cleaned."""
    texts, rejects = decode_frames(items)
    articles, more_rejects = clean_frames(texts, ingested_at, seen_in)
    return articles, pl.concat([rejects, more_rejects]).sort("source_path")


def apply_duplicates(articles: pl.DataFrame, duplicates: pl.DataFrame) -> pl.DataFrame:
    """Set duplicate_of and duplicate_kind from a duplicates.duplicate_map frame."""
    return (
        articles.drop("duplicate_of", "duplicate_kind")
        .join(duplicates.select("article_id", "duplicate_of", "duplicate_kind"), on="article_id", how="left",
              maintain_order="left")
        .select(schemas.ARTICLES.names)
    )
