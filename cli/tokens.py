"""``twin token create|list|revoke``: the API's bearer tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli.app import CliError, app, console
from cli.options import Database, DataDir, open_twin
from twin.auth import ROLES, TokenError

token_app = typer.Typer(help="Bearer tokens of the API (stored hashed).", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def create(
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what holds the token (unique).")],
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Make a token; it is printed once, as the last line."""
    try:
        token = open_twin(data, db).tokens.create(role, name)
    except TokenError as exc:
        raise CliError(str(exc)) from exc
    console.print(
        f"token for {name} ({role}); keep it secret, it is not shown again:", highlight=False
    )
    print(token)


@token_app.command("list")
def list_tokens(db: Database = None, data: DataDir = None) -> None:
    """Show every token's name, role and dates (never the token)."""
    table = Table(title="Tokens", title_justify="left")
    for column in ("name", "role", "created (UTC)", "revoked (UTC)"):
        table.add_column(column)
    for t in open_twin(data, db).tokens.list():
        table.add_row(t.name, t.role, t.created_at, t.revoked_at or "")
    console.print(table)


@token_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")],
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Revoke a token: requests with it get 401 from then on."""
    try:
        open_twin(data, db).tokens.revoke(name)
    except TokenError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"revoked the token {name}")
