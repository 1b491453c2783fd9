"""Runs after every other integration test (CTest DEPENDS): nothing the suite's runs wrote holds
one of the tests' credentials. Every file the runs left under the integration tests' work folders
(pipeline files, CMake caches, records, journals, release records, dists, artifacts, logs) and the
helper's build's CMake cache are read whole; in CTest's log of the tests' output, a credential may
stand only in an ::add-mask:: line (which GitHub Actions prints as nothing) or in a test's echo of
the argv it ran itself ("$ ..."). The argv of every child while a release runs is watched by
ci_output and push.

The credentials are found by their pattern: every test credential is named so that it matches.
"""

import re
import unittest

from harness import BUILD_DIR, WORK_DIR

CREDENTIAL = re.compile(
    rb"[A-Za-z-]*Passw0rd[A-Za-z0-9-]*|s3cret-[A-Za-z]+-Token-[0-9a-f]+|runner-request-Token-8c2f"
    rb"|pypi-stored-Secret-77|pypi-minted-\d+-Xk29")
# Written by the tests on purpose, for the helper to read its password from.
INPUTS = {".pypirc", "pypirc", "broken-pypirc"}


def findings(files, log_lines=()):
    """(where, credential) of each credential found in `files` (all bytes) and in `log_lines`
    that are neither ::add-mask:: lines nor a test's echo of its own argv."""
    found = []
    for path in files:
        for match in CREDENTIAL.finditer(path.read_bytes()):
            found.append((str(path), match.group().decode()))
    for number, line in log_lines:
        text = line.lstrip()
        if text.startswith((b"::add-mask::", b"$ ")):
            continue
        for match in CREDENTIAL.finditer(line):
            found.append((f"LastTest.log:{number}", match.group().decode()))
    return found


def written_files(root):
    return [p for p in root.rglob("*")
            if p.is_file() and not p.is_symlink() and p.name not in INPUTS]


class SecretScan(unittest.TestCase):
    def test_the_scan_finds_a_credential_where_it_does_not_belong(self):
        planted = WORK_DIR / "planted"
        planted.mkdir(parents=True, exist_ok=True)
        (planted / "release.json").write_bytes(b'{"index": "http://u:index-Passw0rd-7f3a@h/"}')
        (planted / ".pypirc").write_bytes(b"password = index-Passw0rd-7f3a\n")
        log = [(1, b"::add-mask::pypi-minted-0-Xk29"), (2, b"$ docker-pipeline upload --password s3cret-Fault-Token-91c2"),
               (3, b"uploading as pypi-minted-0-Xk29")]
        self.assertEqual(findings(written_files(planted), log),
                         [(str(planted / "release.json"), "index-Passw0rd-7f3a"),
                          ("LastTest.log:3", "pypi-minted-0-Xk29")])

    def test_nothing_the_suite_wrote_holds_a_credential(self):
        root = WORK_DIR.parent  # every integration test's work folder
        files = [f for f in written_files(root) if WORK_DIR not in f.parents]
        files.append(BUILD_DIR / "CMakeCache.txt")
        names = {f.name for f in files}
        # The scan is worth something only after the runs it scans.
        for expected in (".docker-pipeline-upload.json", "release.json", "pydemo.pipeline.json",
                         "CMakeCache.txt", "test.passed"):
            self.assertIn(expected, names, "run the integration tests first (ctest runs this last)")
        log_file = BUILD_DIR / "Testing" / "Temporary" / "LastTest.log"
        log = list(enumerate(log_file.read_bytes().splitlines(), 1)) if log_file.exists() else []
        print(f"scanned {len(files)} files and {len(log)} lines of the test log")
        self.assertEqual(findings(files, log), [])


if __name__ == "__main__":
    unittest.main()
