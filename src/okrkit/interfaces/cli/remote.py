"""The command line against a remote okrkit server: with `OKRKIT_URL` set, the workspace
commands that have an API counterpart send one request to that server's `/api/v1`
with `OKRKIT_TOKEN` as the bearer token instead of opening a database — the server
decides who acts (the token's account) and what they may see and change — and turn its
answer into the read models the command prints, so a command prints the same locally
and remotely. The commands without a counterpart refuse (`refuse_local_only`).

A problem document the server answers becomes the error class the server rendered it
from (404 `NotFound`, 403 `Forbidden`, 409 `Conflict`, 422 `InvalidInput` naming its
field, 503 `Busy`), so the command line prints and exits as it does locally; a refused
token (401), an unreachable server, a TLS failure or a timeout is one line.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from okrkit import __version__
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle, StoredCycle
from okrkit.domain.errors import (
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OkrkitError,
    SourceUnavailable,
)
from okrkit.domain.fields import fields_of, from_data
from okrkit.domain.forecast import Forecast
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.objectives import Objective, ObjectiveStatus, StoredObjective
from okrkit.domain.pace import Pace
from okrkit.domain.values import Series
from okrkit.domain.versions import Revision
from okrkit.interfaces.web.schemas.common import naive
from okrkit.interfaces.web.schemas.cycles import CycleListOut, CycleOut
from okrkit.interfaces.web.schemas.key_results import KeyResultStateOut
from okrkit.interfaces.web.schemas.kpis import KpiOut
from okrkit.interfaces.web.schemas.objectives import ObjectiveDetail
from okrkit.services.key_results import KeyResultState
from okrkit.services.objectives import ObjectiveState

__all__ = [
    "TIMEOUT_SECONDS",
    "TOKEN_VARIABLE",
    "URL_VARIABLE",
    "Server",
    "current_cycle",
    "key_result_state",
    "moment",
    "objective_state",
    "path",
    "refuse_local_only",
    "server",
    "stored_cycle",
    "stored_kpi",
]

URL_VARIABLE = "OKRKIT_URL"
TOKEN_VARIABLE = "OKRKIT_TOKEN"
# Long enough for a large page judged on a busy server, short enough that a silent
# network is reported while the person still waits at the terminal.
TIMEOUT_SECONDS = 30.0
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def _loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _problem(answer: httpx.Response) -> dict[str, Any]:
    try:
        document = answer.json()
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


class Server:
    """An okrkit server's API reached with a bearer token: one request per call, its
    JSON answer, or the error the server's problem document names."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": f"okrkit-cli/{__version__}",
        }

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a resource of the API; parameters that are None are left out."""
        given = {k: v for k, v in (params or {}).items() if v is not None}
        return self.send("GET", path, params=given)

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        """One request and its JSON answer; every failure is an `OkrkitError`."""
        try:
            with httpx.Client(
                base_url=f"{self.url}/api/v1", headers=self._headers, timeout=TIMEOUT_SECONDS
            ) as client:
                answer = client.request(method, path, json=body, params=params)
        except httpx.TimeoutException:
            raise SourceUnavailable(
                f"the okrkit server at {self.url} did not answer within "
                f"{TIMEOUT_SECONDS:g} s; nothing is known to be written"
            ) from None
        except httpx.HTTPError as error:
            raise SourceUnavailable(
                f"cannot reach the okrkit server at {self.url} ({URL_VARIABLE}): {_reason(error)}"
            ) from None
        try:
            document = answer.json()
        except ValueError:
            document = None
        if answer.is_success and document is not None:
            return document
        raise self._error(answer)

    def _error(self, answer: httpx.Response) -> OkrkitError:
        """The error a problem document names, as the command line prints it locally."""
        problem = _problem(answer)
        status = answer.status_code
        if "title" not in problem and "detail" not in problem:
            # Not an okrkit server's answer: a proxy, another site, a wrong path prefix.
            return SourceUnavailable(
                f"{self.url} answered {status} {answer.reason_phrase} without an okrkit "
                f"problem document or JSON: is {URL_VARIABLE} the address of an okrkit server?"
            )
        detail = str(problem.get("detail") or problem.get("title"))
        if status == 401:
            return Forbidden(f"the token was refused by {self.url}: {detail} ({TOKEN_VARIABLE})")
        if status == 403:
            return Forbidden(detail)
        if status == 404:
            return NotFound(detail)
        if status in (409, 412, 428):
            return Conflict(detail)
        if status == 422:
            field = problem.get("field")
            return InvalidInput(detail, field=str(field) if field else None)
        if status == 503 and "Retry-After" in answer.headers:
            return Busy(detail)
        if status >= 500:
            return SourceUnavailable(f"the okrkit server at {self.url} failed: {detail}")
        return OkrkitError(f"the okrkit server at {self.url} answered {status}: {detail}")


def _reason(error: httpx.HTTPError) -> str:
    """Why a request failed, in a few words (the innermost cause says it best: a refused
    connection, a name that does not resolve, a certificate that does not verify)."""
    cause: BaseException = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    text = str(cause) or type(cause).__name__
    return text.splitlines()[0]


def server() -> Server | None:
    """The server `OKRKIT_URL` names, reached with `OKRKIT_TOKEN`; None when it is not
    set (the command opens the local workspace). A URL that is not http(s) with a host,
    or no token, is refused; plain HTTP to another machine is warned about, since the
    token would cross the network readable by anyone on the way."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            f"{url!r} is not the address of an okrkit server (https://okr.example.com)",
            field=URL_VARIABLE,
        )
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise InvalidInput(
            f"is not set: make a token on the server's /account page (or with `okrkit "
            f"token create` there), set it, or unset {URL_VARIABLE} to use this machine's "
            "workspace",
            field=TOKEN_VARIABLE,
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        sys.stderr.write(
            f"okrkit: warning: {URL_VARIABLE} is plain HTTP to another machine: the token "
            "travels unencrypted; use https://\n"
        )
    return Server(url, token)


def refuse_local_only(command: str) -> None:
    """Refuse, in one line, a workspace command the API has no counterpart of while
    `OKRKIT_URL` is set: it would otherwise act on this machine's database."""
    if os.environ.get(URL_VARIABLE, "").strip():
        raise OkrkitError(
            f"`okrkit {command}` works on the okrkit server's own machine only, not through "
            f"{URL_VARIABLE}: unset {URL_VARIABLE} to run it on this machine's workspace"
        )


def path(*parts: object) -> str:
    """An API path from its parts, each one escaped (a key never leaves its segment)."""
    return "/" + "/".join(quote(str(part), safe="") for part in parts)


# The API's documents read back as the read models the commands print: the declared
# fields through the domain's own `from_data`, versions as `Revision`s in naive UTC.


def _revision(d: dict[str, Any]) -> Revision:
    return Revision(d["version"], naive(d["changed_at"]), d["changed_by"])


def _declared(cls: type[Any], d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields_of(cls)}
    return {k: v for k, v in d.items() if k in names}


def stored_kpi(data: Any) -> StoredKpi:
    """A KPI of the API (`KpiOut`, or the detail that extends it) as stored."""
    d = KpiOut.model_validate(data).model_dump()
    baseline = d["baseline"]
    return StoredKpi(
        from_data(Kpi, _declared(Kpi, d)),
        _revision(d),
        window_periods=d["window_periods"],
        baseline=None if baseline is None else (naive(baseline["start"]), naive(baseline["end"])),
        archived=d["archived"],
    )


def stored_cycle(data: Any) -> StoredCycle:
    """A cycle of the API as stored."""
    d = CycleOut.model_validate(data).model_dump()
    return StoredCycle(Cycle(d["name"], d["start"], d["end"]), d["state"], _revision(d))


def current_cycle(remote: Server) -> str:
    """The name of the server's current cycle (`domain.cycles.current_cycle`: today's)."""
    listed = CycleListOut.model_validate(remote.get("/cycles"))
    if listed.current is None:
        raise NotFound("no cycle yet: add one first")
    return listed.current


def key_result_state(data: Any) -> KeyResultState:
    """A key result judged by the server (`KeyResultStateOut`) as the views read it."""
    d = KeyResultStateOut.model_validate(data).model_dump()
    last, forecast = d["last_check_in"], d["forecast"]
    return KeyResultState(
        key_result=StoredKeyResult(
            id=d["id"],
            objective=d["objective"],
            definition=from_data(KeyResultDefinition, _declared(KeyResultDefinition, d)),
            revision=_revision(d),
            original_target=d["original_target"],
            recalibration=d["recalibration"],
            score=d["score"],
            score_reason=d["score_reason"],
            final_value=d["final_value"],
        ),
        # The series it was judged on stays on the server: the views print the
        # judgement, never the points.
        series=Series.from_points(()),
        check_in_count=d["check_ins"],
        last_check_in=None
        if last is None
        else CheckIn(
            naive(last["at"]), last["value"], last["confidence"], last["note"], last["author"]
        ),
        current=d["current"],
        progress=d["progress"],
        expected_progress=d["expected_progress"],
        forecast=Forecast(
            forecast["n"],
            forecast["slope_per_day"],
            forecast["forecast"],
            forecast["lower"],
            forecast["upper"],
            forecast["probability"],
            forecast.get("reason"),
        ),
        forecast_progress=d["forecast_progress"],
        pace=None if d["pace"] is None else Pace(d["pace"]),
        breached=d["breached"],
        check_in_due=d["check_in_due"],
        confidence=d["confidence"],
        confidence_trend=d["confidence_trend"],
    )


def objective_state(data: Any, cycle: StoredCycle) -> ObjectiveState:
    """An objective judged by the server (`ObjectiveDetail`) as the views read it."""
    d = ObjectiveDetail.model_validate(data).model_dump()
    return ObjectiveState(
        stored=StoredObjective(
            from_data(Objective, _declared(Objective, d)),
            ObjectiveStatus(d["status"]),
            _revision(d),
            score=d["score"],
            retrospective=d["retrospective"],
            carried_from=d["carried_from"],
        ),
        team_name=d["team_name"],
        progress=d["progress"],
        pace=Pace(d["pace"]),
        breached=tuple(b["title"] for b in d["breached"]),
        check_in_due=d["check_in_due"],
        cycle=cycle,
        key_results=tuple(key_result_state(kr) for kr in data["key_results"]),
    )


def moment(text: datetime) -> str:
    """A moment as the API's path takes it (ISO 8601 in UTC)."""
    return naive(text).isoformat() + "Z"
