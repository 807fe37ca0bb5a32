"""The shapes of an error: a problem document (RFC 9457) with its bad fields, and a
problem type as `/api/v1/problems` describes it."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["FieldError", "Problem", "ProblemTypeOut"]


class FieldError(BaseModel):
    """One bad field of a request."""

    location: str = Field(description="Where the field is: body, query, header or path.")
    field: str | None = Field(
        default=None, description="The field, e.g. `name`, `thresholds.green`, `[3].value`."
    )
    detail: str = Field(description="What is wrong with it.")
    pointer: str | None = Field(
        default=None,
        description="For a body field, a JSON Pointer (RFC 6901) to it, e.g. `/3/value`.",
    )


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="URI of the problem type; GET it for its description.")
    title: str = Field(description="Short summary of the problem type; the same every time.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, in words.")
    instance: str | None = Field(default=None, description="The path of the request that failed.")
    field: str | None = Field(default=None, description="The offending field, when there is one.")
    errors: list[FieldError] | None = Field(
        default=None, description="Every bad field with its location (validation problems)."
    )


class ProblemTypeOut(BaseModel):
    """A problem type: what its type URI means."""

    type: str
    title: str
    status: int
    description: str
