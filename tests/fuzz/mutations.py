"""Hypothesis strategies that mutate the demo's YAML and CSV files structurally.

A mutation is drawn against one file's current text and returns the new bytes and one line
saying what was done (shown by hypothesis with each failing example). The kinds:

- tree: load the YAML, delete / duplicate / rename / replace / retype one value, dump it back;
- token: splice a raw YAML token (`.inf`, `1e309`, `2027-02-30`, `NO`, an escape...) in place of
  one scalar, the rest of the file untouched (comments and lines stay);
- line: delete, duplicate, swap, re-indent or truncate lines, insert a control character;
- csv: drop / duplicate / rename columns, cut or lengthen rows, odd cells, other separators;
- encoding: a UTF-8 BOM, cp1252, UTF-16, a stray invalid byte, CRLF line ends;
- rename: an id renamed everywhere it occurs (or only at its definition: dangling references).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.fuzz.seed import Seed

Draw = Callable[[st.SearchStrategy[Any]], Any]
Mutated = tuple[bytes, str]

EXTREME_NUMBERS: tuple[int | float, ...] = (
    0,
    -1,
    1,
    -0.0,
    0.1,
    1e-320,
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    10**400,
    1e308,
    -1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
)
HOSTILE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "\x1b[2J",
    "\x1b]0;x\x07",
    "\x00",
    "\r\n",
    "\x7f",
    "\x9b31m",
    "é",
    "日本語",
    "\u202e",
    "\ufeff",
    "\u200b",
    "NO",
    "off",
    "yes",
    "~",
    "null",
    "1e3",
    "1e309",
    ".inf",
    "2027-02-30",
    "2027-31-12",
    "../../../etc/passwd",
    "%s%n",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    "|a|b|",
    "**x**",
    "=1+1",
    "a,b",
    '"',
    "'",
    "\\",
)
RAW_TOKENS: tuple[str, ...] = (
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "1e309",
    "1.0e+309",
    "-1.0e+309",
    "1e3",
    "1.5e3",
    "1e-400",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "0",
    "-1",
    "-0",
    "0x10",
    "0o17",
    "017",
    "1_000",
    "3.",
    ".5",
    "NO",
    "no",
    "off",
    "On",
    "yes",
    "y",
    "~",
    "null",
    "true",
    "2027-02-30",
    "2027-31-12",
    "2026-11-29",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "2026-11-29T25:00:00",
    "2026-11-29 10:00:00",
    "[]",
    "{}",
    "[[]]",
    '""',
    "''",
    '"\\x1b[2J"',
    '"\\x1b]0;x\\x07"',
    '"\\0"',
    '"\\u202e"',
    '"\\x85"',
    "!!binary aGVsbG8=",
    "!!str 5",
    "!!float x",
    "!!int 1.5",
    "!!python/name:os.system",
    "!!set {a, b}",
    "!!timestamp 2027-02-30",
    "*undefined",
    "&anchor 5",
    "? complex",
    "- item",
    "|",
    ">",
)
CSV_TOKENS: tuple[str, ...] = (
    "",
    " ",
    "1e309",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "-0",
    "1e3",
    "9223372036854775808",
    "1,5",
    "1 000",
    "0x10",
    "4.0",
    "  4  ",
    "true",
    "TRUE",
    "yes",
    "no",
    "maybe",
    "2027-02-30",
    "\x1b[2J",
    "\x1b]0;x\x07",
    "é",
    "a;b",
    ";",
    '"',
    "\n",
    "\x00",
)


# ------------------------------------------------------------------------------------- values


def texts() -> st.SearchStrategy[str]:
    """Strings a person, a spreadsheet or an attacker might put in a field."""
    printable = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
    long = st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n)
    return st.one_of(st.sampled_from(HOSTILE_STRINGS), printable, long)


def date_texts() -> st.SearchStrategy[str]:
    """YYYY-MM-DD strings, many of them impossible (month 13, February 30th...)."""
    return st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    )


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(EXTREME_NUMBERS),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        texts(),
        date_texts(),
        st.dates(),
        st.datetimes(timezones=st.just(UTC)),
    )


def values() -> st.SearchStrategy[Any]:
    """Any YAML value: scalars, and small lists and maps of them."""
    return st.recursive(
        scalars(),
        lambda kids: st.one_of(
            st.lists(kids, max_size=3), st.dictionaries(texts(), kids, max_size=3)
        ),
        max_leaves=6,
    )


def retyped(value: Any) -> st.SearchStrategy[Any]:
    """The same value in another type: number <-> string, scalar <-> list <-> map, null, bool."""
    return st.sampled_from(
        [
            str(value),
            [value],
            {"value": value},
            None,
            True,
            False,
            len(str(value)),
            float(len(str(value))) / 3,
        ]
    )


def key_variants(key: str) -> st.SearchStrategy[str]:
    """A key as a typo, in another case, with padding, or something else entirely."""
    near = [
        key[:-1],
        key + "s",
        key.upper(),
        key.title(),
        f" {key}",
        f"{key} ",
        key.replace("_", "-"),
        key.replace("_", ""),
    ]
    return st.one_of(st.sampled_from([k for k in near if k]), texts())


# --------------------------------------------------------------------------------- YAML tree

Location = tuple[Any, Any]  # (container, key or index) of one value


def _locations(node: Any) -> Iterator[Location]:
    if isinstance(node, dict):
        for key in list(node):
            yield node, key
            yield from _locations(node[key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield node, index
            yield from _locations(item)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)


def _path_of(root: Any, container: Any, key: Any) -> str:
    """A dotted path such as `sites[0].capacity.vcpu`, for the mutation's description."""

    def walk(node: Any, prefix: str) -> str | None:
        if node is container:
            return f"{prefix}[{key}]" if isinstance(node, list) else f"{prefix}.{key}"
        children = (
            node.items()
            if isinstance(node, dict)
            else (enumerate(node) if isinstance(node, list) else ())
        )
        for k, child in children:
            found = walk(child, f"{prefix}[{k}]" if isinstance(node, list) else f"{prefix}.{k}")
            if found:
                return found
        return None

    return (walk(root, "") or f".{key}").lstrip(".")


