"""Limits on a query's shape: tokens, depth and aliases; and the introspection switch.

Depth and aliases are counted after fragment expansion: a fragment spread N times counts
N times (the amplification of advisory PYSEC-2026-2284). Strawberry's QueryDepthLimiter
and MaxAliasesLimiter count the same way, but they walk every expansion, so a few dozen
fragments that each spread the next one twice keep a worker busy for hours before the
query is refused. Here each fragment is measured once and reused: linear in the document.

The limits come from the request's settings, so one schema serves any configuration.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from convograph.schema.request_errors import RequestErrorCode

LIMIT_EXCEEDED = {"code": RequestErrorCode.LIMIT_EXCEEDED.value}


@dataclass(frozen=True)
class Shape:
    depth: int
    aliases: int


NOTHING = Shape(0, 0)


class _Measure:
    """The shape of selection sets; each fragment is measured once, however often spread."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.measured: dict[str, Shape] = {}
        self.measuring: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode) -> Shape:
        shapes = [self.selection(selection) for selection in selection_set.selections]
        return Shape(
            max((shape.depth for shape in shapes), default=0),
            sum(shape.aliases for shape in shapes),
        )

    def selection(self, node: SelectionNode) -> Shape:
        if isinstance(node, FieldNode):
            alias = 1 if node.alias else 0
            if node.selection_set is None:
                return Shape(0, alias)
            inner = self.selection_set(node.selection_set)
            # As Strawberry's limiter, introspection does not count for depth; its lists
            # are bounded by the node limit instead.
            levels = 0 if node.name.value.startswith("__") else inner.depth + 1
            return Shape(levels, inner.aliases + alias)
        if isinstance(node, InlineFragmentNode):
            return self.selection_set(node.selection_set)
        assert isinstance(node, FragmentSpreadNode)
        return self.fragment(node.name.value)

    def fragment(self, name: str) -> Shape:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return NOTHING  # unknown or cyclic: graphql-core's own rules report it
        self.measuring.add(name)
        self.measured[name] = self.selection_set(definition.selection_set)
        self.measuring.discard(name)
        return self.measured[name]


def document_shape(context: ValidationContext) -> Shape:
    """The deepest operation's depth, and the aliases of all operations together."""
    definitions = context.document.definitions
    measure = _Measure(
        {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    )
    shapes = [
        measure.selection_set(d.selection_set)
        for d in definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    return Shape(max((s.depth for s in shapes), default=0), sum(s.aliases for s in shapes))


@cache
def shape_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule for these limits: one class per pair, so validation caches hit."""

    class QueryShapeRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            shape = document_shape(context)
            if shape.depth > max_depth:
                context.report_error(
                    GraphQLError(
                        f"The query is {shape.depth} levels deep; at most {max_depth} are allowed.",
                        extensions=LIMIT_EXCEEDED,
                    )
                )
            if shape.aliases > max_aliases:
                context.report_error(
                    GraphQLError(
                        f"The query uses {shape.aliases} aliases (fragments counted each time "
                        f"they are spread); at most {max_aliases} are allowed.",
                        extensions=LIMIT_EXCEEDED,
                    )
                )

    return QueryShapeRule


class QueryLimits(SchemaExtension):
    """Tokens (checked while parsing), depth and aliases (while validating), introspection."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        settings = context.context.settings
        # As Strawberry's MaxTokensLimiter: the parser stops at the limit.
        context.parse_options["max_tokens"] = settings.max_tokens
        rules = [shape_rule(settings.max_depth, settings.max_aliases)]
        if not settings.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        context.validation_rules = (*context.validation_rules, *rules)
        yield
