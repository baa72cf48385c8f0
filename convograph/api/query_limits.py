"""Limits on a query's shape, checked on the parsed document before validation runs.

Validation is the costly step for a hostile document: graphql-core's
OverlappingFieldsCanBeMerged compares every pair of fields that share a response path,
so a field repeated 500 times (no alias needed) costs seconds, and every directive and
operation is visited by a dozen rules. Here one linear pass over the document counts
what validation would have to do, and a document over a limit is refused without being
validated: a refusal costs about as much as reading the document.

What is counted, fragments each time they are spread (the amplification of advisory
PYSEC-2026-2284): depth, aliases, selections (fields, spreads and inline fragments),
directives, operations, and the pairs of fields at one response path. Each fragment is
measured once and reused, so the first pass stays linear however fragments nest; the pairs
are counted by a second walk that expands every spread, which runs only once the first has
shown the selections to be within their limit. Unused fragments count too: validation
reads them as well.

The limits come from the request's settings, so one schema serves any configuration.
"""

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from convograph.api.by_document import ByDocument
from convograph.schema.request_errors import RequestErrorCode
from convograph.settings import Settings

LIMIT_EXCEEDED = {"code": RequestErrorCode.LIMIT_EXCEEDED.value}
# Validation results of the most recent distinct documents, as strawberry's ValidationCache.
VALIDATED_DOCUMENTS = 256


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    selections: int = 0
    directives: int = 0

    def __add__(self, other: "Shape") -> "Shape":
        return Shape(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.selections + other.selections,
            self.directives + other.directives,
        )


class _Measure:
    """The shape of selection sets; each fragment is measured once, however often spread."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.measured: dict[str, Shape] = {}
        self.measuring: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode) -> Shape:
        total = Shape()
        for node in selection_set.selections:
            directives = len(node.directives or ())
            if isinstance(node, FieldNode):
                inner = (
                    Shape()
                    if node.selection_set is None
                    else self.selection_set(node.selection_set)
                )
                # As Strawberry's limiter, introspection does not count for depth; its
                # lists are bounded by graphql-core's introspection depth rule instead.
                levels = 0
                if node.selection_set is not None and not node.name.value.startswith("__"):
                    levels = inner.depth + 1
                shape = Shape(levels, inner.aliases + (1 if node.alias else 0), 1, directives)
                total += shape + Shape(0, 0, inner.selections, inner.directives)
            elif isinstance(node, InlineFragmentNode):
                total += Shape(0, 0, 1, directives) + self.selection_set(node.selection_set)
            else:
                assert isinstance(node, FragmentSpreadNode)
                total += Shape(0, 0, 1, directives) + self.fragment(node.name.value)
        return total

    def fragment(self, name: str) -> Shape:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return Shape()  # unknown or cyclic: graphql-core's own rules report it
        self.measuring.add(name)
        self.measured[name] = self.selection_set(definition.selection_set) + Shape(
            directives=len(definition.directives or ())
        )
        self.measuring.discard(name)
        return self.measured[name]


class _RepeatedFields:
    """Pairs of fields at one response path, which validation compares with each other.

    Every spread is expanded, so this walk runs only on documents whose selections, counted
    with each spread, are known to be within their limit; it stops once it has seen more
    pairs than it may, or more selections than the limit (which an operator may raise)."""

    def __init__(
        self, fragments: Mapping[str, FragmentDefinitionNode], max_pairs: int, max_visits: int
    ) -> None:
        self.fragments = fragments
        self.at_path: Counter[tuple[str, ...]] = Counter()
        self.pairs = 0
        self.max_pairs = max_pairs
        self.visits_left = max_visits
        self.spreading: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode, path: tuple[str, ...]) -> None:
        for node in selection_set.selections:
            self.visits_left -= 1
            if self.pairs > self.max_pairs or self.visits_left < 0:
                return
            if isinstance(node, FieldNode):
                at = (*path, (node.alias or node.name).value)
                self.pairs += self.at_path[at]
                self.at_path[at] += 1
                if node.selection_set is not None:
                    self.selection_set(node.selection_set, at)
            elif isinstance(node, InlineFragmentNode):
                self.selection_set(node.selection_set, path)
            else:
                name = node.name.value
                definition = self.fragments.get(name)
                if definition is not None and name not in self.spreading:
                    self.spreading.add(name)
                    self.selection_set(definition.selection_set, path)
                    self.spreading.discard(name)


@dataclass(frozen=True)
class DocumentCost:
    shape: Shape
    operations: int
    roots: tuple[tuple[str, SelectionSetNode], ...]
    fragments: Mapping[str, FragmentDefinitionNode]

    def repeated_field_pairs(self, max_pairs: int, max_visits: int) -> int:
        """The pairs, or a number over `max_pairs` once it is clear there are more."""
        walk = _RepeatedFields(self.fragments, max_pairs, max_visits)
        for root, selection_set in self.roots:
            walk.selection_set(selection_set, (root,))
        return walk.pairs


def document_cost(document: DocumentNode) -> DocumentCost:
    definitions = document.definitions
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    measure = _Measure(fragments)
    shape = Shape()
    roots: list[tuple[str, SelectionSetNode]] = []
    for index, operation in enumerate(operations):
        directives = sum(len(v.directives or ()) for v in operation.variable_definitions or ())
        directives += len(operation.directives or ())
        shape += measure.selection_set(operation.selection_set) + Shape(directives=directives)
        roots.append((f"operation {index}", operation.selection_set))
    for name, definition in fragments.items():
        if name not in measure.measured:
            unused = measure.fragment(name)
            # Its depth is no operation's; its size is validation's work all the same.
            shape += Shape(0, 0, unused.selections, unused.directives)
            roots.append((f"fragment {name}", definition.selection_set))
    return DocumentCost(shape, len(operations), tuple(roots), fragments)


def _refusal(message: str) -> GraphQLError:
    return GraphQLError(message, extensions=LIMIT_EXCEEDED)


class ShapeLimits(NamedTuple):
    """The limits a document's shape is checked against (a cache key: they come from the
    request's settings)."""

    max_operations: int
    max_selections: int
    max_directives: int
    max_depth: int
    max_aliases: int
    max_repeated_fields: int

    @classmethod
    def of(cls, settings: Settings) -> "ShapeLimits":
        return cls(*(getattr(settings, name) for name in cls._fields))


