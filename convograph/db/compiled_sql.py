"""One SQL statement that builds a read's whole JSON answer, on PostgreSQL.

The compiled read path (`convograph.api.compiled_reads`) turns a GraphQL query into a tree
of `Pick`s: which fields of which object, under which response keys, with which bound
parameters. Here that tree becomes one statement whose single text column is the
response's `data`, built by `json_build_object` and `json_agg` (the cheap shapes of the
research note: no jsonb builders, no `ORDER BY` inside an aggregate: ordered subqueries feed
the aggregates instead). Values are spelt as the resolver path spells them: enum names in
upper case, timestamps in the canonical spelling of `convograph.schema.scalars`, cursors
as `convograph.schema.pagination` and the overview encode them.

Anything the resolver path would answer with an error (a branch of another conversation,
a non-null object that is missing) yields `FALLBACK` in its place: the caller then answers
the request through the resolver path, which reports it with its own error.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from convograph.db.filters import ConversationFilter, filter_conditions
from convograph.db.overview import ConversationOrder

FALLBACK_KEY = "__convograph_fallback__"
# Found anywhere in the answer (only a JSON key or string could spell it with its quotes,
# so user text can at worst send a request down the resolver path), it means "ask the
# resolver path".
FALLBACK_MARK = f'"{FALLBACK_KEY}"'
FALLBACK = f"json_build_object('{FALLBACK_KEY}', true)"

# json_build_object takes at most 100 arguments.
MAX_KEYS = 50

_POSTGRESQL = PGDialect_psycopg()


class Unsupported(Exception):
    """The selection uses something the compiler does not build: the resolver path answers."""


@dataclass(frozen=True)
class Pick:
    """One key of a JSON object: `field` of the object, under the response key `key`.

    `args` holds what the field's arguments became: names of bound parameters, or
    values the plan depends on (an order, a filter). `picks` is the field's selection.
    """

    key: str
    field: str
    args: Mapping[str, Any] = field(default_factory=dict)
    picks: tuple["Pick", ...] = ()


def timestamp(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def _base64url(text: str) -> str:
    # PostgreSQL breaks base64 lines at 76 characters; Python's urlsafe_b64encode does not.
    return (
        f"replace(translate(encode(convert_to({text}, 'UTF8'), 'base64'), '+/', '-_'), E'\\n', '')"
    )


def index_cursor(position: str) -> str:
    return _base64url(f"'i|' || ({position})::text")


def param(name: str, cast: str) -> str:
    return f"%({name})s::{cast}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Compiler:
    """Builds one statement; `constants` collects parameters the plan fixes (filters)."""

    scoped: bool
    default_page_size: int
    constants: dict[str, Any] = field(default_factory=dict)
    _aliases: Iterator[int] = field(default_factory=lambda: iter(range(1, 1 << 30)))

    def alias(self, prefix: str) -> str:
        return f"{prefix}{next(self._aliases)}"

    # --- objects ----------------------------------------------------------------------

    def object(self, picks: tuple[Pick, ...], value: Callable[[Pick], str]) -> str:
        if len(picks) > MAX_KEYS:
            raise Unsupported("too many keys for one json_build_object")
        pairs = ", ".join(f"{_literal(p.key)}, {value(p)}" for p in picks)
        return f"json_build_object({pairs})"

    def root(self, picks: tuple[Pick, ...]) -> str:
        def value(pick: Pick) -> str:
            if pick.field == "__typename":
                return "'Query'"
            if pick.field == "conversation":
                c = self.alias("c")
                return (
                    f"(SELECT {self.conversation(c, pick.picks)} FROM conversation {c}"
                    f" WHERE {c}.id = {param(pick.args['id'], 'uuid')}{self._owned(c)})"
                )
            if pick.field in ("branch", "message"):
                table = pick.field
                row, c = self.alias(table[0]), self.alias("c")
                build = self.branch if table == "branch" else self.message
                return (
                    f"(SELECT {build(row, pick.picks)} FROM {table} {row}"
                    f" JOIN conversation {c} ON {c}.id = {row}.conversation_id"
                    f" WHERE {row}.id = {param(pick.args['id'], 'uuid')}{self._owned(c)})"
                )
            if pick.field == "conversations":
                return self.overview(pick)
            raise Unsupported(pick.field)

        return f"SELECT {self.object(picks, value)}::text"

    def _owned(self, c: str) -> str:
        return f" AND {c}.owner = %(owner)s" if self.scoped else ""

    def conversation(self, c: str, picks: tuple[Pick, ...]) -> str:
        scalars = {
            "id": f"{c}.id",
            "title": f"{c}.title",
            "metadata": f"{c}.metadata",
            "createdAt": timestamp(f"{c}.created_at"),
            "updatedAt": timestamp(f"{c}.updated_at"),
            "archivedAt": timestamp(f"{c}.archived_at"),
            "version": f"{c}.version",
            "__typename": "'Conversation'",
            "messageCount": f"(SELECT count(*) FROM message WHERE conversation_id = {c}.id)",
            "branchCount": f"(SELECT count(*) FROM branch WHERE conversation_id = {c}.id)",
        }

        def value(pick: Pick) -> str:
            if pick.field in scalars:
                return scalars[pick.field]
            if pick.field == "currentBranch":
                b = self.alias("b")
                return (
                    f"coalesce((SELECT {self.branch(b, pick.picks)} FROM branch {b}"
                    f" WHERE {b}.id = {c}.current_branch_id), {FALLBACK})"
                )
            if pick.field == "forkedFrom":
                return self._fork_source(c, pick)
            if pick.field == "branches":
                b = self.alias("b")
                return self.ranked(pick, "branch", b, f"{b}.conversation_id = {c}.id", self.branch)
            if pick.field == "messagesInTree":
                m = self.alias("m")
                return self.ranked(
                    pick, "message", m, f"{m}.conversation_id = {c}.id", self.message
                )
            if pick.field == "messages":
                b = self.alias("b")
                chosen = (
                    param(pick.args["branch_id"], "uuid")
                    if pick.args.get("branch_id")
                    else f"{c}.current_branch_id"
                )
                return (
                    f"coalesce((SELECT {self.path(pick, b)} FROM branch {b}"
                    f" WHERE {b}.id = {chosen} AND {b}.conversation_id = {c}.id), {FALLBACK})"
                )
            raise Unsupported(f"Conversation.{pick.field}")

        return self.object(picks, value)

    def _fork_source(self, c: str, pick: Pick) -> str:
        """Where `c` was forked from: null unless the caller may see the source."""
        source, m, mc = self.alias("c"), self.alias("m"), self.alias("c")

        def value(item: Pick) -> str:
            if item.field == "__typename":
                return "'ForkSource'"
            if item.field == "conversation":
                return self.conversation(source, item.picks)
            if item.field == "message":
                return (
                    f"(SELECT {self.message(m, item.picks)} FROM message {m}"
                    f" JOIN conversation {mc} ON {mc}.id = {m}.conversation_id"
                    f" WHERE {m}.id = {c}.forked_from_message_id{self._owned(mc)})"
                )
            raise Unsupported(f"ForkSource.{item.field}")

        return (
            f"(SELECT {self.object(pick.picks, value)} FROM conversation {source}"
            f" WHERE {source}.id = {c}.forked_from_conversation_id{self._owned(source)})"
        )

    def branch(self, b: str, picks: tuple[Pick, ...]) -> str:
        scalars = {
            "id": f"{b}.id",
            "name": f"{b}.name",
            "createdAt": timestamp(f"{b}.created_at"),
            "updatedAt": timestamp(f"{b}.updated_at"),
            "__typename": "'Branch'",
            "isCurrent": (
                f"coalesce((SELECT current_branch_id = {b}.id FROM conversation"
                f" WHERE id = {b}.conversation_id), false)"
            ),
            "messageCount": f"coalesce((SELECT depth + 1 FROM message WHERE id = {b}.tip_id), 0)",
        }
        messages = {"tip": "tip_id", "branchPoint": "branch_point_id"}

        def value(pick: Pick) -> str:
            if pick.field in scalars:
                return scalars[pick.field]
            if pick.field in messages:
                column = messages[pick.field]
                return self._row(pick, "message", self.message, lambda m: f"{m}.id = {b}.{column}")
            if pick.field == "forkedFrom":
                return self._row(
                    pick, "branch", self.branch, lambda f: f"{f}.id = {b}.forked_from_id"
                )
            if pick.field == "conversation":
                return self._conversation_of(b, pick)
            if pick.field == "messages":
                return self.path(pick, b)
            raise Unsupported(f"Branch.{pick.field}")

        return self.object(picks, value)

    def _row(
        self,
        pick: Pick,
        table: str,
        build: Callable[[str, tuple[Pick, ...]], str],
        where: Callable[[str], str],
    ) -> str:
        """The object `build` makes of the row of `table` (a fresh alias `r`) where
        `where(r)`: null if there is none."""
        r = self.alias(table[0])
        return f"(SELECT {build(r, pick.picks)} FROM {table} {r} WHERE {where(r)})"

    def _conversation_of(self, row: str, pick: Pick) -> str:
        c = self.alias("c")
        return (
            f"coalesce((SELECT {self.conversation(c, pick.picks)} FROM conversation {c}"
            f" WHERE {c}.id = {row}.conversation_id), {FALLBACK})"
        )

    def message(self, m: str, picks: tuple[Pick, ...]) -> str:
        scalars = {
            "id": f"{m}.id",
            "role": f"upper({m}.role)",
            "content": f"{m}.content",
            "name": f"{m}.name",
            "toolCalls": f"{m}.tool_calls",
            "toolCallId": f"{m}.tool_call_id",
            "metadata": f"{m}.metadata",
            "depth": f"{m}.depth",
            "status": f"{m}.status",
            "deltaCount": f"{m}.delta_count",
            "createdAt": timestamp(f"{m}.created_at"),
            "updatedAt": timestamp(f"{m}.updated_at"),
            "__typename": "'Message'",
        }
        related = {"parent": "parent_id", "editOf": "edit_of_id"}

        def value(pick: Pick) -> str:
            if pick.field in scalars:
                return scalars[pick.field]
            if pick.field in related:
                column = f"{m}.{related[pick.field]}"
                if all(item.field in ("id", "__typename") for item in pick.picks):
                    # The row it names exists (a foreign key) in the same conversation:
                    # its id needs no lookup.
                    known = {"id": column, "__typename": "'Message'"}
                    built = self.object(pick.picks, lambda item: known[item.field])
                    return f"CASE WHEN {column} IS NULL THEN NULL ELSE {built} END"
                return self._row(
                    pick,
                    "message",
                    self.message,
                    lambda r: f"{r}.conversation_id = {m}.conversation_id AND {r}.id = {column}",
                )
            if pick.field in ("siblingIndex", "siblingCount"):
                return self._siblings(m, earlier=pick.field == "siblingIndex")
            if pick.field == "conversation":
                return self._conversation_of(m, pick)
            if pick.field == "children":
                s = self.alias("m")
                return self.ranked(pick, "message", s, f"{s}.parent_id = {m}.id", self.message)
            raise Unsupported(f"Message.{pick.field}")

        return self.object(picks, value)

    def _siblings(self, m: str, *, earlier: bool) -> str:
        s = self.alias("s")
        before = f" AND ({s}.created_at, {s}.id) < ({m}.created_at, {m}.id)" if earlier else ""

        def among(same_parent: str) -> str:
            return (
                f"(SELECT count(*) FROM message {s} WHERE {s}.conversation_id = {m}.conversation_id"
                f" AND {same_parent}{before})"
            )

        # Two index-friendly forms rather than IS NOT DISTINCT FROM, which no index serves.
        return (
            f"CASE WHEN {m}.parent_id IS NULL THEN {among(f'{s}.parent_id IS NULL')}"
            f" ELSE {among(f'{s}.parent_id = {m}.parent_id')} END"
        )

    # --- connections ------------------------------------------------------------------

    def _window(self, pick: Pick, total: str) -> str:
        """A subquery of (t, lo, hi): the list's total and the page's positions lo <= i < hi,
        as `IndexWindow.of` computes them."""
        lo, hi = "0", "t"
        args = pick.args
        if args.get("after"):
            lo = f"greatest({lo}, {param(args['after'], 'int')} + 1)"
        if args.get("before"):
            hi = f"least({hi}, {param(args['before'], 'int')})"
        if args.get("first"):
            hi = f"least({hi}, {lo} + {param(args['first'], 'int')})"
        if args.get("last"):
            lo = f"greatest({lo}, {hi} - {param(args['last'], 'int')})"
        if not args.get("first") and not args.get("last"):
            hi = f"least({hi}, {lo} + {self.default_page_size})"
        return (
            f"(SELECT t, lo, greatest(lo, hi) AS hi FROM"
            f" (SELECT t, {lo} AS lo, {hi} AS hi FROM (SELECT {total} AS t) t0) w0)"
        )

    @staticmethod
    def _selects(pick: Pick, part: str, fields: tuple[str, ...]) -> bool:
        """Whether the connection's `part` (edges, pageInfo) selects any of `fields`."""
        return any(
            inner.field in fields
            for item in pick.picks
            if item.field == part
            for inner in item.picks
        )

    def _cursor(self, pick: Pick, cursor: str) -> str:
        """The rows' cursor column, built for every row: only where an edge selects it."""
        return f", {cursor} AS cursor" if self._selects(pick, "edges", ("cursor",)) else ""

    def _nodes(self, pick: Pick, build: Callable[[tuple[Pick, ...]], str]) -> str:
        """Columns n0, n1, ...: one JSON object per node selection of the connection, in the
        order `_connection_object` refers to them."""
        found: list[str] = []
        for item in pick.picks:
            if item.field == "nodes":
                found.append(build(item.picks))
            elif item.field == "edges":
                found.extend(build(edge.picks) for edge in item.picks if edge.field == "node")
        return "".join(f", {sql} AS n{i}" for i, sql in enumerate(found))

    def _connection_object(
        self, pick: Pick, r: str, a: str, values: Mapping[str, str], page_info: Mapping[str, str]
    ) -> tuple[str, list[str]]:
        """The connection's JSON object over aggregate subquery `a` of rows `r` (columns
        cursor, n0, n1, ...), and the aggregates `a` must compute."""
        aggregates: list[str] = []
        numbers = iter(range(1 << 30))
        typename = pick.args["typename"]

        def aggregate(expression: str) -> str:
            aggregates.append(f"coalesce(json_agg({expression}), '[]'::json) AS g{len(aggregates)}")
            return f"{a}.g{len(aggregates) - 1}"

        def edge(item: Pick) -> str:
            if item.field == "cursor":
                return f"{r}.cursor"
            if item.field == "node":
                return f"{r}.n{next(numbers)}"
            if item.field == "__typename":
                return _literal(typename.removesuffix("Connection") + "Edge")
            raise Unsupported(f"edge.{item.field}")

        def info(item: Pick) -> str:
            if item.field == "__typename":
                return "'PageInfo'"
            return page_info[item.field]

        def value(item: Pick) -> str:
            if item.field == "__typename":
                return _literal(typename)
            if item.field in values:
                return values[item.field]
            if item.field == "nodes":
                return aggregate(f"{r}.n{next(numbers)}")
            if item.field == "edges":
                return aggregate(self.object(item.picks, edge))
            if item.field == "pageInfo":
                return self.object(item.picks, info)
            raise Unsupported(f"connection.{item.field}")

        return self.object(pick.picks, value), aggregates

    def _indexed(self, pick: Pick, total: str, rows: Callable[[str], str]) -> str:
        """A connection whose positions are 0-based indexes: `rows(w)` selects (pos, cursor,
        n0, ...) of window `w` in list order."""
        w, r, a = self.alias("w"), self.alias("r"), self.alias("a")
        built, aggregates = self._connection_object(
            pick,
            r,
            a,
            {"totalCount": f"{w}.t"},
            {
                "hasNextPage": f"{w}.hi < {w}.t",
                "hasPreviousPage": f"{w}.lo > 0",
                "startCursor": index_cursor(f"{a}.first_pos"),
                "endCursor": index_cursor(f"{a}.last_pos"),
            },
        )
        columns = ", ".join(
            [*aggregates, f"min({r}.pos) AS first_pos", f"max({r}.pos) AS last_pos"]
        )
        return (
            f"(SELECT {built} FROM {self._window(pick, total)} {w}"
            f" CROSS JOIN LATERAL (SELECT {columns} FROM ({rows(w)}) {r}) {a})"
        )

    def ranked(
        self,
        pick: Pick,
        table: str,
        s: str,
        where: str,
        build: Callable[[str, tuple[Pick, ...]], str],
    ) -> str:
        """A connection over the rows of `table` (alias `s`) where `where`, in (created_at,
        id) order: children, branches, every message of a conversation."""
        source = f"{table} {s} WHERE {where}"
        nodes = self._nodes(pick, lambda picks: build(s, picks))

        def rows(w: str) -> str:
            position = f"(row_number() OVER (ORDER BY {s}.created_at, {s}.id) - 1)"
            return (
                f"SELECT {position} AS pos{self._cursor(pick, index_cursor(position))}{nodes}"
                f" FROM {source} ORDER BY {s}.created_at, {s}.id"
                f" OFFSET {w}.lo LIMIT {w}.hi - {w}.lo"
            )

        return self._indexed(pick, f"(SELECT count(*) FROM {source})", rows)

    def path(self, pick: Pick, b: str) -> str:
        """The messages connection of branch `b`: its path, root first; positions are depths.

        The climb is `convograph.db.paths.climb` for one window: jump pointers up to the
        window's top, then parents down to its low end."""
        total = f"coalesce((SELECT depth + 1 FROM message WHERE id = {b}.tip_id), 0)"
        p, k, m = self.alias("p"), self.alias("k"), self.alias("m")
        nodes = self._nodes(pick, lambda picks: self.message(m, picks))
        walked = "id, conversation_id, parent_id, depth, jump_id, jump_depth"

        def rows(w: str) -> str:
            return (
                f"WITH RECURSIVE {p} AS ("
                f"SELECT {walked} FROM message WHERE id = {b}.tip_id AND depth >= {w}.lo"
                f" UNION ALL SELECT n.id, n.conversation_id, n.parent_id, n.depth, n.jump_id,"
                f" n.jump_depth FROM {p} {k} JOIN message n"
                f" ON n.conversation_id = {k}.conversation_id AND n.id = CASE"
                f" WHEN {k}.jump_depth >= {w}.hi - 1 THEN {k}.jump_id ELSE {k}.parent_id END"
                f" WHERE {k}.depth > {w}.lo)"
                f" SELECT {m}.depth AS pos{self._cursor(pick, index_cursor(f'{m}.depth'))}{nodes}"
                f" FROM {p} JOIN message {m} ON {m}.conversation_id = {p}.conversation_id"
                f" AND {m}.id = {p}.id WHERE {p}.depth < {w}.hi ORDER BY {p}.depth"
            )

        return self._indexed(pick, total, rows)

    # --- the overview -----------------------------------------------------------------

    def overview(self, pick: Pick) -> str:
        """`conversations`: one page in the requested order, as `db.overview` reads it:
        `limit + 1` rows tell whether more lie beyond; `from_end` reads backwards and shows
        the page in the requested order."""
        args = pick.args
        order: ConversationOrder = args["order"]
        from_end: bool = args["from_end"]
        conditions = ["true"]
        if self.scoped:
            conditions.append("conversation.owner = %(owner)s")
        if args.get("ids"):
            conditions.append(f"conversation.id = ANY({param(args['ids'], 'uuid[]')})")
        if args.get("filter") is not None:
            conditions.append(self._filter(args["filter"]))
        where = " AND ".join(conditions)
        bounds = ""
        for name, smaller in (("after", order.descending), ("before", not order.descending)):
            if args.get(name):
                at_param, id_param = args[name]
                bound = f"({param(at_param, 'timestamptz')}, {param(id_param, 'uuid')})"
                bounds += f" AND (conversation.{order.column}, conversation.id) {'<' if smaller else '>'} {bound}"
        descending = order.descending != from_end
        read = "DESC" if descending else "ASC"
        shown = "DESC" if order.descending else "ASC"
        limit, offset = param(args["limit"], "int"), param(args["offset"], "int")
        q, r, a = self.alias("q"), self.alias("r"), self.alias("a")
        page = (
            f"SELECT * FROM conversation WHERE {where}{bounds}"
            f" ORDER BY {order.column} {read}, id {read} OFFSET {offset} LIMIT {limit} + 1"
        )
        kept = (
            f"SELECT * FROM (SELECT * FROM {q} ORDER BY {order.column} {read}, id {read}"
            f" LIMIT {limit}) kept ORDER BY {order.column} {shown}, id {shown}"
        )
        nodes = self._nodes(pick, lambda picks: self.conversation(r, picks))
        cursor = _base64url(
            f"{_literal(order.name + '|')} || {timestamp(f'{r}.{order.column}')}"
            f" || '|' || {r}.id::text"
        )
        more = f"((SELECT count(*) FROM {q}) > {limit})"
        earlier = "true" if args.get("after") else f"({offset} > 0)"
        built, aggregates = self._connection_object(
            pick,
            r,
            a,
            {"totalCount": f"(SELECT count(*) FROM conversation WHERE {where})"},
            {
                "hasNextPage": ("true" if args.get("before") else "false") if from_end else more,
                "hasPreviousPage": more if from_end else earlier,
                "startCursor": f"{a}.cursors[1]",
                "endCursor": f"{a}.cursors[cardinality({a}.cursors)]",
            },
        )
        # Here pageInfo's start and end cursors are the first and last row's too.
        ends = self._selects(pick, "pageInfo", ("startCursor", "endCursor"))
        cursors = f", {cursor} AS cursor" if ends else self._cursor(pick, cursor)
        if ends:
            aggregates.append(f"array_agg({r}.cursor) AS cursors")
        columns = ", ".join(aggregates) or "count(*)"
        return (
            f"(WITH {q} AS MATERIALIZED ({page}) SELECT {built} FROM (SELECT {columns} FROM"
            f" (SELECT 1 AS one{cursors}{nodes} FROM ({kept}) {r}) {r}) {a})"
        )

    def _filter(self, conversation_filter: ConversationFilter) -> str:
        """The overview filter of `db.filters`, compiled by SQLAlchemy with its parameters
        named apart from the plan's (they are constants of the plan). Its columns name the
        table `conversation`, which the overview's statements therefore do not alias."""
        conditions = filter_conditions(conversation_filter, "postgresql")
        if not conditions:
            return "true"
        compiled = and_(*conditions).compile(
            dialect=_POSTGRESQL, compile_kwargs={"render_postcompile": True}
        )
        processors = compiled._bind_processors
        sql = str(compiled)
        for name, value in compiled.params.items():
            renamed = f"f{len(self.constants)}_{name}"
            process = processors.get(name)
            self.constants[renamed] = process(value) if process else value
            sql = sql.replace(f"%({name})s", f"%({renamed})s")
        return f"({sql})"
