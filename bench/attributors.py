"""What each quote attributor is worth: the scorer's figures with it and without it.

    python bench/attributors.py ../shared/data/polnear/dev                       # every attributor left out in turn
    python bench/attributors.py ../shared/data/polnear/train --without clause_agent
    python bench/attributors.py ../shared/data/polnear/dev --order reporting_cue,transcript_turn,...

Extracts the quotes of a gold folder with the registry of transforms/quotes/attributors.py
(ATTRIBUTORS), and with it changed, on Docs parsed once and cached (bench/parsed.py, so only the
first run parses), and scores each with ../shared/eval/score_quotes.py. The full registry's line
gives the figures `bench/evaluate.py quotes` gives for a pipeline run of the same folder; the
`rows` column counts the quoted rows each attributor answered for (reported speech has its own).
"""
import argparse
from collections import Counter
from pathlib import Path
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO.parent / "shared" / "eval"))
import score_quotes  # noqa: E402

from bench.parsed import ParsedArticle, parsed_articles  # noqa: E402
from transforms.entities import extract_entities  # noqa: E402
from transforms.quote_filter import load_model  # noqa: E402
from transforms.quotes import ATTRIBUTORS, Attributor, extract_quotes  # noqa: E402


def scored(gold_dir: Path, articles: list[ParsedArticle], attributors: tuple[Attributor, ...]) -> tuple[dict, Counter]:
    """The scorer's figures for the quotes `attributors` give, and the rows per attributor."""
    quote_filter, quotes = load_model(), []
    for article in articles:
        docs = {"title": article.title, "body": article.body}
        entities = extract_entities(article.article_id, docs)
        quotes.extend(extract_quotes(article.article_id, docs, entities, quote_filter, attributors=attributors))
    with tempfile.TemporaryDirectory(prefix="newspipe-attributors-") as out:
        for table, rows in (("articles", [{"article_id": a.article_id, "source_path": a.source_path,
                                           "body": a.body.text} for a in articles]),
                            ("quotes", [{k: v for k, v in q.items() if k != "spans"} for q in quotes])):
            (Path(out) / table).mkdir()
            pq.write_table(pa.Table.from_pylist(rows), Path(out) / table / "part-0.parquet")
        return score_quotes.score(gold_dir, out), Counter(q["attributed_by"] for q in quotes)


def variants(args: argparse.Namespace) -> list[tuple[str, tuple[Attributor, ...]]]:
    """(label, registry) pairs to score: the shipped registry first."""
    by_name = {a.name: a for a in ATTRIBUTORS}
    unknown = [n for n in (args.without or []) + (args.order.split(",") if args.order else []) if n not in by_name]
    if unknown:
        sys.exit(f"unknown attributors {unknown}; the registry holds {list(by_name)}")
    out = [("all, shipped order", ATTRIBUTORS)]
    if args.order:
        out.append(("the --order given", tuple(by_name[n] for n in args.order.split(","))))
    if args.without:
        out.append((f"without {', '.join(args.without)}", tuple(a for a in ATTRIBUTORS if a.name not in args.without)))
    if not args.order and not args.without:
        out.extend((f"without {a.name}", tuple(b for b in ATTRIBUTORS if b is not a)) for a in ATTRIBUTORS)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--without", action="append", metavar="NAME", help="leave this attributor out (repeatable)")
    parser.add_argument("--order", metavar="A,B,...", help="these attributors only, in this order")
    args = parser.parse_args()
    articles = parsed_articles(args.gold_dir)
    print(f"{'registry':<36} {'quotes':>6} {'quote F1':>9} {'spk acc':>8} {'attr F1':>8}   rows by attributor")
    for label, registry in variants(args):
        figures, rows = scored(args.gold_dir, articles, registry)
        counts = ", ".join(f"{a.name} {rows[a.name]}" for a in registry)
        print(f"{label:<36} {figures['predicted_quotes']:>6} {figures['quote_f1']:>9.4f} "
              f"{figures['speaker_accuracy']:>8.4f} {figures['attributed_quote_f1']:>8.4f}   {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
