"""The account forms as typed: signing in, setting a password, making an API token."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from okrkit.domain.accounts import MAX_EMAIL, MAX_PASSWORD, MAX_TOKEN_NAME, Scope
from okrkit.domain.errors import InvalidInput

__all__ = ["PasswordForm", "SignInForm", "TokenForm"]


class SignInForm(BaseModel):
    """The sign-in form's inputs. The password is never shown back."""

    model_config = ConfigDict(str_max_length=MAX_PASSWORD + 10)

    email: str = Field(default="", max_length=MAX_EMAIL + 10)
    password: str = ""
    next: str = Field(default="/", max_length=2000)

    def cleared(self) -> SignInForm:
        """The form to show again: the e-mail as typed, the password empty."""
        return self.model_copy(update={"password": ""})


class PasswordForm(BaseModel):
    """A new password, typed twice, and the current one (when there is one)."""

    model_config = ConfigDict(str_max_length=MAX_PASSWORD + 10)

    current: str = ""
    password: str = ""
    again: str = ""


class TokenForm(BaseModel):
    """A new API token: what it is for, its scope and how long it lives."""

    model_config = ConfigDict(str_strip_whitespace=True, str_max_length=MAX_TOKEN_NAME + 10)

    name: str = ""
    scope: str = Scope.READ.value
    expires: str = "90"

    def scope_value(self) -> Scope:
        try:
            return Scope(self.scope)
        except ValueError:
            raise InvalidInput("a token's scope is read or write", field="scope") from None

    def expiry(self, now: datetime) -> datetime | None:
        """When the token stops working: in so many days, on a date, or never."""
        text = self.expires
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= 3650:
            return now + timedelta(days=int(text))
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"{text!r} is neither a number of days nor a date (2027-03-31)", field="expires"
            ) from None
        return datetime(day.year, day.month, day.day)
