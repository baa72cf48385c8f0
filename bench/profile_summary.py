"""Summarize a py-spy `--format raw` profile (collapsed stacks): where samples end up.

python bench/profile_summary.py profile.txt
"""

import sys
from collections import Counter

# First match wins: the leaf frame's file decides where a sample's time went.
AREAS = [
    ("graphql-core execution", "graphql/"),
    ("strawberry", "strawberry/"),
    ("SQLAlchemy ORM", "sqlalchemy/orm/"),
    ("SQLAlchemy Core/engine", "sqlalchemy/"),
    ("psycopg", "psycopg"),
    ("JSON encoding", "json/"),
    ("asyncio / uvloop", "asyncio/"),
    ("uvicorn / starlette", "uvicorn/"),
    ("uvicorn / starlette", "starlette/"),
    ("convograph", "convograph/"),
    ("pydantic", "pydantic"),
]


def area(frame: str) -> str:
    for name, marker in AREAS:
        if marker in frame:
            return name
    return "other (stdlib, idle, ...)"


def leaf_areas(collapsed: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            counts[area(stack.split(";")[-1])] += int(samples)
    return counts


# First match wins, over the whole stack: which step of a request a sample belongs to.
STAGES = [
    ("DataLoader batches (statement, driver, rows)", "dispatch_batch"),
    ("GraphQL execution (resolvers, completion)", "graphql/execution/"),
    ("parse, validate, extensions", "strawberry/schema/"),
    ("HTTP (uvicorn, starlette, strawberry's view)", "uvicorn/"),
]


def stages(collapsed: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            stage = next((n for n, marker in STAGES if marker in stack), "other (idle, GC, ...)")
            counts[stage] += int(samples)
    return counts


def _shares(counts: Counter[str]) -> str:
    total = sum(counts.values()) or 1
    return "\n".join(f"  {100 * n / total:5.1f}%  {name}" for name, n in counts.most_common())


def report(collapsed: str) -> str:
    return (
        "by the package of the leaf frame:\n"
        + _shares(leaf_areas(collapsed))
        + "\nby the step of the request:\n"
        + _shares(stages(collapsed))
    )


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(report(f.read()))
