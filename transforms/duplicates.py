"""Copies of an article: exact (the same body, case and whitespace folded) and near (a syndicated
copy with small edits: most of its 5-word shingles shared).

Near copies are found with MinHash signatures and locality-sensitive hashing over the bodies'
word shingles, in numpy. Every hash is fixed (CRC-32 of the words, constants from SplitMix64),
so the same bodies give the same signatures and the same copies on every run and machine; no
random seed is involved. Signatures and the near pairs found are kept in OUT's state, so a
re-run compares only its new bodies with the published ones.

Every copy points at the copy with the smallest source_path it resembles: bodies are taken in
the order of their first source_path, and a body is a near copy when it resembles an earlier
body that is itself an original. So a chain of small edits never makes two unlike articles
copies of each other, and the result depends on the set of bodies alone.
"""
import re
import zlib

import numpy as np
import polars as pl
import pyarrow as pa

from transforms.frames import to_frame

SHINGLE_WORDS = 5
BANDS, ROWS = 20, 6             # LSH: a pair becomes a candidate when one band of 6 values agrees
PERMUTATIONS = BANDS * ROWS     # (half the pairs at similarity 0.61 are candidates, 99.8% at 0.8)
NEAR_SIMILARITY = 0.8           # estimated Jaccard similarity of the shingle sets; see README
MIN_WORDS = 50                  # shorter bodies (briefs, results lines) are compared exactly only

SIGNATURES = pa.schema([
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("signature", pa.list_(pa.uint32()), nullable=False),
])
NEAR_PAIRS = pa.schema([
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("other_hash", pa.string(), nullable=False),     # content_hash < other_hash
    pa.field("similarity", pa.float32(), nullable=False),
])
DUPLICATES = {"article_id": pl.String, "duplicate_of": pl.String, "duplicate_kind": pl.String}

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_PRIME = np.uint64(0x100000001B3)
_CHUNK = 2048


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


# The permutations h_i(x) = (a_i * x + b_i) mod 2^64, top 32 bits: a multiply-shift family.
_A = np.array([_splitmix64(2 * i) | 1 for i in range(PERMUTATIONS)], dtype=np.uint64)
_B = np.array([_splitmix64(2 * i + 1) for i in range(PERMUTATIONS)], dtype=np.uint64)


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, element-wise: spreads polynomial hashes over all 64 bits."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def shingles(body: str) -> np.ndarray | None:
    """The distinct 64-bit hashes of the body's 5-word shingles (case folded); None when the
    body has fewer than MIN_WORDS words."""
    words = _WORD.findall(body.casefold())
    if len(words) < max(MIN_WORDS, SHINGLE_WORDS):
        return None
    hashed = np.fromiter((zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words),
                         dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE_WORDS + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(SHINGLE_WORDS):
        h = h * _PRIME + hashed[j:j + n]
    return np.unique(_mix(h))


def signature(body: str) -> list[int] | None:
    """The MinHash signature (PERMUTATIONS values) of a body; None when it is too short."""
    found = shingles(body)
    if found is None:
        return None
    sig = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint64)
    for start in range(0, len(found), _CHUNK):
        chunk = found[start:start + _CHUNK, None]
        values = (chunk * _A[None, :] + _B[None, :]) >> np.uint64(32)
        sig = np.minimum(sig, values.min(axis=0))
    return sig.astype(np.uint32).tolist()


def signatures_frame(articles: pl.DataFrame) -> pl.DataFrame:
    """SIGNATURES of the articles' bodies (one row per distinct body long enough to compare)."""
    rows, seen = [], set()
    for content_hash, body in zip(articles["content_hash"].to_list(), articles["body"].to_list()):
        if content_hash not in seen and (sig := signature(body)) is not None:
            seen.add(content_hash)
            rows.append({"content_hash": content_hash, "signature": sig})
    return to_frame(rows, SIGNATURES)


def _matrix(signatures: pl.Series) -> np.ndarray:
    """The signatures as one rows x PERMUTATIONS array, straight from Arrow (a Python list of
    lists would cost about 5 KB per signature)."""
    if signatures.is_empty():
        return np.zeros((0, PERMUTATIONS), dtype=np.uint32)
    return signatures.explode().to_numpy().astype(np.uint32, copy=False).reshape(len(signatures), PERMUTATIONS)


