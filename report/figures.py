"""The report's figures, computed from the version's tables: small frames and (label, value)
lists, from the few columns `COLUMNS` names (bodies only as their length)."""
import math

import polars as pl

# What the report reads of each table; the flow selects these from the version's parts.
COLUMNS: dict[str, list] = {
    "articles": ["article_id", "source_path", "title", "lang", "word_count", "duplicate_of", "duplicate_kind",
                 "published", "raw_bytes", "lines_dropped_by", pl.col("body").str.len_chars().alias("body_chars")],
    "entities": ["article_id", "name", "label", "entity_key"],
    "quotes": ["article_id", "text", "quote_type", "speaker", "confidence"],
    "rejects": ["source_path", "reason", "detail"],
}
SAMPLE_CHARS = 240          # a speaker's sample quote is cut there
MAX_DAYS = 92               # a longer span of `published` dates is counted by month


def counts(frame: pl.DataFrame, column: str, unknown: str = "unknown") -> list[tuple[str, int]]:
    """(value, rows) of a column, the most frequent first; nulls as `unknown`."""
    tally = frame.select(pl.col(column).cast(pl.String).fill_null(unknown)).to_series().value_counts(name="n")
    return list(tally.sort(["n", column], descending=[True, False]).iter_rows())


def copies(articles: pl.DataFrame) -> pl.DataFrame:
    """source_path, kind and copy_of (the original's path) of every exact or near copy."""
    paths = articles.select(duplicate_of="article_id", copy_of="source_path")
    return (articles.filter(pl.col("duplicate_of").is_not_null())
            .join(paths, on="duplicate_of", how="left")
            .select("source_path", kind="duplicate_kind", copy_of="copy_of").sort("source_path"))


def lines_dropped(articles: pl.DataFrame) -> pl.DataFrame:
    """reason, lines and pages of the lines the cleaner dropped, the most lines first."""
    dropped = articles.select("article_id", "lines_dropped_by").explode("lines_dropped_by").unnest("lines_dropped_by")
    return (dropped.drop_nulls("reason").group_by("reason")
            .agg(lines=pl.col("lines").sum(), pages=pl.col("article_id").n_unique())
            .sort(["lines", "reason"], descending=[True, False]))


def shortest_bodies(articles: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The pages whose body kept the least of their text (body characters per raw byte): where
    the cleaner most likely cut the article itself."""
    return (articles.filter(pl.col("raw_bytes") > 0)
            .with_columns(body_share=pl.col("body_chars") / pl.col("raw_bytes"))
            .sort(["body_share", "source_path"]).head(n)
            .select("source_path", "title", "body_chars", "raw_bytes", "body_share"))


def histogram(values: pl.Series, bins: int = 16) -> list[tuple[str, str, int]]:
    """(where the bin starts, its label, count) of non-negative values in bins of a round width;
    the last bin holds everything above the 98th percentile."""
    values = values.drop_nulls()
    if values.is_empty():
        return []
    width = round_step((values.quantile(0.98) or values.max() or 1) / bins)
    index = (values // width).clip(0, bins - 1).cast(pl.Int64).value_counts(name="n").sort(values.name)
    found = dict(index.iter_rows())
    return [(f"{i * width:,g}", f"≥{i * width:,g}" if i == bins - 1 else f"{i * width:,g}–{(i + 1) * width:,g}",
             found.get(i, 0)) for i in range(int(index[values.name].max()) + 1)]


def round_step(raw: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least `raw`."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def confidence_bins(quotes: pl.DataFrame) -> list[tuple[str, str, int]]:
    """Quotes per tenth of confidence, 0.0–0.1 to 0.9–1.0 (as `histogram` gives them)."""
    tenth = (pl.col("confidence") * 10).floor().clip(0, 9).cast(pl.Int64)
    found = dict(quotes.drop_nulls("confidence").select(tenth).to_series().value_counts().iter_rows())
    return [(f"{i / 10:.1f}", f"{i / 10:.1f}–{(i + 1) / 10:.1f}", found.get(i, 0)) for i in range(10)]


def top_entities(entities: pl.DataFrame, label: str, n: int = 10) -> list[tuple[str, int]]:
    """(name, articles) of the entities of `label` named in the most articles."""
    return list(entities.filter(pl.col("label") == label).group_by("entity_key")
                .agg(name=pl.col("name").mode().sort().first(), articles=pl.col("article_id").n_unique())
                .sort(["articles", "name"], descending=[True, False]).head(n).select("name", "articles").iter_rows())


def top_speakers(quotes: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """speaker, quotes, articles and a sample (their most confident direct quote) of the speakers
    quoted most."""
    ranked = quotes.filter(pl.col("speaker").is_not_null()).sort(
        [pl.col("quote_type") == "direct", "confidence"], descending=True, nulls_last=True)
    return (ranked.group_by("speaker")
            .agg(quotes=pl.len(), articles=pl.col("article_id").n_unique(), sample=pl.col("text").first())
            .sort(["quotes", "speaker"], descending=[True, False]).head(n)
            .with_columns(pl.col("sample").str.slice(0, SAMPLE_CHARS)))


def published_dates(articles: pl.DataFrame) -> list[tuple[str, int]]:
    """(date, articles) per day of `published`, or per month when the dates span over MAX_DAYS;
    days or months without an article count 0."""
    dates = articles["published"].drop_nulls()
    if dates.is_empty():
        return []
    monthly = (dates.max() - dates.min()).days > MAX_DAYS
    unit, fmt = ("1mo", "%Y-%m") if monthly else ("1d", "%Y-%m-%d")
    found = dates.dt.truncate(unit).value_counts(name="n")
    every = pl.date_range(found["published"].min(), found["published"].max(), unit, eager=True).alias("published")
    filled = every.to_frame().join(found, on="published", how="left").fill_null(0)
    return [(day.strftime(fmt), n) for day, n in filled.iter_rows()]
