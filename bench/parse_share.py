"""How much of a corpus the parse plan sends through the parser: a token count, not a timing.

    python bench/parse_share.py ../shared/data/bbc ../shared/data/polnear/train ../shared/data/polnear/dev
                                [--cache DIR]

Per folder (a gold folder with raw/, or a folder of raw files, searched recursively): the
articles are decoded and cleaned as a run does, the titles and bodies go through the tokenizer
and the NER (what `nlp_plan.annotate` runs on every text), and `nlp_plan.unit_reasons` decides
what to parse. Prints the share of tokens in parsed units, and per pick reason the tokens of
the units picked for that reason alone (what dropping the reason would save). Deterministic:
the same code and model give the same counts on any machine. With --cache, the NER Docs are
kept in DIR (a DocBin per folder), so a re-run after a change to the plan only re-plans.
"""
import argparse
from collections import Counter
from datetime import datetime, timezone
import hashlib
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from spacy.tokens import DocBin  # noqa: E402

from models.nlp import load_nlp  # noqa: E402
from transforms.extract import field_texts  # noqa: E402
from transforms.ingest import ingest_frames  # noqa: E402
from transforms.nlp_plan import PARSE_STAGE, annotate_docs, model_cue_forms, unit_reasons, units  # noqa: E402


def ner_docs(nlp, folder: Path, cache: Path | None) -> list:
    """Title, body, title, body... Docs of the folder's articles, tokenizer and NER only."""
    cached = cache / f"{folder.resolve().name}_{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:8]}.spacy" \
        if cache else None
    if cached is not None and cached.exists():
        return list(DocBin().from_bytes(cached.read_bytes()).get_docs(nlp.vocab))
    raw = folder / "raw" if (folder / "raw").is_dir() else folder
    items = [(str(p.relative_to(raw)), p.read_bytes()) for p in sorted(raw.rglob("*.txt"))]
    articles, _ = ingest_frames(items, datetime.now(timezone.utc))
    texts = list(field_texts(articles["title"].to_list(), articles["body"].to_list()))
    docs = list(nlp.pipe(texts, batch_size=64, disable=list(PARSE_STAGE)))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(DocBin(docs=docs).to_bytes())
    return docs


def shares(nlp, docs: list, cue_forms: frozenset[str]) -> tuple[int, int, int, Counter]:
    """Tokens in all, tagged, parsed, and tokens picked for one reason alone (by reason)."""
    total, alone = 0, Counter()
    for i, doc in enumerate(docs):
        total += len(doc)
        for (s, e), reasons in zip(units(doc), unit_reasons(doc, cue_forms, single_quotes=(i % 2 == 0))):
            if len(reasons) == 1:
                alone[next(iter(reasons))] += e - s
    annotated = annotate_docs(nlp, docs, [i % 2 == 0 for i in range(len(docs))], cue_forms)
    tagged = sum(1 for doc in annotated for t in doc if t.tag_)
    parsed = sum(1 for doc in annotated for t in doc if t.dep_)
    return total, tagged, parsed, alone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, help="keep the NER Docs here, one DocBin per folder")
    args = parser.parse_args()
    nlp = load_nlp()
    cue_forms = model_cue_forms(nlp)
    for folder in args.folders:
        total, tagged, parsed, alone = shares(nlp, ner_docs(nlp, folder, args.cache), cue_forms)
        only = ", ".join(f"{reason} {n / total:.1%}" for reason, n in alone.most_common())
        print(f"{folder}: {total:,} tokens; tagged {tagged / total:.1%}, parsed {parsed / total:.1%}; "
              f"picked for one reason alone: {only}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
