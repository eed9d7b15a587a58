"""Tests of transforms.duplicates: exact and near copies, deterministic and corpus-wide."""
import subprocess
import sys

import polars as pl
import pytest

from tests.conftest import KAZAKH_SEED, REPO
from transforms import duplicates, ids
from transforms.duplicates import NEAR_SIMILARITY, duplicate_map, near_pairs, signature, signatures_frame

PARAGRAPHS = [p.strip() for p in KAZAKH_SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()][1:]
STORY = "\n\n".join(PARAGRAPHS[:8])
OTHER = "\n\n".join(PARAGRAPHS[8:16])


def edited(text: str) -> str:
    """A syndicated copy: a word changed, a sentence added at the end."""
    return text.replace("Kazakhstan", "Kazakstan", 1) + "\n\nThe agency contributed to this report."


def keys(*rows: tuple[str, str]) -> pl.DataFrame:
    """(source_path, body) -> article keys and signatures, as the flow has them."""
    frame = pl.DataFrame({"source_path": [p for p, _ in rows], "body": [b for _, b in rows]}).with_columns(
        pl.col("source_path").map_elements(ids.article_id, return_dtype=pl.String).alias("article_id"),
        pl.col("body").map_elements(ids.content_hash, return_dtype=pl.String).alias("content_hash"))
    return frame


def copies(frame: pl.DataFrame, known: pl.DataFrame | None = None) -> dict[str, tuple[str, str]]:
    sigs = signatures_frame(frame)
    pairs = near_pairs(sigs, known if known is not None else sigs.clear())
    result = duplicate_map(frame, pairs)
    path_of = dict(zip(frame["article_id"], frame["source_path"]))
    return {path_of[a]: (path_of[d], k) for a, d, k in result.iter_rows()}


def test_the_signature_is_the_same_in_another_process_whatever_its_hash_seed():
    code = ("import sys; from transforms.duplicates import signature; "
            "print(signature(open(sys.argv[1], encoding='utf-8').read())[:8])")
    outputs = {subprocess.run([sys.executable, "-c", code, str(KAZAKH_SEED)], cwd=REPO, capture_output=True,
                              text=True, env={"PYTHONHASHSEED": seed}, check=True).stdout
               for seed in ("1", "2")}
    assert outputs == {str(signature(KAZAKH_SEED.read_text(encoding="utf-8"))[:8]) + "\n"}


def test_a_copy_with_small_edits_is_a_near_copy_of_the_smaller_path():
    found = copies(keys(("b/wire.txt", edited(STORY)), ("a/site.txt", STORY), ("c/other.txt", OTHER)))
    assert found == {"b/wire.txt": ("a/site.txt", "near")}


def test_exact_copies_point_at_the_smallest_path_and_say_so():
    found = copies(keys(("c.txt", STORY), ("a.txt", STORY), ("b.txt", OTHER)))
    assert found == {"c.txt": ("a.txt", "exact")}


def test_an_exact_copy_of_a_near_copy_points_at_the_original_as_near():
    found = copies(keys(("a.txt", STORY), ("b.txt", edited(STORY)), ("c.txt", edited(STORY))))
    assert found == {"b.txt": ("a.txt", "near"), "c.txt": ("a.txt", "near")}


def test_a_chain_of_edits_does_not_make_unlike_articles_copies():
    half = len(PARAGRAPHS[:8]) // 2
    middle = "\n\n".join(PARAGRAPHS[:8][half:] + PARAGRAPHS[8:8 + half])      # shares half with each
    a, b = STORY, "\n\n".join(PARAGRAPHS[:8][:half] + PARAGRAPHS[8:8 + half])
    frame = keys(("a.txt", a), ("b.txt", b), ("m.txt", middle))
    sigs = signatures_frame(frame).to_dicts()
    sim = {(x["content_hash"], y["content_hash"]): sum(u == v for u, v in zip(x["signature"], y["signature"]))
           / duplicates.PERMUTATIONS for x in sigs for y in sigs}
    assert max(v for (x, y), v in sim.items() if x != y) < NEAR_SIMILARITY     # halves are not near copies
    assert copies(frame) == {}


def test_new_bodies_are_compared_with_the_published_signatures():
    published = keys(("a.txt", STORY), ("b.txt", OTHER))
    fresh = keys(("z.txt", edited(OTHER)))
    pairs = near_pairs(signatures_frame(fresh), signatures_frame(published))
    assert pairs.height == 1 and pairs["similarity"][0] >= NEAR_SIMILARITY
    result = duplicate_map(pl.concat([published, fresh]), pairs)
    assert result.rows() == [(fresh["article_id"][0], published["article_id"][1], "near")]


@pytest.mark.parametrize("body", ["", "Too short to compare.", " ".join(["word"] * (duplicates.MIN_WORDS - 1))])
def test_short_bodies_have_no_signature(body):
    assert signature(body) is None