def tree_mutation(draw: Draw, text: str) -> Mutated:
    """Delete, duplicate, rename, replace or retype one value of the loaded document."""
    try:
        root = yaml.safe_load(text)
    except Exception:  # broken by an earlier mutation (syntax, 2027-02-30, depth...)
        return line_mutation(draw, text)
    spots = list(_locations(root))
    if not spots:
        new = draw(values())
        return _dump(new).encode(), f"document replaced by {new!r}"
    container, key = draw(st.sampled_from(spots))
    where = _path_of(root, container, key)
    op = draw(
        st.sampled_from(
            ["delete", "duplicate", "rename_key", "replace", "retype", "extreme", "wrap"]
        )
    )
    old = container[key]
    if op == "delete":
        del container[key]
        note = f"deleted {where}"
    elif op == "duplicate" and isinstance(container, list):
        container.insert(key, copy.deepcopy(old))
        note = f"duplicated list item {where}"
    elif op == "rename_key" and isinstance(container, dict):
        new_key = draw(key_variants(str(key)))
        items = [(new_key if k == key else k, v) for k, v in container.items()]
        container.clear()
        container.update(items)
        note = f"renamed key {where} to {new_key!r}"
    elif op == "retype":
        container[key] = draw(retyped(old))
        note = f"{where} retyped to {container[key]!r}"
    elif op == "extreme":
        container[key] = draw(st.sampled_from(EXTREME_NUMBERS))
        note = f"{where} = {container[key]!r}"
    elif op == "wrap":
        container[key] = draw(st.sampled_from([[old], {"x": old}, [[[old]]]]))
        note = f"{where} wrapped into {container[key]!r}"
    else:
        container[key] = draw(values())
        note = f"{where} = {container[key]!r}"
    return _dump(root).encode(), note[:300]


