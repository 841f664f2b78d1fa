"""`--out` through a link of /proc/self/fd (what /dev/stdout is) writes to that descriptor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.cli.output import check_target, write


def test_a_link_to_a_pipe_descriptor_is_written_in_place(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    try:
        if not Path(f"/proc/self/fd/{write_end}").exists():
            pytest.skip("no /proc/self/fd")
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        target = check_target(str(link))
        assert (target.mode, target.path) == ("in_place", str(link))
        write(target, "plan\n")
        assert os.read(read_end, 100) == b"plan\n"
        assert link.is_symlink()
    finally:
        os.close(read_end)
        os.close(write_end)
