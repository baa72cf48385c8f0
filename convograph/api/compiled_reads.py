"""Compiled reads: a query answered by one SQL statement that builds its JSON, on PostgreSQL.

After parsing, validation and the limits have passed, this extension turns the operation
into a plan: a tree of `Pick`s that `convograph.db.compiled_sql` compiles into one
statement, and the binders that turn each request's arguments into its parameters. Plans
are cached per document, operation and variable shape (which variables are null, and the
values that change the statement: booleans of @include/@skip, the order, the filter), in a
bounded LRU. The statement's text is handed to the response as an `orjson.Fragment`: no
Python object per field.

The compiler covers the fields a frontend renders a conversation with (see
`convograph.db.compiled_sql`). Anything else, and any request whose arguments or data
would make the resolver path report an error, is answered by the resolver path as a whole:
its errors stay the only errors, spelt as they always were.

`CONVOGRAPH_COMPILED_READS`: `off` (resolvers only), `on`, or `shadow` (the resolvers answer,
the compiled statement runs too, and any difference is logged).
"""

import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import orjson
import strawberry
from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    VariableNode,
    get_named_type,
    value_from_ast,
)
from graphql.execution.values import VariableValues
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.arguments import convert_argument

from convograph.api.node_limit import coerced_variables, operation_named
from convograph.db.compiled_sql import FALLBACK_MARK, Compiler, Pick, Unsupported
from convograph.db.errors import DomainError
from convograph.db.faults import is_unavailable
from convograph.db.overview import ConversationOrder
from convograph.resolvers.conversations import overview_request
from convograph.schema.filters import ConversationFilterInput
from convograph.schema.pagination import PageArgs, decode_index
from convograph.schema.request_errors import BadUserInput
from convograph.settings import CompiledReads as Mode
from convograph.settings import Settings

logger = logging.getLogger("convograph.compiled_reads")

# Bounded: on a public endpoint anyone can send new documents and variable shapes.
MAX_PLANS = 256

Variables = Mapping[str, Any]
Binder = Callable[[Variables, Settings], Mapping[str, Any]]

INDEX_PAGED = {
    ("Conversation", "branches"),
    ("Conversation", "messagesInTree"),
    ("Branch", "messages"),
    ("Message", "children"),
}
PAGE_ARGUMENTS = ("first", "after", "last", "before")


@dataclass(frozen=True)
class Plan:
    sql: str
    constants: Mapping[str, Any]
    binders: tuple[Binder, ...]

    def params(self, variables: Variables, settings: Settings, owner: str | None) -> dict[str, Any]:
        """Raises BadUserInput when an argument is one the resolver path refuses."""
        params: dict[str, Any] = {**self.constants, "owner": owner}
        for bind in self.binders:
            params.update(bind(variables, settings))
        return params


@dataclass
class CompiledResult(ExecutionResult):
    """A result whose `data` is the statement's JSON text, embedded as it is (`text`)."""

    text: str = ""


def result_data(result: ExecutionResult) -> Any:
    """The result's data as Python values, whichever path answered."""
    if isinstance(result, CompiledResult) and result.data is not None:
        return orjson.loads(result.text)
    return result.data


