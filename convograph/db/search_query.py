"""Search queries in web-search syntax, checked once and rendered for each database.

The syntax is PostgreSQL's `websearch_to_tsquery`: words are all required, `"quoted words"`
is a phrase, `or` between terms is an alternative, and `-term` excludes. PostgreSQL reads
the text itself; SQLite gets the same query rendered as an FTS5 expression, every term a
quoted FTS5 string so that no user text is ever FTS5 syntax.

Both databases refuse the same queries: no word to look for, an alternative that only
excludes (neither can use its index for "everything but"), or a query that is too long.
"""

import re
from dataclasses import dataclass

from convograph.db.errors import InvalidInput

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


class InvalidSearchQuery(InvalidInput):
    """The search text cannot be run as a query."""


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of words that must appear in this order."""

    words: tuple[str, ...]
    excluded: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class SearchQuery:
    """Alternatives (OR) of terms that must all match (AND), as the user typed them."""

    text: str
    alternatives: tuple[tuple[Term, ...], ...]

    def fts5(self) -> str:
        """The FTS5 expression, every alternative parenthesised: `(("a" AND "b c") NOT ("d")) OR ("e")`."""
        rendered = []
        for terms in self.alternatives:
            required = " AND ".join(t.fts5() for t in terms if not t.excluded)
            excluded = " OR ".join(t.fts5() for t in terms if t.excluded)
            rendered.append(f"(({required}) NOT ({excluded}))" if excluded else f"({required})")
        return " OR ".join(rendered)


def parse_search_query(text: str) -> SearchQuery:
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidSearchQuery(
            f"The search query is longer than {MAX_QUERY_LENGTH} characters.", "query"
        )
    if "\x00" in text:
        raise InvalidSearchQuery("The search query contains a NUL character.", "query")
    alternatives: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(text):
        phrase_minus, phrase, word_minus, word = match.groups()
        if phrase is None and word.lower() == "or" and not word_minus:
            alternatives.append([])
            continue
        words = tuple(w.lower() for w in _WORD.findall(phrase if phrase is not None else word))
        if words:  # punctuation alone is no term, as in websearch_to_tsquery
            alternatives[-1].append(Term(words, excluded=bool(phrase_minus or word_minus)))
    kept = tuple(tuple(terms) for terms in alternatives if terms)
    if not kept:
        raise InvalidSearchQuery("The search query has no word to look for.", "query")
    if sum(len(terms) for terms in kept) > MAX_TERMS:
        raise InvalidSearchQuery(f"The search query has more than {MAX_TERMS} terms.", "query")
    if any(all(term.excluded for term in terms) for terms in kept):
        raise InvalidSearchQuery(
            "Each alternative of the search query needs a word to look for: `-word` only excludes.",
            "query",
        )
    return SearchQuery(text, kept)
