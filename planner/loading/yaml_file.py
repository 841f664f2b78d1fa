"""Safe YAML loading that remembers the line of every value."""

from __future__ import annotations

from typing import Any

import yaml

from planner.errors import InputError, InputIssue
from planner.source import Path, Pos, SourceMap

try:  # the C parser is several times faster on large inventories
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _convert(loader: Any, node: yaml.Node, path: Path, smap: SourceMap, file: str) -> Any:
    smap.positions.setdefault(path, Pos(file, node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise InputError([_issue(file, key_node, "a mapping key must be a plain value")])
            if key in result:
                raise InputError(
                    [_issue(file, key_node, f"duplicate key '{key}'", "keep only one of them")]
                )
            if not isinstance(key, str):
                key = str(key)
            key_pos = Pos(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            smap.positions[(*path, key)] = key_pos
            result[key] = _convert(loader, value_node, (*path, key), smap, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*path, i), smap, file) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _issue(file: str, node: yaml.Node, message: str, hint: str | None = None) -> InputIssue:
    return InputIssue(
        message, file, node.start_mark.line + 1, node.start_mark.column + 1, hint=hint
    )


def load_yaml(file: str, text: str | None = None) -> tuple[Any, SourceMap]:
    """Load one YAML document with the position of every value."""
    smap = SourceMap(file)
    if text is None:
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise InputError(
                [InputIssue("file not found", file, hint="check the path (relative paths in a "
                            "scenario are relative to the scenario file)")]
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([InputIssue(f"cannot read file: {exc}", file)]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([InputIssue("the file is empty", file, 1)])
        return _convert(loader, node, (), smap, file), smap
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(
            [InputIssue(f"YAML syntax error: {problem}", file, line, column,
                        hint="check indentation, colons and quotes around this line")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([InputIssue(f"YAML error: {exc}", file)]) from None
    finally:
        loader.dispose()
