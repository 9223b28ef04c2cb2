"""Commands for a SPARQL server: ``push``, and the options ``query --endpoint`` shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from ._app import _err, _handle_errors, _out, _story_lore_options, main

if TYPE_CHECKING:
    from .._graph.graph import LoreGraph
    from .._views.sparql.remote import Endpoint


def endpoint_options(*, required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add --endpoint and its URL and auth options; hand the command ``endpoint``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(
            *args: Any,
            endpoint_url: str | None,
            query_url: str | None,
            update_url: str | None,
            store_url: str | None,
            user: str | None,
            password: str | None,
            headers: tuple[str, ...],
            timeout: float,
            **kw: Any,
        ) -> Any:
            endpoint = None
            if endpoint_url is not None:
                extra: dict[str, str] = {}
                for item in headers:
                    name, sep, value = item.partition(":")
                    if not sep or not name.strip():
                        raise click.BadParameter(
                            f"{item!r} is not NAME: VALUE", param_hint="--header"
                        )
                    extra[name.strip()] = value.strip()
                if password is not None and user is None:
                    raise click.UsageError("--password needs --user")
                from .._views.sparql.remote import Endpoint

                endpoint = Endpoint.at(
                    endpoint_url,
                    query=query_url,
                    update=update_url,
                    store=store_url,
                    auth=(user, password or "") if user is not None else None,
                    headers=extra,
                    timeout=timeout,
                )
            elif any((query_url, update_url, store_url, user, headers)):
                raise click.UsageError("--query-url, --store-url, --user, --header need --endpoint")
            return func(*args, endpoint=endpoint, **kw)

        options = [
            click.option(
                "--endpoint",
                "endpoint_url",
                required=required,
                metavar="URL",
                help="The SPARQL server: its base URL, whose /query, /update and /store "
                "(Oxigraph's layout) the command uses unless --query-url, --update-url "
                "or --store-url says otherwise.",
            ),
            click.option("--query-url", metavar="URL", help="The server's SPARQL query URL."),
            click.option("--update-url", metavar="URL", help="The server's SPARQL update URL."),
            click.option(
                "--store-url", metavar="URL", help="The server's Graph Store Protocol URL."
            ),
            click.option("--user", metavar="NAME", help="HTTP Basic authentication: the user."),
            click.option(
                "--password",
                envvar="LOREKIT_ENDPOINT_PASSWORD",
                metavar="TEXT",
                help="HTTP Basic authentication: the password "
                "(better: the environment variable LOREKIT_ENDPOINT_PASSWORD).",
            ),
            click.option(
                "--header",
                "headers",
                multiple=True,
                metavar="'NAME: VALUE'",
                help="An HTTP header for every request, such as 'Authorization: Bearer TOKEN'; "
                "repeat for several.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0, min_open=True),
                default=60.0,
                show_default=True,
                help="Seconds to wait for each answer of the server.",
            ),
        ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


@main.command(name="push")
@endpoint_options(required=True)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="The named graph to replace. Default: the universe's IRI, "
    "https://w3id.org/lorekit/universe/ID/.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Triples per upload (a statement and its provenance stay together).",
)
@click.option(
    "--no-ontology",
    is_flag=True,
    help="Do not replace the ontology's graph, https://w3id.org/lorekit/ontology.",
)
@_handle_errors
@_story_lore_options
def push_command(
    endpoint: Endpoint,
    graph: str | None,
    batch_size: int,
    no_ontology: bool,
    lore: LoreGraph,
) -> None:
    """Upload the universe, with its sources and layers, to a SPARQL 1.1 store.

    The triples go up in batches over the Graph Store HTTP Protocol into a
    staging graph, which one SPARQL Update then moves onto the named graph:
    the graph is replaced whole, or not at all, and pushing twice gives the
    same graph. The ontology goes to its own graph, for `lorekit query
    --endpoint`.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from .._views.sparql.remote import push

    with Progress(
        TextColumn("pushing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    ) as bar:
        task = bar.add_task("push", total=None)

        def progress(sent: int, total: int) -> None:
            bar.update(task, completed=sent, total=total)

        report = push(
            lore,
            endpoint,
            graph=graph,
            batch_size=batch_size,
            ontology=not no_ontology,
            progress=progress,
        )
    for name, count in report.graphs.items():
        _out.print(Text(f"{count} triples in <{name}>"))
    _out.print(
        Text(
            f"done: pushed {report.triples} triples to {report.endpoint} "
            f"in {report.batches} batch{'es' if report.batches != 1 else ''}, "
            f"{report.seconds:.1f} s"
        )
    )
