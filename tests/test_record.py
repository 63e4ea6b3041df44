"""wizard.record: the frozen value classes of the check path behave as
@dataclass(frozen=True) would (the same class declared both ways, side by side)."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from wizard.record import FrozenInstanceError, record


@record
class Point:
    """A record."""

    x: int
    y: int | None = None
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class DataPoint:
    x: int
    y: int | None = None
    tags: tuple[str, ...] = ()


def test_construction_defaults_and_repr_match_a_frozen_dataclass() -> None:
    for args, kwargs in (
        ((1,), {}),
        ((1, 2), {}),
        ((), {"x": 1, "tags": ("a",)}),
        ((1,), {"y": 3}),
    ):
        ours, theirs = Point(*args, **kwargs), DataPoint(*args, **kwargs)
        assert (ours.x, ours.y, ours.tags) == (theirs.x, theirs.y, theirs.tags)
        assert repr(ours) == repr(theirs).replace("DataPoint", "Point")
    assert Point.__match_args__ == DataPoint.__match_args__ == ("x", "y", "tags")  # type: ignore[attr-defined]


def test_equality_and_hash_by_value_and_class() -> None:
    assert Point(1, 2) == Point(x=1, y=2)
    assert Point(1, 2) != Point(1, 3)
    assert hash(Point(1, 2, ("a",))) == hash(Point(1, 2, ("a",)))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert Point(1, None, ()) != (1, None, ())  # not a tuple
    assert Point(1) != DataPoint(1)


def test_frozen() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.x  # type: ignore[misc]
    assert copy.copy(point) == point and copy.deepcopy(point) == point


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), ((1, 2, (), 4), {}), ((1,), {"x": 2}), ((1,), {"z": 2})],
    ids=["missing", "too_many", "twice", "unknown"],
)
def test_wrong_arguments_are_type_errors(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    with pytest.raises(TypeError):
        Point(*args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DataPoint(*args, **kwargs)  # type: ignore[arg-type]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError):

        @record
        class Bad:
            a: int = 1
            b: int


def test_the_class_own_methods_win_as_with_dataclasses() -> None:
    """Cleaned's own __repr__ masks the token: the decorator must not replace it."""

    @record
    class Secret:
        token: str

        def __repr__(self) -> str:
            return "Secret(…)"

    assert repr(Secret("abc")) == "Secret(…)"
    assert Secret("abc") == Secret("abc")
    with pytest.raises(TypeError):

        @record
        class Settable:
            a: int

            def __setattr__(self, name: str, value: object) -> None: ...