# -------------------------------------------------------------------------------- YAML token

NUMBER = re.compile(r"-?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _scalar_spans(text: str, only: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Character spans of every scalar (keys and values) in the document; only of the plain
    scalars that match `only` when it is given."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # broken by an earlier mutation
        return []
    spans: list[tuple[int, int]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            if only is None or (
                current.style is None and current.value and only.fullmatch(current.value)
            ):
                spans.append((current.start_mark.index, current.end_mark.index))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return sorted(spans)


def raw_tokens() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(RAW_TOKENS),
        date_texts(),
        texts().map(json.dumps),
        st.integers().map(str),
        st.floats().map(repr),
    )


def token_mutation(draw: Draw, text: str) -> Mutated:
    """Replace one scalar, as written, by a raw YAML token; the rest of the text stays."""
    spans = _scalar_spans(text)
    if not spans:
        return line_mutation(draw, text)
    start, end = draw(st.sampled_from(spans))
    token = draw(raw_tokens())
    line = text.count("\n", 0, start) + 1
    new = text[:start] + token + text[end:]
    return new.encode(), f"line {line}: {text[start:end][:60]!r} -> {token[:80]!r}"


NUMBER_TOKENS: tuple[str, ...] = (
    ".inf",
    "-.inf",
    ".nan",
    "1e309",
    "1.0e+309",
    "-1.0e+309",
    "1e300",
    "1.0e-320",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "0",
    "-1",
    "-0.0",
    "0.0001",
    "1e3",
    "1000000000000000",
    "99999999999999999999",
)


def _scaled(text: str) -> st.SearchStrategy[str]:
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return st.just(text)
    if not math.isfinite(value):
        return st.just(text)
    return st.sampled_from(
        [
            repr(value * 1000),
            repr(value / 1000),
            repr(-value),
            str(int(value) + 1),
            repr(value + 0.5),
        ]
    )


def number_mutation(draw: Draw, text: str) -> Mutated:
    """Replace one number by an extreme one (or the same scaled), as a raw token."""
    spans = _scalar_spans(text, NUMBER)
    if not spans:
        return token_mutation(draw, text)
    start, end = draw(st.sampled_from(spans))
    old = text[start:end]
    token = draw(
        st.one_of(
            st.sampled_from(NUMBER_TOKENS),
            _scaled(old),
            st.integers(-(10**20), 10**20).map(str),
            st.floats().map(repr),
        )
    )
    line = text.count("\n", 0, start) + 1
    return (text[:start] + token + text[end:]).encode(), f"line {line}: {old!r} -> {token!r}"


def date_mutation(draw: Draw, text: str) -> Mutated:
    """Replace one date by another, often an impossible one (2027-02-30, 2027-31-12)."""
    spans = _scalar_spans(text, DATE)
    if not spans:
        return number_mutation(draw, text)
    start, end = draw(st.sampled_from(spans))
    token = draw(
        st.one_of(
            date_texts(),
            st.sampled_from(["2027-02-30", "2027-31-12", "2026-02-29", "2028-02-29"]),
            st.dates().map(date.isoformat),
        )
    )
    line = text.count("\n", 0, start) + 1
    return (
        text[:start] + token + text[end:]
    ).encode(), f"line {line}: {text[start:end]!r} -> {token!r}"


# ------------------------------------------------------------------------------------- lines

CONTROL_CHARS = (
    "\x00",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\t",
    "\r",
    "\ufeff",
    "\u2028",
    "\x85",
)


def line_mutation(draw: Draw, text: str) -> Mutated:
    """Delete, duplicate, swap, re-indent or cut lines, or insert a control character."""
    lines = text.splitlines(keepends=True) or [""]
    i = draw(st.integers(0, len(lines) - 1))
    op = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap",
                "indent",
                "dedent",
                "truncate",
                "control",
                "empty",
                "garbage",
            ]
        )
    )
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif op == "indent":
        lines[i] = " " + lines[i]
    elif op == "dedent":
        lines[i] = lines[i][1:] if lines[i].startswith(" ") else lines[i]
    elif op == "truncate":
        cut = draw(st.integers(0, len(text)))
        return text[:cut].encode(), f"truncated after character {cut}"
    elif op == "control":
        char = draw(st.sampled_from(CONTROL_CHARS))
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + char + lines[i][at:]
    elif op == "empty":
        return b"", "emptied"
    else:
        lines.insert(i, draw(texts()) + "\n")
    return "".join(lines).encode(), f"line {i + 1}: {op}"


