"""The release as a CI job sees it: the example's pipeline run through its CMake targets with
GitHub Actions' or GitLab CI's variables set, and the log and GitHub's step summary read back.

GitHub: every command a group, never nested, each verify image a group of its own; a failed test an
::error annotation at its file and line; a failing stage one ::error line saying why; the index's
password nowhere but the ::add-mask:: line that hides it; the step summary Markdown tables, the
uploaded files among them. GitLab: balanced, collapsed sections and no GitHub command.
"""

import re
import shutil
import unittest

from harness import ArgvWatch, EXAMPLE_PROJECT, Index, build, configure, fresh_dir, remove_images

VERSION = "0.0.5"
WORKFLOW_COMMAND = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")


def github_env(summary, workspace):
    return {"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace)}


def gitlab_env():
    return {"CI": "true", "GITLAB_CI": "true"}


def workflow_commands(output):
    """(command, properties, data) of every workflow command line, in order."""
    return [m.groups() for m in map(WORKFLOW_COMMAND.match, output.splitlines()) if m]


def markdown_tables(text):
    """Every table of a Markdown text: (header cells, rows of cells), each row checked to have
    as many cells as the header and the delimiter row to follow the header."""
    tables, lines, i = [], text.splitlines(), 0
    split = lambda line: [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
    while i < len(lines):
        if lines[i].startswith("|"):
            header = split(lines[i])
            delimiter = split(lines[i + 1])
            assert delimiter == ["---"] * len(header), f"no delimiter row under {lines[i]!r}"
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                row = split(lines[i])
                assert len(row) == len(header), f"{lines[i]!r} has {len(row)} cells, not {len(header)}"
                rows.append(row)
                i += 1
            tables.append((header, rows))
        else:
            i += 1
    return tables


class CiOutput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"pydemo:{VERSION}")
        cls.work = fresh_dir("ci_output")
        cls.source = cls.work / "project"
        shutil.copytree(EXAMPLE_PROJECT, cls.source, ignore=shutil.ignore_patterns("build"))
        cls.index = cls.enterClassContext(Index(cls.work / "index"))
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, f"-DDOCKER_PIPELINE_VERSION={VERSION}",
                  "-DDOCKER_PIPELINE_LIVE_OUTPUT=OFF")

    def assertGroupsBalanced(self, output):
        depth = 0
        for command, _, data in workflow_commands(output):
            if command == "group":
                self.assertEqual(depth, 0, f"group {data!r} opened inside another")
                depth += 1
            elif command == "endgroup":
                self.assertEqual(depth, 1, "endgroup without a group")
                depth -= 1
        self.assertEqual(depth, 0, "a group is left open")

    def test_1_github_release(self):
        summary = self.work / "github-summary.md"
        env = dict(self.index.twine_env(), **github_env(summary, self.source))
        # Every child's argv, read while the release runs: the password is in none.
        with ArgvWatch([self.index.password], counted=[b"docker-pipeline\0"]) as watch:
            status, output = build(self.binary, "publish", env=env)
        self.assertEqual(status, 0, output)
        self.assertGreater(watch.seen, 0, "the watch saw no docker-pipeline process")
        self.assertEqual(watch.found, [])
        self.assertEqual(self.index.files(),
                         sorted([f"pydemo-{VERSION}-py3-none-any.whl", f"pydemo-{VERSION}.tar.gz"]))
        self.assertGroupsBalanced(output)
        groups = [data for command, _, data in workflow_commands(output) if command == "group"]
        for title in ("docker-pipeline build pydemo", "docker-pipeline test pydemo",
                      "docker-pipeline verify pydemo", "docker-pipeline publish pydemo"):
            self.assertIn(title, groups)
        for image in ("bookworm", "bullseye", "trixie"):
            self.assertIn(f"docker-pipeline verify pydemo: {image}", groups)
        self.assertNotIn("::error", output)
        # The password: only in the line that hides it, never in the summary.
        lines = [line for line in output.splitlines() if self.index.password in line]
        self.assertTrue(lines, "the password was not masked")
        self.assertEqual(set(lines), {f"::add-mask::{self.index.password}"}, output)
        text = summary.read_text()
        self.assertNotIn(self.index.password, text)
        for command in ("build", "test", "verify", "publish"):
            self.assertRegex(text, rf"### ✅ `docker-pipeline {command} pydemo`: done in \d+\.\d s")
        tables = markdown_tables(text)
        uploads = [rows for header, rows in tables if header[:2] == ["file", "result"]]
        self.assertEqual(len(uploads), 1, text)
        self.assertEqual(sorted(row[0] for row in uploads[0]), self.index.files())
        for row in uploads[0]:
            self.assertEqual(row[1], "uploaded")
            self.assertIn(f"]({self.index.url}simple/pydemo/)", row[4])
        verified = [rows for header, rows in tables if header[0] == "image" and "python" in header]
        self.assertEqual(len(verified[0]), 3)
        self.assertTrue(all(row[3] == "passed" for row in verified[0]), verified)
        tests = [rows for header, rows in tables if header == ["image", "version", "result", "tests"]]
        self.assertEqual(tests[0][0][2], "passed")
        self.assertRegex(tests[0][0][3], r"^\d+ passed, 0 failed")

    def test_2_gitlab_sections(self):
        status, output = build(self.binary, "pydemo-verify", env=gitlab_env())
        self.assertEqual(status, 0, output)
        self.assertEqual(workflow_commands(output), [])
        starts = re.findall(r"section_start:\d+:(\w+)\[collapsed=true\]", output)
        ends = re.findall(r"section_end:\d+:(\w+)", output)
        self.assertIn("docker_pipeline_verify_pydemo", starts)
        self.assertEqual(sorted(starts), sorted(ends))

    def test_3_a_failed_test_is_annotated_where_it_failed(self):
        (self.source / "python" / "tests" / "test_broken.py").write_text(
            "def test_release_blocker():\n    assert 1 + 1 == 3\n")
        summary = self.work / "failed-summary.md"
        status, output = build(self.binary, "pydemo-test", env=github_env(summary, self.source))
        self.assertNotEqual(status, 0, output)
        self.assertGroupsBalanced(output)
        errors = [(properties, data) for command, properties, data in workflow_commands(output)
                  if command == "error"]
        self.assertIn(("file=python/tests/test_broken.py,line=2,"
                       "title=pydemo%3A tests.test_broken.test_release_blocker failed",
                       "assert (1 + 1) == 3"), errors)
        self.assertIn(("title=docker-pipeline test",
                       f"docker-pipeline test: tests of pydemo:{VERSION} failed with exit status 1; "
                       "nothing is published"), errors)
        text = summary.read_text()
        self.assertIn("### ❌ `docker-pipeline test pydemo`: failed", text)
        tests = [rows for header, rows in markdown_tables(text)
                 if header == ["image", "version", "result", "tests"]]
        self.assertEqual(tests[0][0][2], "failed (status 1)")
        self.assertIn("tests.test_broken.test_release_blocker", tests[0][0][3])


if __name__ == "__main__":
    unittest.main()
