"""pydantic's validation errors, worded for someone editing a data file.

Every reader validates its records with the model and words what fails with
:func:`explain`, so a mistake reads the same whatever the format; the YAML
reader uses :func:`schema_errors`, which adds the line of each field and
leaves out what a did-you-mean already says.

Examples
--------
>>> from pydantic import ValidationError
>>> from lorekit._core.model import Character
>>> try:
...     Character.model_validate({"id": "Eve", "name": "Eve", "aliasses": []})
... except ValidationError as exc:
...     for error in exc.errors():
...         print(explain(error, Character))
id: not a valid id; use lower-case letters, digits and hyphens, such as 'eve-macarro' (got 'Eve')
unknown field 'aliasses' (did you mean 'aliases'?)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .._core.errors import LoreError, SchemaError, UnknownPredicateError
from .._core.model import SLUG_PATTERN
from .._core.names import close_matches, did_you_mean
from .yaml import line_of

__all__ = ["dotted", "explain", "record_label", "schema_errors"]


def record_label(what: str, raw: Mapping[str, Any]) -> str:
    """How a message names a record: ``character 'eve'``, a statement by its three ends.

    Examples
    --------
    >>> record_label("statement", {"subject": "a", "predicate": "leads", "object": "b"})
    "statement 'a leads b'"
    """
    ident = raw.get("id")
    if isinstance(ident, str):
        return f"{what} {ident!r}"
    if what == "statement":
        parts = [raw.get(k) for k in ("subject", "predicate", "object")]
        if all(isinstance(p, str) for p in parts):
            return f"statement '{parts[0]} {parts[1]} {parts[2]}'"
    return what


def schema_errors(
    exc: ValidationError, label: str, model: type[BaseModel], raw: Any, file: str, line: int
) -> list[LoreError]:
    """Turn pydantic's errors for one record into messages a data editor reads."""
    errors = exc.errors()
    suggested: set[str] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            field = str(error["loc"][-1])
            suggested.update(close_matches(field, _fields_at(model, error["loc"][:-1])))
    out: list[LoreError] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc and loc[-1] in suggested:
            continue  # the did-you-mean of the misspelt field already says it
        at = line_of(raw, loc, line)
        message = f"{label}: {explain(error, model)}"
        if loc == ("predicate",) and error["type"] == "value_error":
            out.append(UnknownPredicateError(message, file=file, line=at, value=error["input"]))
        else:
            out.append(SchemaError(message, file=file, line=at, value=error.get("input")))
    return out


def explain(error: Any, model: type[BaseModel]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in plain words."""
    loc = tuple(error["loc"])
    where = dotted(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    shown = error.get("input")
    got = f" (got {shown!r})" if isinstance(shown, str | int | float | bool) else ""
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
        return f"unknown field {where!r}{hint}"
    if kind == "missing":
        return f"missing required field {where!r}"
    if kind == "value_error":
        text = str(error["msg"]).removeprefix("Value error, ")
        return text if loc == ("predicate",) else f"{where}: {text}" if where else text
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        text = "not a valid id; use lower-case letters, digits and hyphens, such as 'eve-macarro'"
    elif kind == "string_pattern_mismatch" and loc == ("wikidata",):
        text = "not a Wikidata item id such as 'Q43416'"
    elif kind == "literal_error" and loc == ("kind",):
        return f"a record of this section cannot have kind {shown!r}; move it to its own section"
    elif kind == "literal_error":
        text = f"must be one of {ctx.get('expected', '')}"
    elif kind == "too_short" and loc and loc[-1] == "sources":
        text = "needs at least one source"
    elif kind == "too_short":
        text = "must not be empty"
    elif kind in ("tuple_type", "list_type"):
        text = "must be a list"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        text = "must be a mapping of fields"
    elif kind.startswith(("date_", "datetime_")):
        text = "not a valid date; write it as YYYY-MM-DD"
    elif kind == "string_type":
        text = "must be text (quote it if it looks like a number, a date or yes/no)"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        text = "must be a whole number"
    elif kind in ("float_type", "float_parsing"):
        text = "must be a number"
    elif kind == "string_too_short":
        text = "must not be empty"
    else:
        text = str(error["msg"]).replace("Input should be", "must be")
    return f"{where}: {text}{got}" if where else f"{text}{got}"


def dotted(loc: tuple[str | int, ...]) -> str:
    """A field's place as a message writes it.

    Examples
    --------
    >>> dotted(("sources", 0, "locator"))
    'sources[0].locator'
    """
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the (nested) model found by following ``loc`` from ``model``."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field_info = current.model_fields.get(step) if _is_model(current) else None
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if _is_model(current) else []


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model inside an annotation such as ``tuple[Citation, ...]``."""
    if _is_model(annotation):
        return annotation  # type: ignore[no-any-return]
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
