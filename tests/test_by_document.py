"""The per-document cache of limits and validation: keyed by the parsed document object."""

from graphql import DocumentNode, parse

from convograph.api.by_document import ByDocument


def counting() -> tuple[ByDocument[int], list[DocumentNode]]:
    computed: list[DocumentNode] = []

    def compute(document: DocumentNode, extra: int) -> int:
        computed.append(document)
        return len(document.definitions) + extra

    return ByDocument(compute, size=2), computed


def test_a_document_is_computed_once_per_key() -> None:
    cache, computed = counting()
    document = parse("{ __typename }")

    assert cache(document, 1) == 2
    assert cache(document, 1) == 2
    assert cache(document, 5) == 6

    assert computed == [document, document]


def test_an_equal_document_parsed_again_is_its_own_entry() -> None:
    cache, computed = counting()
    first, second = parse("{ __typename }"), parse("{ __typename }")

    cache(first, 0)
    cache(second, 0)

    assert computed == [first, second]


def test_the_least_recently_used_entry_goes_first() -> None:
    cache, computed = counting()
    a, b, c = (parse("{ __typename }") for _ in range(3))

    cache(a, 0)
    cache(b, 0)
    cache(a, 0)  # a is now the most recent
    cache(c, 0)  # b goes
    cache(a, 0)
    cache(b, 0)

    assert computed == [a, b, c, b]


def test_a_document_is_never_hashed() -> None:
    class Unhashable(DocumentNode):
        def __hash__(self) -> int:
            raise AssertionError("the document was hashed")

    cache, _ = counting()
    document = Unhashable(definitions=())

    assert cache(document, 0) == 0
    assert cache(document, 0) == 0
