"""Page text to title, body and metadata: the cleaner, a package (pipeline.py for now)."""
from transforms.clean.pipeline import (REPEAT_MAX_WORDS, REPEAT_MIN_ARTICLES, SHIPPED, CleanedText, LineDecision,
                                       PageLines, clean_text, counted_lines, key_of_line, line_key)

__all__ = ["REPEAT_MAX_WORDS", "REPEAT_MIN_ARTICLES", "SHIPPED", "CleanedText", "LineDecision", "PageLines",
           "clean_text", "counted_lines", "key_of_line", "line_key"]
