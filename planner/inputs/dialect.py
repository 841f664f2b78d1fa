"""CSV dialects of inventories: encoding, separator and decimal mark, and reading cells in them.

An inventory exported by a French spreadsheet or CMDB is often `;`-separated, with a decimal
comma, in UTF-8 with a byte order mark or in Windows-1252. The separator is sniffed from the
header line (the one of `,`, `;` or a tab that appears most often outside quotes, `,` when
none does) unless declared; the encoding and the decimal mark are declared, never guessed.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from planner.errors import InputError, InputIssue

SEPARATORS = (",", ";", "\t")
# encodings where every line ends in b"\n" and a byte is never part of another character's
# "\n": UTF-8 and the single-byte Western European code pages
ENCODINGS = {
    "utf-8": "utf-8",
    "cp1252": "cp1252",
    "latin-1": "iso8859-1",
    "iso8859-15": "iso8859-15",
}
_SPACES = " \u00a0\u202f"  # grouping of thousands with a decimal comma: space, NBSP, narrow NBSP
_DECIMAL_COMMA = re.compile(r"[-+]?(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


@dataclass(frozen=True)
class CsvDialect:
    """How an inventory file is written: `separator` None means sniffed from the header."""

    encoding: str = "utf-8"
    separator: str | None = None
    decimal: str = "."


def codec_name(encoding: str) -> str | None:
    """The codec of a declared encoding name (`cp1252`, `windows-1252`, `utf8`...), or None
    when it is not one inventories are read in."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return name if name in ENCODINGS.values() else None


def decoded_lines(handle: IO[bytes], file: str, encoding: str = "utf-8") -> Iterator[str]:
    """The file's lines decoded, a UTF-8 byte order mark dropped; a bad byte is an error at its
    line and column."""
    codec = codec_name(encoding) or "utf-8"
    offset = 0
    for line_no, raw in enumerate(handle, start=1):
        start = len(codecs.BOM_UTF8) if line_no == 1 and raw.startswith(codecs.BOM_UTF8) else 0
        if codec != "utf-8":
            start = 0
        try:
            yield raw[start:].decode(codec)
        except UnicodeDecodeError as exc:
            bad = start + exc.start
            column = len(raw[start:bad].decode(codec, errors="replace")) + 1
            raise InputError(
                [_bad_byte(file, line_no, column, raw[bad], offset + bad, codec)]
            ) from None
        offset += len(raw)


def _bad_byte(file: str, line: int, column: int, byte: int, offset: int, codec: str) -> InputIssue:
    if codec == "utf-8":
        return InputIssue(
            f"the file is not UTF-8: byte 0x{byte:02X} at byte offset {offset} is not valid UTF-8",
            file,
            line,
            column,
            code="not-utf8",
            hint="re-save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'), or declare its "
            "encoding in the scenario: {file: ..., format: csv, encoding: cp1252}",
        )
    return InputIssue(
        f"byte 0x{byte:02X} at byte offset {offset} is not a character in {codec}",
        file,
        line,
        column,
        code="bad-encoding",
        hint="check the declared encoding; the file may be UTF-8",
    )


def sniff_separator(header_line: str) -> str:
    """The separator of a header line: the one of `,`, `;`, tab found most outside quotes."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])  # max keeps the first of equal counts
    return best if counts[best] else ","


def parse_number(raw: str, decimal: str) -> float:
    """A number cell: `1500`, `1500.5`, `1.5e3` with a decimal point; `1 500,5` or `1500,5`
    with a declared decimal comma (then `.` is not accepted). Raises ValueError."""
    if decimal == ",":
        if not _DECIMAL_COMMA.fullmatch(raw):
            raise ValueError("not a number with a decimal comma")
        return float(raw.translate({ord(s): None for s in _SPACES}).replace(",", "."))
    return float(raw)


def parse_bool(raw: str) -> bool:
    """`true`/`false`, `yes`/`no`, `1`/`0` (any case). Raises ValueError."""
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


def number_hint(raw: str, decimal: str) -> str | None:
    """What to do about a cell that is not a number in the dialect, when it can be told."""
    if decimal == "." and _DECIMAL_COMMA.fullmatch(raw) and "," in raw:
        return "a decimal comma? declare it in the scenario: {file: ..., format: csv, decimal: ','}"
    if decimal == "," and re.fullmatch(r"[-+]?[0-9]*\.[0-9]+", raw):
        return "the inventory is declared with a decimal comma: write 1,5 rather than 1.5"
    return None
