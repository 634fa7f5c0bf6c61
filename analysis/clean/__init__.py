"""Stage 2, clean: decoded text → HTML to text, spam, pinyin, traditional → simplified, width, whitespace.

Every step keeps an offset map (`textmap.MappedText`) from each cleaned character back to the raw text.
"""

from analysis.clean.document import (
                                     CleanResult,
                                     clean_document,
                                     clean_text,
                                     detect_variant,
                                     html_to_text,
                                     looks_like_html,
                                     normalise_whitespace,
                                     normalise_width,
                                     remove_pinyin,
                                     remove_spam,
                                     to_simplified,
)
from analysis.ingest.encoding import DocumentError

__all__ = ["CleanResult", "DocumentError", "clean_document", "clean_text", "detect_variant", "html_to_text",
           "looks_like_html", "normalise_whitespace", "normalise_width", "remove_pinyin", "remove_spam",
           "to_simplified"]
