"""Gold folders parsed once, as the pipeline parses them, and kept in /tmp for the benches.

    from bench.parsed import parsed_articles
    for article in parsed_articles(Path("../shared/data/polnear/dev")): ...

Raw files are decoded and cleaned (`transforms.ingest.ingest_frames`) and annotated
(`transforms.nlp_plan.annotate`: the parser only where quotes can be), exactly the Docs
`transforms.extract.extract_rows` hands to the extraction. The Docs go to a spaCy DocBin under
CACHE_DIR, so a re-run only re-does the extraction; delete the folder after changing the
cleaning or the model. A folder is either a gold folder (its files in raw/) or a folder of raw files.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
import hashlib
import json
from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, DocBin

CACHE_DIR = Path("/tmp/newspipe-parsed")
# A parsed Doc recomputes its sentence starts from the heads when it is read back; the annotation
# sets those of the unparsed units itself (nlp_plan._with_parse), so they travel beside the Doc.
_STARTS = "sent_starts"


@dataclass(frozen=True)
class ParsedArticle:
    article_id: str
    source_path: str
    title: Doc
    body: Doc


def parsed_articles(folder: Path, cache_dir: Path = CACHE_DIR) -> list[ParsedArticle]:
    """Every article of the folder with its title and body Docs, parsing only what is not cached."""
    from models.nlp import load_nlp

    nlp = load_nlp()
    docs_file, index_file = _cache_files(folder, cache_dir)
    if not docs_file.exists():
        _parse_into(folder, nlp, docs_file, index_file)
    index = json.loads(index_file.read_text(encoding="utf-8"))
    docs = [_restored(doc) for doc in DocBin().from_bytes(docs_file.read_bytes()).get_docs(nlp.vocab)]
    return [ParsedArticle(a["article_id"], a["source_path"], docs[2 * i], docs[2 * i + 1])
            for i, a in enumerate(index)]


def cache_digest(folder: Path, cache_dir: Path = CACHE_DIR) -> str:
    """A hash of the cached Docs of a folder: two runs with the same digest read the same input."""
    docs_file, _ = _cache_files(folder, cache_dir)
    return hashlib.sha256(docs_file.read_bytes()).hexdigest()[:16]


def _cache_files(folder: Path, cache_dir: Path) -> tuple[Path, Path]:
    resolved = folder.resolve()
    stem = f"{resolved.parent.name}_{resolved.name}_{hashlib.sha256(str(resolved).encode()).hexdigest()[:8]}"
    return cache_dir / f"{stem}.spacy", cache_dir / f"{stem}.json"


def _parse_into(folder: Path, nlp, docs_file: Path, index_file: Path) -> None:
    from transforms.extract import field_texts
    from transforms.ingest import ingest_frames
    from transforms.nlp_plan import annotate, model_cue_forms

    raw = folder / "raw" if (folder / "raw").is_dir() else folder
    items = [(p.name, p.read_bytes()) for p in sorted(raw.glob("*.txt"))]
    articles, _ = ingest_frames(items, datetime.now(timezone.utc))
    texts = list(field_texts(articles["title"].to_list(), articles["body"].to_list()))
    docs = annotate(nlp, texts, [i % 2 == 0 for i in range(len(texts))], model_cue_forms(nlp))
    cache = DocBin(store_user_data=True)
    for doc in docs:
        doc.user_data[_STARTS] = doc.to_array([SENT_START]).astype(numpy.int64).tolist()
        cache.add(doc)
        del doc.user_data[_STARTS]
    docs_file.parent.mkdir(parents=True, exist_ok=True)
    docs_file.write_bytes(cache.to_bytes())
    index = [{"article_id": a, "source_path": s} for a, s in zip(articles["article_id"], articles["source_path"])]
    index_file.write_text(json.dumps(index), encoding="utf-8")


def _restored(doc: Doc) -> Doc:
    starts = numpy.array(doc.user_data.pop(_STARTS), dtype=numpy.int64)
    if len(doc):
        doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))
    return doc