class _Planner:
    """Builds the Pick tree of one operation, and the binders of its arguments."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Variables,
        strawberry_schema: strawberry.Schema,
        settings: Settings,
    ) -> None:
        self.schema = schema
        self.strawberry = strawberry_schema
        self.settings = settings
        self.fragments = fragments
        self.variables = variables
        self.binders: list[Binder] = []
        self._names = iter(range(1 << 30))

    def name(self) -> str:
        return f"p{next(self._names)}"

    # --- fields, as graphql-core's CollectFields groups them --------------------------

    def collect(
        self, parent: GraphQLObjectType, sets: Iterable[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()

        def visit(selection_set: SelectionSetNode) -> None:
            for node in selection_set.selections:
                if not self._included(node):
                    continue
                if isinstance(node, FieldNode):
                    key = node.alias.value if node.alias else node.name.value
                    grouped.setdefault(key, []).append(node)
                elif isinstance(node, InlineFragmentNode):
                    if self._applies(node.type_condition, parent):
                        visit(node.selection_set)
                elif isinstance(node, FragmentSpreadNode):
                    name = node.name.value
                    if name in visited:
                        continue
                    visited.add(name)
                    definition = self.fragments[name]
                    if self._applies(definition.type_condition, parent):
                        visit(definition.selection_set)

        for selection_set in sets:
            visit(selection_set)
        return grouped

    def _included(self, node: Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("include", "skip"):
                raise Unsupported(f"@{name}")
            [argument] = directive.arguments
            value = argument.value
            if isinstance(value, VariableNode):
                condition = self.variables.get(value.name.value)
            elif isinstance(value, BooleanValueNode):
                condition = value.value
            else:
                raise Unsupported("directive argument")
            if (name == "include") != bool(condition):
                return False
        return True

    def _applies(self, condition: Any, parent: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        named = self.schema.get_type(condition.name.value)
        if named is parent:
            return True
        return named is not None and self.schema.is_sub_type(named, parent)  # type: ignore[arg-type]

    def picks(
        self, parent: GraphQLObjectType, sets: Iterable[SelectionSetNode]
    ) -> tuple[Pick, ...]:
        found = []
        for key, nodes in self.collect(parent, sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                found.append(Pick(key, name))
                continue
            definition = parent.fields.get(name)
            if definition is None or name.startswith("__"):
                raise Unsupported(name)
            named = get_named_type(definition.type)
            args = self.arguments(parent.name, name, definition.args, nodes[0])
            picks: tuple[Pick, ...] = ()
            if isinstance(named, GraphQLObjectType):
                picks = self.picks(named, [n.selection_set for n in nodes if n.selection_set])
                if named.name.endswith("Connection"):
                    args = {**args, "typename": named.name}
            found.append(Pick(key, name, args, picks))
        return tuple(found)

    # --- arguments ------------------------------------------------------------------

    def arguments(
        self,
        parent: str,
        field: str,
        definitions: Mapping[str, GraphQLArgument],
        node: FieldNode,
    ) -> dict[str, Any]:
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        getters = {name: self._getter(definitions[name], value) for name, value in given.items()}

        def get(name: str) -> Callable[[Variables], Any]:
            default = definitions[name].default_value if name in definitions else None
            default = None if default is Undefined else default
            return getters.get(name, lambda _variables: default)

        if parent == "Query" and field in ("conversation", "branch", "message"):
            return {"id": self._bind_value(get("id"))}
        if parent == "Query" and field == "conversations":
            return self._overview(get)
        if (parent, field) in INDEX_PAGED or (parent, field) == ("Conversation", "messages"):
            args = self._index_page(get)
            if field == "messages" and parent == "Conversation":
                branch_id = get("branchId")
                if branch_id(self.variables) is not None:
                    args["branch_id"] = self._bind_value(branch_id)
            return args
        if given:
            raise Unsupported(f"arguments of {parent}.{field}")
        return {}

    def _getter(self, argument: GraphQLArgument, value: Any) -> Callable[[Variables], Any]:
        if isinstance(value, VariableNode):
            name = value.name.value
            default = None if argument.default_value is Undefined else argument.default_value
            return lambda variables: variables.get(name, default)
        constant = value_from_ast(value, argument.type, self.variables)
        return lambda _variables: constant

    def _bind_value(self, get: Callable[[Variables], Any]) -> str:
        name = self.name()
        self.binders.append(lambda variables, _settings: {name: get(variables)})
        return name

    def _index_page(self, get: Callable[[str], Callable[[Variables], Any]]) -> dict[str, Any]:
        """first/after/last/before of a list paged by position, checked as the resolver
        path checks them; present ones become parameters (the cursors as positions)."""
        getters = {name: get(name) for name in PAGE_ARGUMENTS}
        names = {
            name: self.name() for name, read in getters.items() if read(self.variables) is not None
        }

        def bind(variables: Variables, settings: Settings) -> Mapping[str, Any]:
            args = PageArgs(**{name: read(variables) for name, read in getters.items()})
            args.checked(settings.max_page_size)
            values = {
                "first": args.first,
                "last": args.last,
                "after": decode_index(args.after, "after") if args.after is not None else None,
                "before": decode_index(args.before, "before") if args.before is not None else None,
            }
            if {n for n, v in values.items() if v is not None} != set(names):
                raise _ShapeChanged
            return {names[n]: v for n, v in values.items() if v is not None}

        self.binders.append(bind)
        return dict(names)

    def _overview(self, get: Callable[[str], Callable[[Variables], Any]]) -> dict[str, Any]:
        getters = {
            name: get(name)
            for name in ("ids", "filter", "first", "after", "last", "before", "offset", "orderBy")
        }

        def request(variables: Variables, settings: Settings) -> Any:
            values = {name: read(variables) for name, read in getters.items()}
            return overview_request(
                settings,
                values["ids"],
                _filter_input(values["filter"], self.strawberry),
                PageArgs(values["first"], values["after"], values["last"], values["before"]),
                values["offset"],
                _order(values["orderBy"]),
            )

        # The plan depends on the order, the direction, the filter and which bounds are
        # given: the variable shape pins them, so they are read from this request.
        known = {name: read(self.variables) for name, read in getters.items()}
        try:
            filter_input = _filter_input(known["filter"], self.strawberry)
            conversation_filter = (
                filter_input.checked(self.settings) if filter_input is not None else None
            )
        except (BadUserInput, DomainError):
            raise Unsupported("a filter the resolver path refuses") from None
        order = _order(known["orderBy"])
        names = {name: self.name() for name in ("limit", "offset", "ids")}
        bounds = {
            name: (self.name(), self.name())
            for name in ("after", "before")
            if known[name] is not None
        }

        def bind(variables: Variables, settings: Settings) -> Mapping[str, Any]:
            page = request(variables, settings)
            params = {names["limit"]: page.limit, names["offset"]: page.offset}
            params[names["ids"]] = list(page.ids) if page.ids is not None else None
            for name, (at, id_) in bounds.items():
                key = getattr(page, name)
                params |= {at: key.at, id_: key.id}
            return params

        self.binders.append(bind)
        return {
            "order": order,
            "from_end": known["last"] is not None,
            "ids": names["ids"] if known["ids"] is not None else None,
            "filter": conversation_filter,
            "limit": names["limit"],
            "offset": names["offset"],
            **bounds,
        }


class _ShapeChanged(Exception):
    """A binder met a request whose nulls differ from its plan's (a cache-key bug guard)."""


