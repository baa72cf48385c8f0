"""Branches: read one by id."""

import uuid

from convograph.schema.types import Branch, Info


async def branch(info: Info, id: uuid.UUID) -> Branch | None:
    row = await info.context.loaders.branch.load(id)
    return Branch.from_row(row) if row else None
