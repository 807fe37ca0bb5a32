"""Accounts in the store: users, their teams, sessions, API tokens and sign-in links.

Secrets arrive here already hashed (by the service); nothing in these tables can be
turned back into a password, a session cookie or a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, update

from okrkit.adapters.store.tables import (
    api_tokens,
    key_results,
    kpis,
    objectives,
    sessions,
    sign_in_links,
    team_members,
    teams,
    users,
)
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.accounts import Account, Role, Scope, StoredAccount, TokenInfo, TokenUse
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import NotFound, RuleViolated

__all__ = ["AccountRepository"]


def _utc(moment: datetime | None) -> datetime | None:
    """A stored moment as the services keep it: naive UTC (PostgreSQL gives it aware)."""
    return None if moment is None else as_utc(moment)


class AccountRepository:
    """Reads and writes accounts on one connection (inside the unit of work's
    transaction). Accounts are named by their e-mail (lower-case)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # --- accounts ---------------------------------------------------------------------

    def _teams_of(self, user_ids: list[int]) -> dict[int, dict[str, Role]]:
        rows = self._c.execute(
            select(team_members.c.user_id, teams.c.key, team_members.c.role)
            .join(teams, teams.c.id == team_members.c.team_id)
            .where(team_members.c.user_id.in_(user_ids))
            .order_by(teams.c.key)
        )
        found: dict[int, dict[str, Role]] = {}
        for user_id, key, role in rows:
            found.setdefault(user_id, {})[key] = Role(role)
        return found

    def _stored(self, rows: list[Row[Any]]) -> list[StoredAccount]:
        memberships = self._teams_of([row.id for row in rows]) if rows else {}
        return [
            StoredAccount(
                id=row.id,
                account=Account(
                    row.email, row.name, bool(row.admin), bool(row.disabled),
                    memberships.get(row.id, {}),
                ),
                has_password=row.password_hash is not None,
                created_at=as_utc(row.created_at),
                version=row.version,
            )
            for row in rows
        ]  # fmt: skip

    def find(self, email: str) -> StoredAccount | None:
        """The account with this e-mail, or None."""
        rows = self._c.execute(select(users).where(users.c.email == email)).all()
        return self._stored(list(rows))[0] if rows else None

    def get(self, email: str) -> StoredAccount:
        """The account with this e-mail; NotFound names it."""
        found = self.find(email)
        if found is None:
            raise NotFound(f"no account {email!r}")
        return found

    def by_id(self, user_id: int) -> StoredAccount | None:
        rows = self._c.execute(select(users).where(users.c.id == user_id)).all()
        return self._stored(list(rows))[0] if rows else None

    def every(self) -> list[StoredAccount]:
        """Every account, by e-mail."""
        return self._stored(list(self._c.execute(select(users).order_by(users.c.email)).all()))

    def owned(self) -> dict[str, tuple[int, int, int]]:
        """Every owner named by a KPI, an objective or a key result (archived ones left
        out), as written, with how many of each they own: three grouped queries."""
        counts: dict[str, list[int]] = {}
        for slot, query in enumerate(
            (
                select(kpis.c.owner, func.count())
                .where(kpis.c.archived.is_(False))
                .group_by(kpis.c.owner),
                select(objectives.c.owner, func.count())
                .where(objectives.c.archived.is_(False))
                .group_by(objectives.c.owner),
                select(key_results.c.owner, func.count())
                .join(objectives, objectives.c.id == key_results.c.objective_id)
                .where(objectives.c.archived.is_(False))
                .group_by(key_results.c.owner),
            )
        ):
            for owner, count in self._c.execute(query):
                if owner:
                    counts.setdefault(owner, [0, 0, 0])[slot] += count
        return {owner: (k, o, r) for owner, (k, o, r) in counts.items()}

    def count(self, *, admins: bool = False) -> int:
        """How many accounts there are (enabled admins only, when asked)."""
        query = select(func.count()).select_from(users)
        if admins:
            query = query.where(users.c.admin.is_(True), users.c.disabled.is_(False))
        return int(self._c.execute(query).scalar_one())

    def add(
        self, account: Account, password_hash: str | None, actor: str, now: datetime
    ) -> StoredAccount:
        if self.find(account.email) is not None:
            raise RuleViolated(f"there is already an account {account.email!r}")
        result: Any = self._c.execute(
            insert(users).values(
                email=account.email, name=account.name, password_hash=password_hash,
                admin=account.admin, disabled=account.disabled, **created(actor, now),
            )
        )  # fmt: skip
        user_id = int(result.inserted_primary_key[0])
        self._set_teams(user_id, account.teams)
        return self.get(account.email)

    def update(
        self, stored: StoredAccount, account: Account, actor: str, now: datetime
    ) -> StoredAccount:
        """Write an account's name, admin, disabled and teams, based on its version."""
        changes = {"name": account.name, "admin": account.admin, "disabled": account.disabled}
        if not update_versioned(self._c, users, stored.id, stored.version, changes, actor, now):
            raise RuleViolated(
                f"the account {stored.account.email!r} was changed meanwhile: try again"
            )
        if account.teams != stored.account.teams:
            self._set_teams(stored.id, account.teams)
        return self.get(account.email)

    def _set_teams(self, user_id: int, memberships: Mapping[str, Role]) -> None:
        self._c.execute(delete(team_members).where(team_members.c.user_id == user_id))
        if not memberships:
            return
        ids = dict(
            self._c.execute(
                select(teams.c.key, teams.c.id).where(teams.c.key.in_(list(memberships)))
            ).all()
        )
        missing = sorted(set(memberships) - set(ids))
        if missing:
            raise NotFound(f"no team {missing[0]!r}")
        self._c.execute(
            insert(team_members),
            [
                {"user_id": user_id, "team_id": ids[k], "role": str(r)}
                for k, r in memberships.items()
            ],
        )

    def password_hash(self, email: str) -> tuple[int, str | None, bool] | None:
        """An account's row id, password hash (None when none is set) and whether it is
        disabled; None when there is no such account."""
        row = self._c.execute(
            select(users.c.id, users.c.password_hash, users.c.disabled).where(
                users.c.email == email
            )
        ).one_or_none()
        return None if row is None else (row.id, row.password_hash, bool(row.disabled))

    def set_password_hash(
        self, user_id: int, password_hash: str | None, actor: str, now: datetime
    ) -> None:
        self._c.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                password_hash=password_hash,
                version=users.c.version + 1,
                updated_at=now,
                updated_by=actor,
            )
        )

    # --- sessions ---------------------------------------------------------------------

    def add_session(self, user_id: int, token_hash: str, now: datetime, expires: datetime) -> None:
        self._c.execute(
            insert(sessions).values(
                token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires
            )
        )

    def session(self, token_hash: str, now: datetime) -> StoredAccount | None:
        """The enabled account whose unexpired session this is, or None."""
        rows = self._c.execute(
            select(users)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(
                sessions.c.token_hash == token_hash,
                sessions.c.expires_at > now,
                users.c.disabled.is_(False),
            )
        ).all()
        return self._stored(list(rows))[0] if rows else None

    def end_session(self, token_hash: str) -> None:
        self._c.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def end_sessions(self, user_id: int, now: datetime) -> int:
        """End every session of an account (and drop expired ones of anybody); how many
        of the account's were open."""
        self._c.execute(delete(sessions).where(sessions.c.expires_at <= now))
        ended = self._c.execute(delete(sessions).where(sessions.c.user_id == user_id))
        return int(ended.rowcount)

    # --- API tokens -------------------------------------------------------------------

    def add_token(
        self,
        user_id: int,
        token_hash: str,
        *,
        name: str,
        scope: Scope,
        hint: str,
        now: datetime,
        expires: datetime | None,
    ) -> TokenInfo:
        result: Any = self._c.execute(
            insert(api_tokens).values(
                token_hash=token_hash, user_id=user_id, name=name, scope=str(scope), hint=hint,
                created_at=now, expires_at=expires,
            )
        )  # fmt: skip
        return self._token_infos(api_tokens.c.id == int(result.inserted_primary_key[0]))[0]

    def _token_infos(self, *where: Any) -> list[TokenInfo]:
        rows = self._c.execute(
            select(api_tokens, users.c.email)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(*where)
            .order_by(api_tokens.c.id)
        )
        return [
            TokenInfo(
                row.id, row.email, row.name, Scope(row.scope), row.hint, as_utc(row.created_at),
                _utc(row.expires_at), _utc(row.revoked_at), _utc(row.last_used_at),
            )
            for row in rows
        ]  # fmt: skip

    def tokens(self, email: str | None = None) -> list[TokenInfo]:
        """API tokens, oldest first: an account's, or everybody's."""
        return self._token_infos(*([] if email is None else [users.c.email == email]))

    def token_info(self, token_id: int) -> TokenInfo:
        found = self._token_infos(api_tokens.c.id == token_id)
        if not found:
            raise NotFound(f"no API token {token_id}")
        return found[0]

    def token(self, token_hash: str, now: datetime) -> TokenUse | None:
        """The enabled account a live token belongs to, with the token's scope, id and
        last use; None for an unknown, revoked or expired token."""
        row = self._c.execute(
            select(
                api_tokens.c.id, api_tokens.c.scope, api_tokens.c.user_id,
                api_tokens.c.last_used_at,
            )
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(
                api_tokens.c.token_hash == token_hash,
                api_tokens.c.revoked_at.is_(None),
                (api_tokens.c.expires_at.is_(None)) | (api_tokens.c.expires_at > now),
                users.c.disabled.is_(False),
            )
        ).one_or_none()  # fmt: skip
        if row is None:
            return None
        account = self.by_id(row.user_id)
        assert account is not None
        return TokenUse(account, Scope(row.scope), row.id, _utc(row.last_used_at))

    def token_used(self, token_id: int, now: datetime) -> None:
        """Record a token's last use."""
        self._c.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now)
        )

    def revoke_token(self, token_id: int, now: datetime) -> TokenInfo:
        """Revoke a token (a revoked one stays revoked, at its first revocation)."""
        self._c.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return self.token_info(token_id)

    # --- one-time sign-in links -------------------------------------------------------

    def add_link(self, user_id: int, token_hash: str, now: datetime, expires: datetime) -> None:
        self._c.execute(
            insert(sign_in_links).values(
                token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires
            )
        )

    def use_link(self, token_hash: str, now: datetime) -> StoredAccount | None:
        """Spend a one-time link: the enabled account it signs in, once, before it
        expires; None otherwise. The check and the spending are one UPDATE, so two
        clicks at once sign in only one browser."""
        row = self._c.execute(
            select(sign_in_links.c.id, sign_in_links.c.user_id).where(
                sign_in_links.c.token_hash == token_hash
            )
        ).one_or_none()
        if row is None:
            return None
        spent = self._c.execute(
            update(sign_in_links)
            .where(
                and_(
                    sign_in_links.c.id == row.id,
                    sign_in_links.c.used_at.is_(None),
                    sign_in_links.c.expires_at > now,
                )
            )
            .values(used_at=now)
        )
        if spent.rowcount != 1:
            return None
        account = self.by_id(row.user_id)
        return None if account is None or account.account.disabled else account