def _order(value: Any) -> ConversationOrder:
    """`orderBy` as coerced (the enum's value) or given by name."""
    if isinstance(value, ConversationOrder):
        return value
    if isinstance(value, str):
        return ConversationOrder[value]
    return ConversationOrder(tuple(value))


def _filter_input(value: Any, schema: strawberry.Schema) -> ConversationFilterInput | None:
    """The filter argument as the resolver gets it: coercion leaves input objects as dicts
    keyed by GraphQL names, which strawberry converts for resolvers."""
    if value is None or isinstance(value, ConversationFilterInput):
        return value
    converted = convert_argument(
        value, ConversationFilterInput, schema.schema_converter.scalar_registry, schema.config
    )
    assert isinstance(converted, ConversationFilterInput)
    return converted


def _shape(value: Any) -> Any:
    """What of a variable's value a plan depends on."""
    if value is None:
        return None
    if isinstance(value, bool | Enum):
        return value
    if isinstance(value, str | int | float | uuid.UUID):
        return type(value).__name__
    if isinstance(value, list) and all(isinstance(v, uuid.UUID) for v in value):
        return "ids"
    return repr(value)  # enums as strings, filters: the statement is built from them


_plans: "OrderedDict[tuple[Any, ...], Plan | None]" = OrderedDict()


