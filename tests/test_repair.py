"""Checking a submission before grading (``course.repair``): what the coordinator reads of a
student's folder, as root, before any sandbox exists."""
from __future__ import annotations

import os

from course.grader import repair
from course.tools import paths

RELEASE = paths.RELEASE / "12-classification-metrics"


def test_links_and_huge_files_in_a_submission_are_not_read(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    os.symlink("/etc/passwd", tmp_path / "passwd")
    os.symlink("/etc", tmp_path / "etc")
    with open(tmp_path / "huge.bin", "wb") as handle:
        handle.truncate(repair.MAX_FILE_BYTES + 1)      # sparse: no real disk used
    fixed = repair.repair_submission(tmp_path, RELEASE)
    assert fixed.files == {"notes.txt": b"mine"}
    assert any(note.startswith("huge.bin: larger than") for note in fixed.notes), fixed.notes