# --------------------------------------------------------------------------------------- CSV


def _csv_rows(text: str) -> list[list[str]]:
    """The rows, or none when an earlier mutation left something the csv module refuses (a
    cell beyond its size limit, a NUL)."""
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return []


def csv_mutation(draw: Draw, text: str) -> Mutated:
    """Change the inventory's columns, rows or cells, then write it back (maybe `;`-separated)."""
    rows = _csv_rows(text)
    if not rows:
        return line_mutation(draw, text)
    width = len(rows[0])
    j = draw(st.integers(0, max(width - 1, 0)))
    i = draw(st.integers(0, len(rows) - 1))
    column = rows[0][j] if j < len(rows[0]) else "?"
    op = draw(
        st.sampled_from(
            [
                "drop_column",
                "duplicate_column",
                "rename_column",
                "cell",
                "cell",
                "cell",
                "short_row",
                "long_row",
                "duplicate_row",
                "delete_row",
                "no_data",
                "swap_columns",
            ]
        )
    )
    if op == "drop_column":
        rows = [r[:j] + r[j + 1 :] for r in rows]
        note = f"dropped column {column!r}"
    elif op == "duplicate_column":
        rows = [r[: j + 1] + r[j : j + 1] + r[j + 1 :] for r in rows]
        note = f"duplicated column {column!r}"
    elif op == "rename_column":
        rows[0][j] = draw(key_variants(column))
        note = f"column {column!r} renamed {rows[0][j]!r}"
    elif op == "cell" and j < len(rows[i]):
        rows[i][j] = draw(st.one_of(st.sampled_from(CSV_TOKENS), texts(), date_texts()))
        note = f"row {i + 1} column {column!r} = {rows[i][j][:80]!r}"
    elif op == "short_row" and rows[i]:
        rows[i] = rows[i][:-1]
        note = f"row {i + 1} lost its last cell"
    elif op == "long_row":
        rows[i] = [*rows[i], draw(st.sampled_from(CSV_TOKENS))]
        note = f"row {i + 1} got an extra cell"
    elif op == "duplicate_row":
        rows.insert(i, list(rows[i]))
        note = f"row {i + 1} duplicated"
    elif op == "delete_row":
        del rows[i]
        note = f"row {i + 1} deleted"
    elif op == "no_data":
        rows = rows[:1]
        note = "only the header left"
    else:
        k = draw(st.integers(0, max(width - 1, 0)))
        rows[0][j], rows[0][k] = rows[0][k], rows[0][j]
        note = f"header cells {j + 1} and {k + 1} swapped"
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|"]))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    if delimiter != ",":
        note += f", written with {delimiter!r} separators"
    return out.getvalue().encode(), note


# ---------------------------------------------------------------------------------- encoding


def encoding_mutation(draw: Draw, text: str) -> Mutated:
    op = draw(st.sampled_from(["bom", "cp1252", "utf16", "bad_byte", "crlf", "latin1_bom"]))
    if op == "bom":
        return b"\xef\xbb\xbf" + text.encode(), "UTF-8 BOM added"
    if op == "cp1252":
        return text.encode("cp1252", errors="replace"), "encoded as cp1252"
    if op == "utf16":
        return text.encode("utf-16"), "encoded as UTF-16"
    if op == "crlf":
        return text.replace("\n", "\r\n").encode(), "CRLF line ends"
    if op == "latin1_bom":
        return b"\xef\xbb\xbf" + text.encode("latin-1", errors="replace"), "BOM then latin-1"
    data = text.encode()
    at = draw(st.integers(0, len(data)))
    return data[:at] + b"\xff" + data[at:], f"invalid UTF-8 byte at offset {at}"


