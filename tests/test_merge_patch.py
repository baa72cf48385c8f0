"""JSON Merge Patch against RFC 7396: the section 3 example and every Appendix A example."""

import copy
from typing import Any

import pytest

from convograph.db.merge_patch import merge_patch

# (original, patch, result), in the order of RFC 7396 Appendix A.
APPENDIX_A: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "expected"), APPENDIX_A)
def test_appendix_a_examples(original: Any, patch: Any, expected: Any) -> None:
    # given an original document and a patch from RFC 7396 Appendix A
    # when the patch is applied
    result = merge_patch(original, patch)
    # then the result is the one the RFC gives
    assert result == expected


def test_section_3_example() -> None:
    # given the document and patch of RFC 7396 section 3
    target = {
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged",
    }
    patch = {
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": None},
        "tags": ["example"],
    }
    # when
    result = merge_patch(target, patch)
    # then
    assert result == {
        "title": "Hello!",
        "author": {"givenName": "John"},
        "tags": ["example"],
        "content": "This will be unchanged",
        "phoneNumber": "+01-123-456-7890",
    }


@pytest.mark.parametrize(("original", "patch", "_expected"), APPENDIX_A)
def test_inputs_are_left_unchanged(original: Any, patch: Any, _expected: Any) -> None:
    # given copies of the inputs, to compare with afterwards
    original_before, patch_before = copy.deepcopy(original), copy.deepcopy(patch)
    # when the patch is applied
    merge_patch(original, patch)
    # then neither the target (a stored row's value) nor the patch was modified in place
    assert original == original_before
    assert patch == patch_before


def test_nested_deletion_does_not_touch_the_target() -> None:
    # given a nested target whose inner object a patch deletes from
    target = {"a": {"b": 1, "c": 2}}
    # when
    result = merge_patch(target, {"a": {"b": None}})
    # then the result lost the key, the target did not
    assert result == {"a": {"c": 2}}
    assert target == {"a": {"b": 1, "c": 2}}
