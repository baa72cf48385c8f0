"""Branches: read one by id, rename."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import branches as repository
from convograph.db.tables import Branch as BranchRow
from convograph.resolvers.unit_of_work import mutate
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError
from convograph.schema.inputs import RenameBranchInput
from convograph.schema.payloads import RenameBranchSuccess
from convograph.schema.types import Branch, Info, load_branch


async def branch(info: Info, id: uuid.UUID) -> Branch | None:
    return await load_branch(info, id)


async def rename_branch(
    info: Info, input: RenameBranchInput
) -> RenameBranchSuccess | NotFoundError | ValidationError | ConflictError:
    async def work(session: AsyncSession) -> BranchRow:
        return await repository.rename_branch(
            session, info.context.owner, input.branch_id, input.checked_name()
        )

    return await mutate(
        info,
        work,
        lambda row: RenameBranchSuccess(branch=Branch.from_row(row)),
        (BranchRow, input.branch_id),
        input=input,
    )
