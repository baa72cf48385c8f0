"""Whole documents: which format one is in, and its conversations one at a time.

A convograph document is an object (`{"format": "convograph", "version": 1,
"conversations": [...]}`); ChatGPT's conversations.json is a list of conversations (a
single ChatGPT conversation object is read as a list of one). Files are streamed: a
conversation is parsed only when the import gets to it, so memory holds one at a time.
"""

from collections.abc import Iterator
from enum import Enum
from typing import Any, BinaryIO

import ijson

from convograph.transfer import convograph_format


class DocumentFormat(Enum):
    CONVOGRAPH = convograph_format.FORMAT
    CHATGPT = "chatgpt"


class InvalidDocument(Exception):
    """The document as a whole cannot be read: not JSON, or not of the format."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


CONVOGRAPH_KEYS = ("format", "version", "conversations")


def _check_convograph_key(key: str) -> None:
    if key not in CONVOGRAPH_KEYS:
        raise InvalidDocument(f"`{key}` is not a field of a convograph document.")


def _check_convograph_value(key: str, value: Any) -> None:
    if key == "format" and value != convograph_format.FORMAT:
        raise InvalidDocument(f"The document's format is {value!r}, not 'convograph'.")
    if key == "version" and value != convograph_format.VERSION:
        raise InvalidDocument(
            f"Version {value!r} of the convograph format is not supported "
            f"(this server reads version {convograph_format.VERSION})."
        )


def conversations_in(data: Any, format: DocumentFormat | None) -> tuple[DocumentFormat, list[Any]]:
    """The format and conversations of a parsed document; None detects the format."""
    if isinstance(data, list):
        if format is DocumentFormat.CONVOGRAPH:
            raise InvalidDocument("A convograph document is an object, not a list.")
        return DocumentFormat.CHATGPT, data
    if not isinstance(data, dict):
        raise InvalidDocument(
            "The document must be a list (ChatGPT's conversations.json) or an object "
            "(a convograph document)."
        )
    if format is DocumentFormat.CHATGPT or (format is None and "mapping" in data):
        return DocumentFormat.CHATGPT, [data]
    for key, value in data.items():
        _check_convograph_key(key)
        _check_convograph_value(key, value)
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise InvalidDocument("A convograph document needs a `conversations` list.")
    return DocumentFormat.CONVOGRAPH, conversations


class CountingReader:
    """A binary stream that counts what it has handed out, after a head read ahead."""

    def __init__(self, stream: BinaryIO, head: bytes = b"") -> None:
        self.stream = stream
        self.head = head
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the stream is binary
            return b""
        if self.head:
            chunk, self.head = self.head, b""
        else:
            chunk = self.stream.read(size)
        self.bytes_read += len(chunk)
        return chunk


def _first_byte(stream: BinaryIO) -> tuple[bytes, bytes]:
    """The first byte that is not whitespace (or a byte order mark), and all bytes read."""
    head = b""
    while True:
        chunk = stream.read(64)
        if not chunk:
            raise InvalidDocument("The document is empty.")
        head += chunk
        body = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if body:
            return body[:1], head.removeprefix(b"\xef\xbb\xbf")


def _convograph_items(reader: CountingReader) -> Iterator[Any]:
    builder: Any = None
    for prefix, event, value in ijson.parse(reader, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix == "conversations.item" and event in ("end_map", "end_array"):
                yield builder.value
                builder = None
        elif prefix == "conversations.item":
            if event in ("start_map", "start_array"):
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            else:
                yield value
        elif prefix == "" and event == "map_key":
            _check_convograph_key(value)
        elif prefix in ("format", "version"):
            _check_convograph_value(prefix, value)


def stream_conversations(
    stream: BinaryIO, format: DocumentFormat | None
) -> tuple[DocumentFormat, CountingReader, Iterator[Any]]:
    """The format, the counting reader and the conversations of a JSON file, streamed.

    Iterating raises InvalidDocument where the file stops being JSON of the format.
    """
    first, head = _first_byte(stream)
    reader = CountingReader(stream, head)
    if first == b"[":
        if format is DocumentFormat.CONVOGRAPH:
            raise InvalidDocument("A convograph document is an object, not a list.")
        return DocumentFormat.CHATGPT, reader, _guarded(ijson.items(reader, "item", use_float=True))
    if first != b"{":
        raise InvalidDocument("The document is neither a JSON list nor a JSON object.")
    if format is DocumentFormat.CHATGPT:  # one conversation on its own
        return DocumentFormat.CHATGPT, reader, _guarded(ijson.items(reader, "", use_float=True))
    return DocumentFormat.CONVOGRAPH, reader, _guarded(_convograph_items(reader))


def _guarded(items: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from items
    except ijson.JSONError as error:
        raise InvalidDocument(f"The document is not valid JSON: {error}.") from None
