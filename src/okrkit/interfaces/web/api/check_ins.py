"""`/api/v1/key-results/{id}/check-ins`: a key result's check-in history, oldest first,
and a new check-in, answered with the key result judged again."""

from __future__ import annotations

from fastapi import APIRouter, Response

from okrkit.interfaces.web.api.key_results import KeyResultId
from okrkit.interfaces.web.deps import Actor, Now, Uow, Who, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.check_ins import CheckInIn, CheckInOut
from okrkit.interfaces.web.schemas.key_results import KeyResultStateOut, key_result_state
from okrkit.services import check_ins, key_results

__all__ = ["list_check_ins", "record_check_in", "router"]

router = APIRouter(prefix="/key-results/{id}/check-ins", tags=["check-ins"])


@router.get("", responses=documented(404, 422))
def list_check_ins(id: KeyResultId, uow: Uow, who: Who, now: Now) -> list[CheckInOut]:
    """Every check-in of a key result as written, oldest first (of two at one moment,
    the first written first); corrections are later check-ins, never edits."""
    view = key_results.key_result_view(uow, id, now, viewer=who)
    return [CheckInOut.of(c) for c in view.check_ins]


@router.post("", status_code=201, responses=documented(404, 409, 422))
def record_check_in(
    id: KeyResultId, body: CheckInIn, uow: Uow, actor: Actor, now: Now, response: Response
) -> KeyResultStateOut:
    """Check in: a value, a confidence (0–10) and a note, by the actor. Answers with the
    key result judged again — progress, pace, forecast. A key result fed by a KPI takes
    the KPI's newest value: leave the value out and add a note. Check-ins are appended,
    so none needs a version (nor changes the key result's, its ETag); 409 when its
    objective is not active or its cycle closed."""
    state = check_ins.record_check_in(uow, body.to_command(id), actor, now)
    tag(response, state.key_result.revision.version)
    return key_result_state(state)
