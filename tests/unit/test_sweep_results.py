"""The results file: complete records only, a torn last line ignored and cut off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.sweep.results import ResultsFile, check_results_path, read_results


def test_records_append_as_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    with ResultsFile(str(path)) as out:
        out.append({"key": "a", "status": "optimal", "monthly_cost_eur": 1.5})
        out.append({"key": "b", "status": "infeasible", "message": "no room\nat all"})
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    assert [json.loads(line)["key"] for line in lines[:-1]] == ["a", "b"]
    back = read_results(str(path))
    assert sorted(back.records) == ["a", "b"]
    assert back.records["b"]["message"] == "no room\nat all"
    assert (back.torn_bytes, back.bad_lines) == (0, [])


def test_a_torn_last_line_is_ignored_then_cut(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    with ResultsFile(str(path)) as out:
        out.append({"key": "a", "status": "optimal"})
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"key":"b","stat')  # a crash in the middle of a write
    back = read_results(str(path))
    assert sorted(back.records) == ["a"] and back.torn_bytes == 16
    with ResultsFile(str(path)) as out:
        out.cut_torn_tail(back.torn_bytes)
        out.append({"key": "b", "status": "optimal"})
    assert path.read_bytes() == whole + b'{"key":"b","status":"optimal"}\n'
    assert sorted(read_results(str(path)).records) == ["a", "b"]


def test_lines_that_are_not_records_are_counted_not_read(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"key":"a"}\nnot json\n[1]\n{"key":"c","x":NaN}\n{"key":"d"}\n')
    back = read_results(str(path))
    assert sorted(back.records) == ["a", "d"] and back.bad_lines == [2, 3, 4]


def test_an_existing_results_file_needs_resume(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    check_results_path(str(path), resume=False)  # a new file is fine
    path.write_text("")
    with pytest.raises(InputError) as exc:
        check_results_path(str(path), resume=False)
    assert exc.value.issues[0].message == "the results file exists"
    check_results_path(str(path), resume=True)
    with pytest.raises(InputError) as exc:
        check_results_path(str(tmp_path), resume=True)
    assert exc.value.issues[0].message == "the results file is not a regular file"
    with pytest.raises(InputError) as exc:
        check_results_path(str(tmp_path / "no" / "r.jsonl"), resume=False)
    assert "does not exist" in exc.value.issues[0].message
