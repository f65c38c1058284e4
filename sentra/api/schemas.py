"""API schemas whose fields are a selector's dataclass or TypedDict: one definition.

`@fields_from(selectors.Report)` on an empty `Schema` class gives it the selector type's
fields, in their order and with their types (and a dataclass field's default), so the API
cannot drift from what the selector returns. The class keeps its own name: the OpenAPI
component is named after it. No docstring on such a class: pydantic would publish it as
the component's description.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, get_type_hints, is_typeddict

from ninja import Schema
from pydantic import Field, create_model


def _fields(source: Any) -> dict[str, Any]:
    hints = get_type_hints(source)
    if is_typeddict(source):
        return {name: (hint, ...) for name, hint in hints.items()}
    if dataclasses.is_dataclass(source):
        fields: dict[str, Any] = {}
        for f in dataclasses.fields(source):
            if f.default is not dataclasses.MISSING:
                fields[f.name] = (hints[f.name], f.default)
            elif f.default_factory is not dataclasses.MISSING:
                fields[f.name] = (hints[f.name], Field(default_factory=f.default_factory))
            else:
                fields[f.name] = (hints[f.name], ...)
        return fields
    raise TypeError(f"{source!r} is neither a dataclass nor a TypedDict")


def fields_from[S: Schema](source: Any) -> Callable[[type[S]], type[S]]:
    """Class decorator: the schema with the fields of `source` (a dataclass or TypedDict)."""
    fields = _fields(source)

    def decorate(cls: type[S]) -> type[S]:
        model = create_model(cls.__name__, __base__=cls, __module__=cls.__module__, **fields)
        model.__qualname__ = cls.__qualname__
        return model

    return decorate
