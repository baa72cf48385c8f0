"""The node limit: how many objects a query may ask for, worked out before it runs.

As GitHub's GraphQL API does it: a connection returns up to its page size (`first` or
`last`, or the default page size without either) for every object above it, and the sum
over every connection in the operation must stay within `CONVOGRAPH_MAX_NODES`, whether
or not it selects `edges` or `nodes`; any other list counts as a default page. Each spread
of a fragment counts, and the walk stays linear. Introspection is left to graphql-core's
MaxIntrospectionDepthRule, so that explorers' introspection queries pass however large the
schema grows.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_input_type,
    is_list_type,
    type_from_ast,
    value_from_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from convograph.schema.request_errors import RequestErrorCode

PAGE_ARGUMENTS = ("first", "last")


def _is_connection(named: GraphQLNamedType) -> bool:
    return isinstance(named, GraphQLObjectType) and {"edges", "pageInfo"} <= set(named.fields)


class _Count:
    """Nodes per object of a type, for a selection set; fragments counted once each."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page_size = default_page_size
        self.counted: dict[tuple[str, int], int] = {}

    def selection_set(
        self, parent: GraphQLNamedType, selections: SelectionSetNode, page: int
    ) -> int:
        """`page` is the page size of the connection `parent` is, if it is one."""
        return sum(self.selection(parent, node, page) for node in selections.selections)

    def selection(self, parent: GraphQLNamedType, node: SelectionNode, page: int) -> int:
        if isinstance(node, FieldNode):
            return self.field(parent, node, page)
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition
            named = self.schema.get_type(condition.name.value) if condition else parent
            return self.selection_set(named or parent, node.selection_set, page)
        assert isinstance(node, FragmentSpreadNode)
        return self.fragment(node.name.value, page)

    def fragment(self, name: str, page: int) -> int:
        key = (name, page)
        if key not in self.counted:
            definition = self.fragments[name]
            named = self.schema.get_type(definition.type_condition.name.value)
            self.counted[key] = 0  # validation has ruled out cycles; this only guards
            self.counted[key] = (
                self.selection_set(named, definition.selection_set, page) if named else 0
            )
        return self.counted[key]

    def field(self, parent: GraphQLNamedType, node: FieldNode, page: int) -> int:
        name = node.name.value
        # graphql-core's MaxIntrospectionDepthRule already bounds introspection.
        if node.selection_set is None or name.startswith("__"):
            return 0
        definition = self._definition(parent, name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if _is_connection(named):
            # The page counts once, here; its edges and nodes hold the page's items.
            size = self._page_size(node)
            return size + self.selection_set(named, node.selection_set, size)
        inner = self.selection_set(named, node.selection_set, 0)
        if not is_list_type(get_nullable_type(definition.type)):
            return inner
        if _is_connection(parent):
            return page * inner
        return self.default_page_size * (1 + inner)

    def _definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return parent.fields.get(name)
        return None

    def _page_size(self, node: FieldNode) -> int:
        sizes = []
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = value_from_ast(argument.value, GraphQLInt, self.variables)
                if isinstance(value, int):
                    sizes.append(max(value, 0))
        return min(sizes) if sizes else self.default_page_size


def count_nodes(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    default_page_size: int,
) -> int:
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    counter = _Count(schema, fragments, variables, default_page_size)
    return counter.selection_set(root, operation.selection_set, 0)


def _list_over(type_: GraphQLInputType, value: Any, most: int) -> int | None:
    """The length of a list in `value` longer than `most`, found before coercion (which
    costs per item): list and input object types are followed, JSON values are not (their
    size is checked where they are used)."""
    pending = [(type_, value)]
    while pending:
        type_, value = pending.pop()
        type_ = get_nullable_type(type_)  # type: ignore[arg-type]
        if isinstance(type_, GraphQLList):
            if isinstance(value, list):
                if len(value) > most:
                    return len(value)
                pending.extend((type_.of_type, item) for item in value)
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
            pending.extend(
                (type_.fields[name].type, item)
                for name, item in value.items()
                if name in type_.fields
            )
    return None


def longest_list(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    most: int,
) -> tuple[str, int] | None:
    """A variable holding a list longer than `most`, and that list's length."""
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if name in variables and is_input_type(type_):
            length = _list_over(type_, variables[name], most)  # type: ignore[arg-type]
            if length is not None:
                return name, length
    return None


def coerced_variables(
    execution_context: ExecutionContext, operation: OperationDefinitionNode
) -> VariableValues | list[GraphQLError]:
    """The operation's variables coerced to its types, once per request for every extension
    that needs them before execution (graphql-core coerces them again as it executes)."""
    cached = getattr(execution_context, "_coerced_variables", None)
    if cached is None or cached[0] is not operation:
        coerced = get_variable_values(
            execution_context.schema._schema,
            operation.variable_definitions or (),
            execution_context.variables or {},
        )
        cached = (operation, coerced)
        execution_context._coerced_variables = cached  # type: ignore[attr-defined]
    return cached[1]  # type: ignore[no-any-return]


def operation_named(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request names, or its only one; None if there is no such one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


class NodeLimit(SchemaExtension):
    """Refuses, before execution, an operation that may return too many nodes."""

    def on_execute(self) -> Iterator[None]:
        if self.execution_context.result is None:
            try:
                refusal = node_refusal(self.execution_context)
            except Exception as error:  # a fault of ours: ErrorCodes masks and logs it
                refusal = GraphQLError(str(error), original_error=error)
            if refusal is not None:
                self.execution_context.result = ExecutionResult(data=None, errors=[refusal])
        yield


def node_refusal(context: ExecutionContext) -> GraphQLError | None:
    """Why the operation may return too many nodes (or hold too long a list), or None."""
    document = context.graphql_document
    operation = operation_named(document, context.operation_name) if document else None
    if document is None or operation is None:
        return None
    schema = context.schema._schema
    settings = context.context.settings
    if long_list := longest_list(
        schema, operation, context.variables or {}, settings.max_list_length
    ):
        return GraphQLError(
            f"`${long_list[0]}` holds a list of {long_list[1]} items; at most "
            f"{settings.max_list_length} are allowed.",
            extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value},
        )
    coerced = coerced_variables(context, operation)
    # Variables that do not coerce fail the operation anyway, as it starts.
    if not isinstance(coerced, VariableValues):
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    nodes = count_nodes(schema, operation, fragments, coerced.coerced, settings.default_page_size)
    if nodes <= settings.max_nodes:
        return None
    return GraphQLError(
        f"The query may return up to {nodes} nodes; at most {settings.max_nodes} are "
        "allowed. Ask for smaller pages with `first` or `last`.",
        extensions={"code": RequestErrorCode.LIMIT_EXCEEDED.value},
    )
