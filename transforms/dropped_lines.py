"""Why the cleaner dropped a page's lines, in a few words: the reasons of its line decisions
(transforms/clean) carry counts, quoted phrases and the line model's probability, so that no two
read alike; grouped by their leading phrase they can be counted over a corpus (the articles'
`lines_dropped_by`, the run report's "lines dropped by reason")."""
from collections import Counter
from collections.abc import Iterable
import re

KEPT_ROLES = ("body", "blank")
# "line model: p(article)=0.03; features ... (rules dropped: share button ('Share this'))"
_MODEL = re.compile(r"^line model: p\(article\)=[\d.]+(?:; features [^(]*)? \(rules (dropped|kept): ?(.*)\)$")
_HEAD = re.compile(r"^(.*?)(?::|,| \(| '|$)")    # the words before a detail, a quote or a list
_WORDS_ONLY = re.compile(r"^N words?$")


def reason_group(role: str, reason: str) -> str:
    """The family of one dropped line's reason: `menu`, `share button`, `moved to byline`, ..."""
    if role != "boilerplate":
        return f"moved to {role}"
    if model := _MODEL.match(reason):
        if model.group(1) == "kept":
            return "line model, against the rules"
        reason = model.group(2)
    if reason.startswith("after '"):
        return "after an end-of-article heading"
    head = re.sub(r"\d+", "N", _HEAD.match(reason).group(1).strip() or reason)
    return "short line without sentence punctuation" if _WORDS_ONLY.match(head) else head


def dropped_by_reason(decisions: Iterable) -> list[dict]:
    """[{reason, lines}] of the lines a page lost (dropped, or moved to title or metadata), the
    most frequent reason first; the counts add up to the article's `lines_dropped`."""
    counts = Counter(reason_group(d.role, d.reason) for d in decisions if d.role not in KEPT_ROLES)
    return [{"reason": reason, "lines": n} for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
