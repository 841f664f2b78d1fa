"""Safe YAML loading that remembers the line of every value.

Plain scalars are read with the YAML 1.2 core schema, not YAML 1.1: only `true`/`false` are
booleans (`yes`, `no`, `on`, `off`, `y`, `n`, `NO` stay text), numbers are decimal (`012` is
12, `1e3` and `+1E3` are 1000.0, `0x1F` and `0o17` keep their base; `1_000` and `1:30` are
text), and `YYYY-MM-DD` is a date. Nesting is limited to `MAX_NESTING` levels and aliases may
repeat at most `MAX_ALIAS_VALUES` values in all (an "alias bomb" is refused, not expanded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from planner.errors import InputError, InputIssue
from planner.inputs.files import MAX_NESTING, read_input_text
from planner.inputs.source import Path, Pos, SourceMap, dotted, excerpt

try:  # the C parser is several times faster on large inventories
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_ALIAS_VALUES = 100_000

_TAG = "tag:yaml.org,2002:"
_YAML_11_TAGS = {_TAG + "bool", _TAG + "int", _TAG + "float"}
_CORE_RESOLVERS = (
    (_TAG + "bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_TAG + "int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _TAG + "float",
        r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)
                         |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""",
        "-+.0123456789",
    ),
)


class CoreLoader(_SafeLoader):
    """The safe loader (C parser when available) with YAML 1.2 core-schema scalars."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML_11_TAGS]
        for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
    }


for _tag, _pattern, _firsts in _CORE_RESOLVERS:
    CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_firsts))


def _core_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).strip()
    base = {"0x": 16, "0o": 8}.get(text[:2].lower(), 10)
    return int(text[2:] if base != 10 else text, base)


def _core_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).strip().lower()
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    return float(special.get(text, text))


CoreLoader.add_constructor(_TAG + "int", _core_int)
CoreLoader.add_constructor(_TAG + "float", _core_float)

_KIND = {_TAG + "timestamp": "a date", _TAG + "int": "an integer", _TAG + "float": "a number"}


@dataclass
class _Walk:
    """Converts a composed node graph to plain values, recording where each value came from."""

    loader: Any
    smap: SourceMap
    file: str
    issues: list[InputIssue] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)  # collection nodes converted at least once
    open: set[int] = field(default_factory=set)  # collection nodes being converted now
    in_alias: int = 0  # > 0 while converting a node reached again through an alias
    alias_values: int = 0
    alias_use: Path = ()  # where the outermost alias being expanded is used

    def convert(self, node: yaml.Node, path: Path, depth: int = 0) -> Any:
        self.smap.positions.setdefault(path, self._pos(node))
        if isinstance(node, yaml.ScalarNode):
            self._count_alias(node, path)
            return self._scalar(node, path)
        key = id(node)
        if key in self.open:
            raise InputError(
                [
                    self._issue(
                        node,
                        path,
                        "an alias refers to a value that contains it",
                        "aliases may only repeat a value",
                    )
                ]
            )
        if depth >= MAX_NESTING:
            raise InputError(
                [
                    self._issue(
                        node, (), f"lists and mappings nested more than {MAX_NESTING} levels deep"
                    )
                ]
            )
        again = key in self.seen
        self.seen.add(key)
        if again and not self.in_alias:
            self.alias_use = path
        self.in_alias += again
        self.open.add(key)
        try:
            self._count_alias(node, path)
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(key)
            self.in_alias -= again

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    [self._issue(key_node, path, "a mapping key must be a plain value")]
                )
            key = str(key_node.value)  # as written: `NO`, `1e3` and `true` keys stay text
            if key in result:
                raise InputError(
                    [
                        self._issue(
                            key_node,
                            path,
                            f"duplicate key '{excerpt(key)}'",
                            "keep only one of them",
                        )
                    ]
                )
            self.smap.positions[(*path, key)] = self._pos(key_node)
            result[key] = self.convert(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            kind = _KIND.get(node.tag, f"'{excerpt(node.tag)}'")
            hint = (
                "write a date as YYYY-MM-DD, a day that exists"
                if kind == "a date"
                else "put the value in quotes to keep it as text"
            )
            self.issues.append(
                self._issue(
                    node,
                    path,
                    f"'{excerpt(str(node.value))}' is not {kind}: {excerpt(str(exc))}",
                    hint,
                )
            )
            return None

    def _count_alias(self, node: yaml.Node, path: Path) -> None:
        """Every value converted again through an alias counts against the budget."""
        if not self.in_alias:
            return
        self.alias_values += 1
        if self.alias_values > MAX_ALIAS_VALUES:
            use = self.alias_use
            raise InputError(
                [
                    self._issue(
                        node,
                        use[:-1] or use,
                        f"aliases repeat more than {MAX_ALIAS_VALUES:,} values",
                        "write the values out, or use fewer nested aliases",
                    )
                ]
            )

    def _pos(self, node: yaml.Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def _issue(
        self, node: yaml.Node, path: Path, message: str, hint: str | None = None
    ) -> InputIssue:
        where = self.smap.positions.get(path) if path else None
        line, column = (
            (where.line, where.column)
            if where
            else (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        return InputIssue(message, self.file, line, column, field=dotted(path) or None, hint=hint)


def _reader_issue(file: str, text: str, exc: yaml.reader.ReaderError) -> InputIssue:
    """A character YAML does not allow, at its line and column (the C reader counts its
    position in UTF-8 bytes and gives the character as a number, the Python one in characters)."""
    if isinstance(exc.character, int):
        code = exc.character
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
    else:
        code = ord(exc.character[:1] or "\0")
        before = text[: exc.position]
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    hint = (
        "a NUL character: the file may be UTF-16; save it as UTF-8"
        if code == 0
        else "remove it, or write it as an escape in a double-quoted string"
    )
    return InputIssue(
        f"character U+{code:04X} is not allowed in YAML", file, line, column, hint=hint
    )


def load_yaml(file: str, text: str | None = None) -> tuple[Any, SourceMap]:
    """Load one YAML document with the position of every value."""
    smap = SourceMap(file)
    if text is None:
        text = read_input_text(file)
    loader = CoreLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([InputIssue("the file is empty", file, 1)])
        walk = _Walk(loader, smap, file)
        data = walk.convert(node, ())
        if walk.issues:
            raise InputError(walk.issues)
        return data, smap
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = excerpt(exc.problem or exc.context or "invalid YAML", 120)
        raise InputError(
            [
                InputIssue(
                    f"YAML syntax error: {problem}",
                    file,
                    line,
                    column,
                    hint="check indentation, colons and quotes around this line",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_reader_issue(file, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([InputIssue(f"YAML error: {excerpt(str(exc), 120)}", file)]) from None
    finally:
        loader.dispose()