def cost_refusal(document: DocumentNode, settings: Settings) -> GraphQLError | None:
    """Why this document is over a limit, or None; linear in the document, and computed
    once per document and limits."""
    message = _refusal_message(document, ShapeLimits.of(settings))
    return None if message is None else _refusal(message)


def _limit_refusal(document: DocumentNode, limits: ShapeLimits) -> str | None:
    cost = document_cost(document)
    shape = cost.shape
    # Each measure with its limit and the refusal's text: measure first, then limit.
    checks = (
        (
            cost.operations,
            limits.max_operations,
            "The document holds {} operations; at most {} are allowed.",
        ),
        (
            shape.selections,
            limits.max_selections,
            "The query has {} selections (fields and fragments, each fragment counted each"
            " time it is spread); at most {} are allowed.",
        ),
        (
            shape.directives,
            limits.max_directives,
            "The query uses {} directives; at most {} are allowed.",
        ),
        (shape.depth, limits.max_depth, "The query is {} levels deep; at most {} are allowed."),
        (
            shape.aliases,
            limits.max_aliases,
            "The query uses {} aliases (fragments counted each time they are spread); at most"
            " {} are allowed.",
        ),
    )
    for measured, limit, refusal in checks:
        if measured > limit:
            return refusal.format(measured, limit)
    pairs = cost.repeated_field_pairs(limits.max_repeated_fields, limits.max_selections)
    if pairs > limits.max_repeated_fields:
        return (
            "The query repeats fields at one place (each repeat must be checked against the "
            f"others): more than {limits.max_repeated_fields} pairs of them, the most "
            "allowed. Ask for each field once."
        )
    return None


_refusal_message = ByDocument(_limit_refusal, VALIDATED_DOCUMENTS)


def _validate(
    document: DocumentNode, schema: GraphQLSchema, rules: tuple[type[ValidationRule], ...]
) -> list[GraphQLError]:
    return validate_document(schema, document, rules)


_validated = ByDocument(_validate, VALIDATED_DOCUMENTS)


class QueryLimits(SchemaExtension):
    """Tokens (checked while parsing); the document's cost and introspection (before and
    while validating). It validates too, with a cache, so that a refused document is
    never validated."""

    def on_operation(self) -> Iterator[None]:
        limit_tokens(self.execution_context)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors is not None or document is None:
            yield  # it did not parse: DocumentCache has set its error
            return
        context.pre_execution_errors = refusal_or_validation_errors(context, document)
        yield


def limit_tokens(context: ExecutionContext) -> None:
    # As Strawberry's MaxTokensLimiter: the parser stops at the limit.
    context.parse_options["max_tokens"] = context.context.settings.max_tokens


def refusal_or_validation_errors(
    context: ExecutionContext, document: DocumentNode
) -> list[GraphQLError]:
    """Why the document is over a limit, or else its validation errors (none: valid)."""
    settings: Settings = context.context.settings
    refusal = cost_refusal(document, settings)
    if refusal is not None:
        return [refusal]
    rules = tuple(context.validation_rules)
    if not settings.introspection:
        rules = (*rules, NoSchemaIntrospectionCustomRule)
    return _validated(document, context.schema._schema, rules)