def _band_keys(matrix: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each signature (rows x BANDS)."""
    bands = matrix.reshape(len(matrix), BANDS, ROWS)
    h = np.zeros((len(matrix), BANDS), dtype=np.uint64)
    for r in range(ROWS):
        h = h * _PRIME + bands[:, :, r].astype(np.uint64)
    return _mix(h)


def near_pairs(fresh: pl.DataFrame, known: pl.DataFrame, min_similarity: float = NEAR_SIMILARITY) -> pl.DataFrame:
    """Near pairs (NEAR_PAIRS) that involve at least one fresh body: the fresh signatures
    against each other and against the known ones (content_hash, signature frames)."""
    every = pl.concat([known.select(SIGNATURES.names), fresh.select(SIGNATURES.names)]).unique(
        "content_hash", keep="first", maintain_order=True).sort("content_hash")
    fresh = fresh.select(SIGNATURES.names).unique("content_hash", keep="first", maintain_order=True)
    empty = pl.DataFrame(schema={"content_hash": pl.String, "other_hash": pl.String, "similarity": pl.Float32})
    if fresh.is_empty() or every.height < 2:
        return empty
    # Bodies by their row in `every` (sorted by content_hash, so rows order like hashes), one
    # band at a time: the join of one band's buckets is a twentieth of the join of all bands.
    position = fresh.select("content_hash").join(every.select("content_hash").with_row_index("row"),
                                                 on="content_hash", how="left", maintain_order="left")["row"]
    matrix = _matrix(every["signature"])
    fresh_keys, every_keys = _band_keys(_matrix(fresh["signature"])), _band_keys(matrix)
    rows = pl.Series("right", np.arange(len(matrix), dtype=np.uint32))
    candidates = pl.concat([
        pl.DataFrame([position.alias("left"), pl.Series("bucket", fresh_keys[:, band])])
        .join(pl.DataFrame([rows, pl.Series("bucket", every_keys[:, band])]), on="bucket")
        .filter(pl.col("left") != pl.col("right"))
        .select(pl.min_horizontal("left", "right").alias("left"), pl.max_horizontal("left", "right").alias("right"))
        for band in range(BANDS)
    ]).unique().sort("left", "right")
    if candidates.is_empty():
        return empty
    left, right = candidates["left"].to_numpy(), candidates["right"].to_numpy()
    similarity = (matrix[left] == matrix[right]).mean(axis=1).astype(np.float32)
    hashes = every["content_hash"]
    return (pl.DataFrame({"content_hash": hashes.gather(left), "other_hash": hashes.gather(right),
                          "similarity": pl.Series(similarity, dtype=pl.Float32)})
            .filter(pl.col("similarity") >= min_similarity))


def duplicate_map(keys: pl.DataFrame, pairs: pl.DataFrame | None = None) -> pl.DataFrame:
    """article_id -> duplicate_of, duplicate_kind for every copy among the articles `keys`
    (article_id, source_path, content_hash), given the near pairs of their bodies.

    Same body: the copy with the smallest source_path is the original (`exact`). Near: bodies in
    the order of their first source_path; one that resembles an earlier original is a copy of
    the earliest such (`near`), and so are its exact copies."""
    firsts = (keys.select("article_id", "source_path", "content_hash").sort("source_path")
              .group_by("content_hash", maintain_order=True)
              .agg(pl.col("source_path").first().alias("first_path"), pl.col("article_id").first().alias("first_id")))
    original_of = _near_originals(firsts, pairs) if pairs is not None and not pairs.is_empty() else {}
    finals = firsts.select(
        "content_hash",
        pl.col("content_hash").replace(original_of).alias("final_hash"))
    targets = firsts.select(pl.col("content_hash").alias("final_hash"), pl.col("first_id").alias("duplicate_of"))
    return (
        keys.select("article_id", "content_hash")
        .join(finals, on="content_hash", how="left")
        .join(targets, on="final_hash", how="left")
        .filter(pl.col("duplicate_of") != pl.col("article_id"))
        .select("article_id", "duplicate_of",
                pl.when(pl.col("final_hash") == pl.col("content_hash")).then(pl.lit("exact"))
                .otherwise(pl.lit("near")).alias("duplicate_kind"))
        .sort("article_id")
    )


def _near_originals(firsts: pl.DataFrame, pairs: pl.DataFrame) -> dict[str, str]:
    """content_hash -> the content_hash of its original, for the bodies that are near copies."""
    order = dict(zip(firsts["content_hash"].to_list(), firsts["first_path"].to_list()))
    neighbours: dict[str, list[str]] = {}
    for a, b in zip(pairs["content_hash"].to_list(), pairs["other_hash"].to_list()):
        if a in order and b in order:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    original_of: dict[str, str] = {}
    for body in sorted(neighbours, key=order.__getitem__):
        earlier = [o for o in neighbours[body] if order[o] < order[body] and o not in original_of]
        if earlier:
            original_of[body] = min(earlier, key=order.__getitem__)
    return original_of

