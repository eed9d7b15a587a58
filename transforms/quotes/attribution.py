"""What an attribution is, how sure a rule is of it, and the loop that asks the attributors."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from transforms.entities import Entity

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext
    from transforms.quotes.segments import Quote


class Evidence(Enum):
    """How the speaker was found, and the confidence a rule gives that.

    Quoted body rows get the learned probability of transforms/quote_filter.py instead (the key
    is one of its features); `layout` evidence keeps the rule confidence there too: PolNeAR
    train holds five such rows, too few for the learned model to judge."""
    NAMED = ("named", 0.9)               # the mention is a name of the article's entity
    RELATIVE = ("relative", 0.85)        # "Sanders, who said": the noun the relative clause hangs on
    TURN = ("turn", 0.9, True)           # a transcript turn's "NAME:" tag
    SIGNATURE = ("signature", 0.9, True)   # '"..." ― Name' after the quote
    TITLE = ("title", 0.75)              # "the Kazakh president": the person given that title
    PRONOUN = ("pronoun", 0.7)           # "she": the salient person before the quote
    UNRESOLVED = ("unresolved", 0.6)     # words that name no entity of the article
    AGENT = ("agent", 0.55)              # no cue: the subject of the clause holding the quote
    CONTEXT = ("context", 0.5)           # no cue: the statement or introduction before the quote
    FLOATING = ("floating", 0.5)         # no attribution: the speaker of the quote before
    NONE = ("none", 0.2)                 # nobody

    def __init__(self, key: str, confidence: float, layout: bool = False):
        self.key, self.confidence, self.layout = key, confidence, layout


@dataclass(frozen=True)
class Attribution:
    speaker: Entity | None
    mention: str | None          # the words that name the speaker where the quote is attributed
    cue: str | None              # the reporting verb or phrase as written
    evidence: Evidence
    cue_lemma: str | None = None
    attributed_by: str | None = None   # the attributor (or step) that found it: the row's provenance


UNATTRIBUTED = Attribution(None, None, None, Evidence.NONE)


@dataclass(frozen=True)
class Attributor:
    """One way of finding a quote's speaker: `find` answers, or passes (None) to the next."""
    name: str
    find: Callable[["ArticleContext", "Quote"], Attribution | None]

    def __call__(self, context: "ArticleContext", quote: "Quote") -> Attribution | None:
        found = self.find(context, quote)
        return None if found is None else replace(found, attributed_by=self.name)


def attributor(name: str) -> Callable[[Callable], Attributor]:
    """Decorator: the function as an Attributor of that name (the name its rows carry)."""
    def register(find: Callable) -> Attributor:
        return Attributor(name, find)
    return register


def attribute(context: "ArticleContext", quote: "Quote", attributors: Sequence[Attributor]) -> Attribution:
    """The first answer of the attributors, in their order; UNATTRIBUTED when none answers."""
    for each in attributors:
        found = each(context, quote)
        if found is not None:
            return found
    return UNATTRIBUTED
