"""The Arrow schemas of every output table and the value sets they use, declared once.

Everything that writes, validates or documents a table imports it from here.
"""
import pyarrow as pa

# Named-entity labels of spaCy's OntoNotes scheme kept in `entities`; numeric and temporal
# labels (DATE, CARDINAL, MONEY, ...) are values, not entities, and are left out.
ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE")
QUOTE_TYPES = ("direct", "partial", "indirect")
FIELDS = ("title", "body")
DUPLICATE_KINDS = ("exact", "near")
REJECT_REASONS = ("empty", "blank", "binary", "too_large", "unreadable", "no_body", "not_txt")

MENTION = pa.struct([
    ("field", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("text", pa.string()),
])
SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])
DROPPED = pa.struct([("reason", pa.string()), ("lines", pa.int32())])

ARTICLES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("body", pa.string(), nullable=False),
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("lang", pa.string()),
    pa.field("word_count", pa.int32(), nullable=False),
    pa.field("duplicate_of", pa.string()),
    pa.field("duplicate_kind", pa.string()),     # 'exact' | 'near' for a copy, else null
    pa.field("byline", pa.string()),
    pa.field("publisher", pa.string()),
    pa.field("dateline", pa.string()),
    pa.field("published", pa.date32()),          # the date the text says it was published
    pa.field("credits", pa.list_(pa.string())),
    pa.field("encoding", pa.string()),
    pa.field("raw_bytes", pa.int64()),
    pa.field("raw_sha256", pa.string()),
    pa.field("lines_dropped", pa.int32()),
    pa.field("lines_dropped_by", pa.list_(DROPPED)),   # lines_dropped by reason (transforms/dropped_lines.py)
    pa.field("ingested_at", pa.timestamp("us", tz="UTC")),
])

ENTITIES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("entity_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("label", pa.string(), nullable=False),
    pa.field("entity_key", pa.string(), nullable=False),
    pa.field("mention_count", pa.int32(), nullable=False),
    pa.field("mentions", pa.list_(MENTION), nullable=False),
])

QUOTES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("quote_id", pa.string(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("quote_type", pa.string(), nullable=False),
    pa.field("speaker", pa.string()),
    pa.field("speaker_mention", pa.string()),
    pa.field("speaker_entity_id", pa.string()),
    pa.field("cue", pa.string()),
    pa.field("field", pa.string(), nullable=False),
    pa.field("start", pa.int32(), nullable=False),
    pa.field("end", pa.int32(), nullable=False),
    pa.field("spans", pa.list_(SPAN), nullable=False),
    pa.field("confidence", pa.float32()),
    pa.field("attributed_by", pa.string()),      # provenance: the attributor that found the speaker
])

REJECTS = pa.schema([
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("reason", pa.string(), nullable=False),
    pa.field("detail", pa.string()),
    pa.field("raw_bytes", pa.int64()),
])

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "rejects": REJECTS,
}
