"""What entity + quote extraction costs next to the spaCy pass it rides on (issue: <= 25%).

    python bench/extraction_cost.py GOLD_OR_RAW_DIR [--repeat 3] [--limit 200]

Times, in one process and session, the spaCy pipeline over the cleaned titles and bodies and
then the extraction over the parsed Docs; prints medians of --repeat runs and the ratio.
"""
import argparse
from datetime import datetime, timezone
from pathlib import Path
import statistics
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from models.nlp import load_nlp  # noqa: E402
from transforms.extract import extract_article, field_texts  # noqa: E402
from transforms.ingest import ingest_frames  # noqa: E402
from transforms.quote_filter import load_model  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=200, help="articles to use (default: %(default)s)")
    args = parser.parse_args()
    raw = args.raw_dir / "raw" if (args.raw_dir / "raw").is_dir() else args.raw_dir
    files = sorted(raw.rglob("*.txt"))[:args.limit]
    articles, _ = ingest_frames([(p.name, p.read_bytes()) for p in files], datetime.now(timezone.utc))
    texts = list(field_texts(articles["title"].to_list(), articles["body"].to_list()))
    nlp, quote_filter = load_nlp(), load_model()
    nlp_times, extract_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        nlp_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for i, article_id in enumerate(articles["article_id"]):
            extract_article(article_id, docs[2 * i], docs[2 * i + 1], quote_filter)
        extract_times.append(time.perf_counter() - started)
    nlp_s, extract_s = statistics.median(nlp_times), statistics.median(extract_times)
    words = int(articles["word_count"].sum())
    print(f"{articles.height} articles, {words:,} words, median of {args.repeat}")
    print(f"spaCy pipeline : {nlp_s:7.2f} s  ({words / nlp_s:,.0f} words/s)")
    print(f"extraction     : {extract_s:7.2f} s  ({extract_s / nlp_s:.1%} of the spaCy pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
