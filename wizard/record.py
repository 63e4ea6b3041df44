"""`@record`: a frozen value class from its annotations, what `@dataclass(frozen=True)` gives
(positional and keyword __init__ with class-level defaults, __eq__, __hash__, __repr__,
__match_args__, no attribute setting) without importing `dataclasses`, which imports
`inspect` and with it `ast`, `dis` and `tokenize`: ~8 ms of every `alegra-wizard check`
start-up (issue 14). Used by the modules on the check path; the others keep dataclasses
(they need `replace`, `asdict`, `field`...). Qt-free.

Only what those classes use: no inheritance between records, no `field(...)`, no mutable
defaults. Type checkers read it as a frozen dataclass (`dataclass_transform`).
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a record (as dataclasses.FrozenInstanceError)."""


@dataclass_transform(frozen_default=True)
def record(cls: T) -> T:
    # The class's own annotations (strings: `from __future__ import annotations`), not
    # inspect.get_annotations: importing inspect is the cost this module exists to avoid.
    names = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    seen_default = False
    for name in names:  # as dataclasses: no field without a default after one with
        if name in defaults:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default after one with")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in defaults and key not in names:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                value = values[name]
            elif name in defaults:
                value = defaults[name]
            else:
                raise TypeError(f"{cls.__name__}() missing argument {name!r}")
            object.__setattr__(self, name, value)

    def _values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def __hash__(self: Any) -> int:
        return hash(_values(self))

    def __repr__(self: Any) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__qualname__}({fields})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    for function in (__init__, __eq__, __hash__, __repr__, __setattr__, __delattr__):
        if function.__name__ in cls.__dict__:
            # As dataclasses: the class's own method wins (Cleaned's __repr__ masks the
            # token); a frozen class can't bring its own __setattr__ / __delattr__.
            if function.__name__ in ("__setattr__", "__delattr__"):
                raise TypeError(f"{cls.__name__}: a record defines no {function.__name__}")
            continue
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        setattr(cls, function.__name__, function)
    setattr(cls, "__match_args__", names)  # noqa: B010 (mypy refuses the plain assignment)
    return cls
