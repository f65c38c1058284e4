"""Schemas taken from a selector's type (sentra.api.schemas.fields_from)."""

import dataclasses
from datetime import date
from typing import TypedDict

import pytest
from ninja import Schema

from sentra.api.routes.certification import ProgressGroup
from sentra.api.routes.exhibitions import ReportOut
from sentra.api.schemas import fields_from
from sentra.certification.selectors import GroupProgress
from sentra.exhibitions.selectors import Report


@dataclasses.dataclass
class Row:
    day: date
    n: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


class Shape(TypedDict):
    code: str
    share: float | None


def test_a_dataclass_gives_its_fields_in_order_with_types_and_defaults():
    @fields_from(Row)
    class RowOut(Schema):
        pass

    schema = RowOut.model_json_schema()
    assert RowOut.__name__ == "RowOut" and schema["title"] == "RowOut"
    assert list(schema["properties"]) == ["day", "n", "tags"]
    assert schema["required"] == ["day"] and schema["properties"]["day"]["format"] == "date"
    row = RowOut(day=date(2026, 1, 2))
    assert (row.n, row.tags) == (0, []) and row.tags is not RowOut(day=row.day).tags


def test_a_typeddict_gives_required_fields():
    @fields_from(Shape)
    class ShapeOut(Schema):
        pass

    assert list(ShapeOut.model_fields) == ["code", "share"]
    assert ShapeOut.model_json_schema()["required"] == ["code", "share"]
    with pytest.raises(ValueError):
        ShapeOut(code="x")  # share is required (None is a value, not a default)


def test_anything_else_is_refused():
    with pytest.raises(TypeError):
        fields_from(int)


def test_the_api_schemas_follow_the_selectors_types():
    assert list(ReportOut.model_fields) == [f.name for f in dataclasses.fields(Report)]
    assert list(ProgressGroup.model_fields) == list(GroupProgress.__annotations__)
