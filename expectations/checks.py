"""Facts about the output tables that GX cannot compute itself: schema conformance, offsets into
article text, and references between tables.

Each function is pure (frames in, one frame out) and returns one row per row of the table it
describes, holding ids, lengths, labels and booleans only, never article text, so that the frames
handed to GX stay small however large the bodies are.
"""
import polars as pl

from transforms.schemas import FIELDS, TABLES

# The columns that identify a failing row in the report, per suite.
ROW_KEYS: dict[str, list[str]] = {
    "schema": ["table", "column", "expected_type", "actual_type"],
    "articles": ["article_id"],
    "entities": ["article_id", "entity_id"],
    "quotes": ["article_id", "quote_id"],
    "rejects": ["source_path"],
}

POLARS_SCHEMAS: dict[str, pl.Schema] = {
    table: pl.from_arrow(schema.empty_table()).schema for table, schema in TABLES.items()
}


def schema_facts(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per contract column: is it present, and with the declared type (null if absent)."""
    rows = []
    for table, expected in POLARS_SCHEMAS.items():
        actual = tables[table].schema
        for column, dtype in expected.items():
            present = column in actual
            rows.append({
                "table": table,
                "column": column,
                "expected_type": str(dtype),
                "actual_type": str(actual[column]) if present else None,
                "present": present,
                "type_matches": actual[column] == dtype if present else None,
            })
    return pl.DataFrame(rows, schema={"table": pl.String, "column": pl.String,
                                      "expected_type": pl.String, "actual_type": pl.String,
                                      "present": pl.Boolean, "type_matches": pl.Boolean})


def conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Add missing contract columns as nulls and cast mistyped ones, so that the other facts can
    still be computed for a table whose schema is wrong (the schema suite reports it)."""
    expected = POLARS_SCHEMAS[table]
    return frame.with_columns(
        pl.col(column).cast(dtype, strict=False) if column in frame.schema
        else pl.lit(None, dtype).alias(column)
        for column, dtype in expected.items()
        if frame.schema.get(column) != dtype
    )


def article_facts(articles: pl.DataFrame, entities: pl.DataFrame,
                  quotes: pl.DataFrame, all_ids: pl.Series | None = None) -> pl.DataFrame:
    """One row per article: its ids, body length, duplicate link and entity and quote counts.
    `all_ids`: the article ids of the whole table, when `articles` is one part of it."""
    article_ids = (articles["article_id"] if all_ids is None else all_ids).implode()
    duplicate_of = pl.col("duplicate_of")
    return (
        articles.select(
            "article_id", "source_path", "content_hash", "lang", "word_count", "duplicate_of", "duplicate_kind",
            body_chars=_stripped_length("body"),
            duplicate_kind_matches_link=duplicate_of.is_null() == pl.col("duplicate_kind").is_null(),
            duplicate_of_is_other_article=duplicate_link_holds(article_ids),
        )
        .join(_rows_per_article(quotes, "quote_count"), on="article_id", how="left")
        .join(_rows_per_article(entities, "entity_count"), on="article_id", how="left")
        .with_columns(pl.col("quote_count", "entity_count").fill_null(0))
    )


def duplicate_link_holds(article_ids: pl.Expr | pl.Series) -> pl.Expr:
    """duplicate_of, when set, names another article: `article_ids` are the whole table's."""
    duplicate_of = pl.col("duplicate_of")
    return (duplicate_of.is_null()
            | (duplicate_of.is_in(article_ids) & (duplicate_of != pl.col("article_id"))).fill_null(False))


def entity_facts(entities: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """One row per entity; a mention check holds when it holds for every mention of the entity."""
    rows = entities.with_row_index("row")
    mentions = _locate(
        rows.select("row", "article_id", "mentions").explode("mentions").unnest("mentions"),
        articles,
    )
    per_entity = mentions.group_by("row").agg(
        mention_fields_known=pl.col("field").is_in(list(FIELDS)).fill_null(False).all(),
        mention_offsets_in_field=pl.col("in_field").all(),
        mention_texts_match=(pl.col("segment") == pl.col("text")).fill_null(False).all(),
    )
    mention_checks = ["mention_fields_known", "mention_offsets_in_field", "mention_texts_match"]
    return (
        rows.select(
            "row", "article_id", "entity_id", "label", "entity_key", "mention_count",
            name_chars=_stripped_length("name"),
            mention_count_matches=(pl.col("mention_count") == pl.col("mentions").list.len())
            .fill_null(False),
            article_exists=_exists_in(articles, "article_id"),
        )
        .join(per_entity, on="row", how="left")
        # An entity without mentions has no mention to get wrong; mention_count_matches and
        # the mention_count minimum report it.
        .with_columns(pl.col(mention_checks).fill_null(True))
        .drop("row")
    )


def quote_facts(quotes: pl.DataFrame, entities: pl.DataFrame,
                articles: pl.DataFrame) -> pl.DataFrame:
    """One row per quote: offsets of the quote and its segments, the text they give, and whether
    the speaker's entity exists in the same article under the quote's speaker name."""
    rows = quotes.with_row_index("row")
    whole_quote = _locate(rows.select("row", "article_id", "field", "start", "end"), articles)
    segments = _locate(
        rows.select("row", "article_id", "field", "spans",
                    quote_start="start", quote_end="end",
                    span_pos=pl.int_ranges(pl.col("spans").list.len()))
        .explode("spans", "span_pos")
        .unnest("spans"),
        articles,
    )
    per_quote = segments.group_by("row").agg(
        spans_in_field=pl.col("in_field").all(),
        spans_within_quote=((pl.col("start") >= pl.col("quote_start"))
                            & (pl.col("end") <= pl.col("quote_end"))).fill_null(False).all(),
        # Sorted explicitly: a group_by does not promise to keep the exploded order.
        spans_text=pl.col("segment").sort_by("span_pos").str.join(" ", ignore_nulls=False),
    )
    speaker_entities = entities.select(
        "article_id", speaker_entity_id="entity_id", speaker_entity_name="name",
    ).unique(["article_id", "speaker_entity_id"])
    speaker_name = pl.col("speaker_entity_name")
    return (
        rows.select(
            "row", "article_id", "quote_id", "quote_type", "field", "speaker",
            "speaker_entity_id", "confidence", "text",
            text_chars=_stripped_length("text"),
            article_exists=_exists_in(articles, "article_id"),
        )
        .join(speaker_entities, on=["article_id", "speaker_entity_id"], how="left")
        .join(whole_quote.select("row", quote_in_field="in_field"), on="row", how="left")
        .join(per_quote, on="row", how="left")
        .with_columns(
            speaker_entity_exists=pl.col("speaker_entity_id").is_null()
            | speaker_name.is_not_null(),
            speaker_is_entity_name=speaker_name.is_null()
            | (pl.col("speaker") == speaker_name).fill_null(False),
            text_matches_spans=(pl.col("spans_text") == pl.col("text")).fill_null(False),
            # A quote without spans has no segment out of place; text_matches_spans reports it.
            spans_in_field=pl.col("spans_in_field").fill_null(True),
            spans_within_quote=pl.col("spans_within_quote").fill_null(True),
        )
        .drop("row", "text", "spans_text", "speaker_entity_name")
    )


def reject_facts(rejects: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """One row per reject: a file is either an article or a reject, never both."""
    return rejects.select(
        "source_path", "reason", "raw_bytes",
        not_also_an_article=~_exists_in(articles, "source_path"),
    )


def table_facts(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frame each suite validates, keyed by suite name."""
    schema = schema_facts(tables)
    articles, entities, quotes, rejects = (conform(tables[table], table) for table in TABLES)
    return {
        "schema": schema,
        "articles": article_facts(articles, entities, quotes),
        "entities": entity_facts(entities, articles),
        "quotes": quote_facts(quotes, entities, articles),
        "rejects": reject_facts(rejects, articles),
    }


def _locate(spans: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Add `in_field` (0 <= start < end <= length of the article's field) and `segment` (the field
    text at those offsets, null when out of the field) to a frame of article_id/field/start/end."""
    texts = articles.select("article_id", "title", "body").unique("article_id", keep="any")
    start, end, field = pl.col("start"), pl.col("end"), pl.col("field")
    # Each field sliced by itself: a when/then choosing the title or the body would copy the
    # whole text into every span's row (gigabytes for the mentions of 20,000 articles).
    field_chars = (pl.when(field == "title").then(pl.col("title").str.len_chars())
                   .when(field == "body").then(pl.col("body").str.len_chars()))
    in_field = ((start >= 0) & (start < end) & (end <= field_chars)).fill_null(False)
    return (
        spans.join(texts, on="article_id", how="left")
        .with_columns(in_field=in_field,
                      segment=pl.when(in_field & (field == "title")).then(pl.col("title").str.slice(start, end - start))
                      .when(in_field & (field == "body")).then(pl.col("body").str.slice(start, end - start)))
        .drop("title", "body")
    )


def _rows_per_article(table: pl.DataFrame, name: str) -> pl.DataFrame:
    return table.group_by("article_id").agg(pl.len().alias(name))


def _stripped_length(column: str) -> pl.Expr:
    """Length without surrounding whitespace; 0 for null, so that minimum checks catch it."""
    return pl.col(column).str.strip_chars().str.len_chars().fill_null(0)


def _exists_in(articles: pl.DataFrame, column: str) -> pl.Expr:
    return pl.col(column).is_in(articles[column].implode()).fill_null(False)