def plan_for(
    schema: strawberry.Schema,
    document: Any,
    query: str,
    operation_name: str | None,
    variables: Variables,
    settings: Settings,
    scoped: bool,
) -> Plan | None:
    """The plan of a query for these variables' shape; None if the compiler does not cover it."""
    key = (
        query,
        operation_name,
        tuple(sorted((name, _shape(value)) for name, value in variables.items())),
        settings.default_page_size,
        scoped,
    )
    if key in _plans:
        _plans.move_to_end(key)
        return _plans[key]
    plan = _build(schema, document, operation_name, variables, settings, scoped)
    _plans[key] = plan
    if len(_plans) > MAX_PLANS:
        _plans.popitem(last=False)
    return plan


def _build(
    schema: strawberry.Schema,
    document: Any,
    operation_name: str | None,
    variables: Variables,
    settings: Settings,
    scoped: bool,
) -> Plan | None:
    operation = operation_named(document, operation_name)
    assert operation is not None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    planner = _Planner(schema._schema, fragments, variables, schema, settings)
    root = schema._schema.query_type
    assert root is not None
    try:
        picks = planner.picks(root, [operation.selection_set])
        compiler = Compiler(scoped=scoped, default_page_size=settings.default_page_size)
        sql = compiler.root(picks)
    except Unsupported as reason:
        logger.debug("resolver path: %s", reason)
        return None
    return Plan(sql, compiler.constants, tuple(planner.binders))


async def compiled_answer(execution_context: Any) -> str | None:
    """The compiled answer's JSON text, or None where the resolver path must answer."""
    context = execution_context.context
    document = execution_context.graphql_document
    if document is None or execution_context.query is None:
        return None
    operation = operation_named(document, execution_context.operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    coerced = coerced_variables(execution_context, operation)
    if not isinstance(coerced, VariableValues):
        return None  # the resolver path reports the variables' errors
    variables = coerced.coerced
    settings: Settings = context.settings
    owner = context.owner
    plan = plan_for(
        execution_context.schema,
        document,
        execution_context.query,
        execution_context.operation_name,
        variables,
        settings,
        owner is not None,
    )
    if plan is None:
        return None
    try:
        params = plan.params(variables, settings, owner)
    except (BadUserInput, _ShapeChanged):
        return None
    async with context.database.connect() as reader:
        text = await reader.text(plan.sql, params)
    if text is None or FALLBACK_MARK in text:
        return None
    return text


async def answer_or_none(execution_context: Any) -> str | None:
    """`compiled_answer`, or None if it fails: the resolver path then answers, and reports
    its own faults."""
    try:
        return await compiled_answer(execution_context)
    except Exception as error:
        if is_unavailable(error):
            logger.warning("compiled read: database unavailable (%s)", error)
        else:
            logger.exception("compiled read failed; answering through the resolvers")
        return None


class CompiledReadsExtension(SchemaExtension):
    """Answers covered queries on PostgreSQL with one statement (see the module docs)."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution_context = self.execution_context
        context = execution_context.context
        mode = getattr(context.settings, "compiled_reads", Mode.OFF)
        if (
            mode == Mode.OFF
            or execution_context.result is not None
            or context.database.dialect != "postgresql"
        ):
            yield
            return
        if mode == Mode.ON:
            text = await answer_or_none(self.execution_context)
            if text is not None:
                execution_context.result = CompiledResult(
                    data=orjson.Fragment(text), errors=None, text=text
                )
            yield
            return
        yield
        await self._compare()

    async def _compare(self) -> None:
        # graphql-core's result, or a refusal of an earlier extension: either has these.
        result = self.execution_context.result
        if result is None or result.errors:
            return
        text = await answer_or_none(self.execution_context)
        if text is None:
            return
        compiled = orjson.loads(text)
        if compiled != result.data:
            logger.warning(
                "compiled read differs from the resolvers [request %s]: %s vs %s",
                getattr(self.execution_context.context, "request_id", None),
                orjson.dumps(compiled).decode()[:2000],
                orjson.dumps(result.data).decode()[:2000],
            )