# ------------------------------------------------------------------------------------ rename

_ID = re.compile(r"^\s*-?\s*id:\s*([A-Za-z0-9_.-]+)\s*$", re.MULTILINE)
_CLASS = re.compile(r"^    ([a-z_]+):\s*$", re.MULTILINE)  # data classes in policy.yaml


def known_ids(files: Seed) -> list[str]:
    """Ids of sites, offers, providers, workloads, blocks and data classes in the files."""
    found: set[str] = set()
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".yaml"):
            found.update(_ID.findall(text))
        if name.endswith("policy.yaml"):
            found.update(c for c in _CLASS.findall(text) if c != "data_classes")
        if name.endswith(".csv"):
            found.update(row[0] for row in _csv_rows(text)[1:] if row)
    return sorted(found)


def _word(ident: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(ident)}(?![\w-])")


def rename_mutation(draw: Draw, files: Seed) -> tuple[Seed, str]:
    """Rename one id everywhere, or only where it is defined (the references then dangle), or
    make it another id's duplicate."""
    ids = known_ids(files)
    if not ids:
        return files, "no id left to rename"
    old = draw(st.sampled_from(ids))
    everywhere = draw(st.booleans())
    plain = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,20}", fullmatch=True)
    new = draw(
        st.one_of(plain, st.sampled_from(ids), st.just(old.upper()), st.just(old + "-é"), texts())
    )
    pattern = _word(old)
    result = Seed(files)
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        if not pattern.search(text):
            continue
        plain_id = name.endswith(".csv") or re.fullmatch(r"[\w.-]+", new)
        text = pattern.sub(
            (new if plain_id else json.dumps(new)).replace("\\", "\\\\"),
            text,
            count=0 if everywhere else 1,
        )
        result[name] = text.encode()
        if not everywhere:
            return result, f"{name}: first {old!r} renamed {new[:60]!r} (others dangle)"
    return result, f"{old!r} renamed {new[:60]!r} everywhere"


# -------------------------------------------------------------------------------- combination

Kind = Callable[[Draw, str], Mutated]
# YAML: mostly mutations that may still load (values), the rest break the structure or syntax
YAML_KINDS: tuple[Kind, ...] = (
    number_mutation,
    number_mutation,
    date_mutation,
    tree_mutation,
    tree_mutation,
    token_mutation,
    token_mutation,
    line_mutation,
    encoding_mutation,
)
CSV_KINDS: tuple[Kind, ...] = (
    csv_mutation,
    csv_mutation,
    csv_mutation,
    line_mutation,
    encoding_mutation,
)


def mutate_file(draw: Draw, name: str, data: bytes) -> Mutated:
    """One mutation of the file's kind (YAML or CSV), or of its encoding."""
    text = data.decode("utf-8", errors="replace")
    kinds = CSV_KINDS if name.endswith(".csv") else YAML_KINDS
    kind: Kind = draw(st.sampled_from(kinds))
    return kind(draw, text)


@st.composite
def mutated_files(
    draw: Draw, seed: Seed, targets: tuple[str, ...], max_mutations: int = 3
) -> tuple[Seed, list[str]]:
    """The seed with one to `max_mutations` mutations among `targets` (and id renames)."""
    files = Seed(seed)
    notes: list[str] = []
    for _ in range(draw(st.integers(1, max_mutations))):
        if draw(st.integers(0, 7)) == 0:
            files, note = rename_mutation(draw, files)
            notes.append(note)
            continue
        name = draw(st.sampled_from(targets))
        files[name], note = mutate_file(draw, name, files[name])
        notes.append(f"{name}: {note}")
    return files, notes
