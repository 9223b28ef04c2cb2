"""The public face: exactly the names we mean to export, and nothing run at import."""

from __future__ import annotations

import subprocess
import sys

import lorekit


def _public_names(module: object) -> set[str]:
    """The names a module holds that do not start with an underscore."""
    return {name for name in vars(module) if not name.startswith("_")}


def test_all_is_exactly_what_the_package_holds() -> None:
    # the lazily imported names (RDF, SHACL, servers) are resolved first
    for name in lorekit.__all__:
        assert hasattr(lorekit, name), name
    held = _public_names(lorekit) | {"__version__"}
    assert sorted(lorekit.__all__) == sorted(held)


def test_every_type_a_public_method_returns_is_exported() -> None:
    import importlib
    import inspect
    import pkgutil
    import re

    exported = {id(getattr(lorekit, n)) for n in lorekit.__all__}
    # annotations are strings naming types that may be imported only for type
    # checking: look each name up among everything lorekit's modules define
    defined: dict[str, object] = {}
    for info in pkgutil.walk_packages(lorekit.__path__, "lorekit."):
        if "._cli" not in info.name and not info.name.endswith("__main__"):
            for key, value in vars(importlib.import_module(info.name)).items():
                if inspect.isclass(value) and value.__module__.startswith("lorekit."):
                    defined.setdefault(key, value)
    missing: set[str] = set()
    checked = 0
    for name in lorekit.__all__:
        obj = getattr(lorekit, name)
        members = inspect.getmembers(obj) if inspect.isclass(obj) else [(name, obj)]
        for member_name, member in members:
            func = member.fget if isinstance(member, property) else member
            if member_name.startswith("_") or not inspect.isfunction(func):
                continue
            returned = inspect.get_annotations(func).get("return")
            if not isinstance(returned, str) or not func.__module__.startswith("lorekit."):
                continue
            checked += 1
            for word in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", returned):
                cls = defined.get(word)
                if cls is not None and id(cls) not in exported:
                    missing.add(f"{word} (returned by {name}.{member_name})")
    assert checked > 50  # the walk did find the public methods
    assert not missing, sorted(missing)


def test_public_objects_come_from_private_modules() -> None:
    import inspect

    for name in lorekit.__all__:
        obj = getattr(lorekit, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__.startswith("lorekit._"), (name, obj.__module__)


def test_every_error_is_a_lore_error() -> None:
    errors = [getattr(lorekit, n) for n in lorekit.__all__ if n.endswith("Error")]
    assert errors and all(issubclass(e, lorekit.LoreError) for e in errors)


def test_import_is_light_and_does_no_io() -> None:
    code = (
        "import sys, lorekit\n"
        "heavy = [m for m in ('rdflib', 'pyvis', 'rich', 'click') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_version_matches_metadata() -> None:
    from importlib.metadata import version

    assert lorekit.__version__ == version("lorekit")
