"""Titles of cited articles, taken out of a provision's text before it is classified.

"Articles 14.4 (Non-Discriminatory Treatment of Digital Products), 14.11 (Cross-Border
Transfer of Information by Electronic Means) and 14.13 (Location of Computing Facilities)
shall not apply to ..." names three topics and commits to none of them: the taxonomy gives a
cross-reference no label. Left in, the cited titles are the strongest words of the text, and
scope, exception and dispute-settlement articles inherit the labels of every article they
cite. The reference itself ("Article 14.11") stays, so the sentence still reads as one.
"""

from __future__ import annotations

import re

# The first letter of a cited title: a capital.
_TITLE_START = "[A-ZÁÉÍÓÚÑ]"
# A reference ("Article 14.11", "Artículos 3", "Chapter 19", or a bare dotted number in a list
# of references: ", 14.11") followed by a capitalised title in parentheses. Sub-paragraph
# references ("Article 3 (a)", "paragraph 2 (b)") are lower-case or numbers and stay.
#
# Written plainly, the pattern is
#   (?P<reference>(?i:\b(?:articles?|artículos?|chapters?|capítulos?|sections?|secciones?|sección
#   |annex(?:es)?|anexos?)\s+[\w.\-]+)|\b\d+(?:\.\d+)+)\s*\((?P<title>[A-ZÁÉÍÓÚÑ][^()]{2,160})\)
# (tests/test_citations.py holds it and checks that both find the same). Python's `re` tries
# that at every position of the text; starting with a character set instead (the first letters
# of the keywords in any case, "ſ" matching "s" without case, or a digit) lets it skip from one
# possible start to the next in C, three times faster. `(?<!\w.)` after the first character is
# the `\b` before it; a lookbehind on that character picks its keywords.
_CITED_TITLE = re.compile(
    r"(?P<reference>[AaCcSsſ\d](?<!\w.)(?:"
    r"(?<=[Aa])(?i:rticles?|rtículos?|nnex(?:es)?|nexos?)\s+[\w.\-]+"
    r"|(?<=[Cc])(?i:hapters?|apítulos?)\s+[\w.\-]+"
    r"|(?<=[Ssſ])(?i:ections?|ecciones?|ección)\s+[\w.\-]+"
    r"|(?<=\d)\d*(?:\.\d+)+))"
    rf"\s*\((?P<title>{_TITLE_START}[^()]{{2,160}})\)"
)
# Every match holds "(" and a capital: a text without one has nothing to mask. Looking for that
# literal first costs next to nothing; three in four screened articles have no such parenthesis.
_TITLE_OPENING = re.compile(rf"\({_TITLE_START}")


def mask_cited_titles(text: str) -> str:
    """The text with the parenthesised titles of the articles it cites removed."""
    if not _TITLE_OPENING.search(text):
        return text
    return _CITED_TITLE.sub(lambda match: match.group("reference"), text)


# "Article XIV bis" (security exceptions) is another article than "Article XIV" (general
# exceptions, whose paragraph (c)(ii) is the privacy safeguard); split into words, both give the
# token "xiv". Joined, "XIVbis" is a word of its own. ("ter" and "quater" articles are left as they
# are: rare in trade agreements, and " ter" begins every "territory", so looking for them would
# scan every screened article.)
_NUMBER_BIS = re.compile(r"\b([IVXLC]+|\d+(?:\.\d+)*)\s+bis\b")


def join_article_suffixes(text: str) -> str:
    """'XIV bis' -> 'XIVbis', '5 bis' -> '5bis' (model features 4 on)."""
    if " bis" not in text:  # a literal check first: most texts have none
        return text
    return _NUMBER_BIS.sub(r"\1bis", text)
