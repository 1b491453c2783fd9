"""What `docker-pipeline upload` does beyond twine (issue 3), end to end: --verify, --dry-run,
--jobs, the journal beside the dists, the per-file result line and `upload --pipeline FILE`.

Against a real pypiserver on 127.0.0.1 (harness.Index), or the tests' own fault server where the
index has to lie or POSTs have to be counted. Every run checks that the password given through
TWINE_PASSWORD is printed nowhere.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import unittest

from dist_factory import write_sdist, write_wheel
from fault_server import Answer, FaultServer
from harness import HELPER, Index, fresh_dir

PROJECT = "dp-features-demo"
RESULT_LINE = re.compile(r"^(uploaded|skipped|failed) \S+ \(.*\)")
# uploaded <file> (<size>, <seconds> s, <rate>/s)
RESULT_FORMAT = re.compile(
    r"^(?P<outcome>uploaded|skipped|failed) (?P<file>\S+) "
    r"\((?P<size>\d+(?:\.\d)? (?:B|KB|MB|GB)), (?P<seconds>\d+\.\d+) s, "
    r"(?P<rate>\d+(?:\.\d)? (?:B|KB|MB|GB))/s\)(?::.*)?$")
JOURNAL = ".docker-pipeline-upload.json"
FAULT_SECRET = "s3cret-Features-Token-5e1d"


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def human_size(size):
    """The size as the result line spells it: B below 1 KiB, else one decimal in KB/MB/GB."""
    if size < 1024:
        return f"{size} B"
    value, units = float(size), ["B", "KB", "MB", "GB"]
    unit = 0
    while value >= 1024 and unit + 1 < len(units):
        value /= 1024
        unit += 1
    return f"{value:.1f} {units[unit]}"


def result_lines(output):
    return [line for line in output.splitlines() if RESULT_LINE.match(line)]


def line_for(output, file_name):
    lines = [line for line in result_lines(output) if line.split(" ", 2)[1] == file_name]
    assert len(lines) == 1, f"expected one result line for {file_name}:\n{output}"
    return lines[0]


class CorruptingServer(FaultServer):
    """Accepts uploads, then lists every uploaded file with a sha256 other than the one sent."""

    def record(self, upload):
        super().record(upload)
        if upload.file_name and upload.body_received:
            self.store(upload.file_name, b"not the bytes that were sent", PROJECT)


class UploadFeatures(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"features/{self._testMethodName}")
        self.home = self.work / "home"  # no ~/.pypirc of the machine's user
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()

    def upload(self, arguments, *, index=None, server=None, url=True, timeout=120):
        """Runs `docker-pipeline upload`; returns (status, output). The environment has no TWINE_*
        variable of the caller's; the index's (or the fault server's) credentials are given."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWINE_")}
        env["HOME"] = str(self.home)
        secrets = []
        if index is not None:
            env.update(index.twine_env())
            if not url:
                del env["TWINE_REPOSITORY_URL"]
            secrets.append(index.password)
        if server is not None:
            env.update(TWINE_REPOSITORY_URL=server.url, TWINE_USERNAME="uploader",
                       TWINE_PASSWORD=FAULT_SECRET)
            secrets.append(FAULT_SECRET)
        argv = [HELPER, "upload", *map(str, arguments)]
        done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
        print(f"$ {' '.join(argv)}\n{done.stdout}(exit status {done.returncode})", flush=True)
        for secret in secrets:
            self.assertNotIn(secret, done.stdout, "the password was printed")
        return done.returncode, done.stdout

    def pipeline_upload(self, pipeline_file, index, *arguments):
        """`upload --pipeline FILE`: the repository comes from the pipeline, so no URL variable."""
        return self.upload(["--pipeline", pipeline_file, *arguments], index=index, url=False)

    def assertOutcome(self, output, outcome, file_name):
        self.assertRegex(output, rf"(?m)^{outcome} {re.escape(file_name)} \(")

    # --verify

    def test_verify_confirms_both_dists_on_pypiserver(self):
        dists = [write_wheel(self.dists, PROJECT, "1.0"), write_sdist(self.dists, PROJECT, "1.0")]
        with Index(self.work / "index") as index:
            status, output = self.upload(["--verify", *dists], index=index)
            stored = index.files()
        self.assertEqual(status, 0, output)
        self.assertEqual(stored, sorted(d.name for d in dists))
        for dist in dists:
            self.assertOutcome(output, "uploaded", dist.name)
        self.assertRegex(output, r"(?m)^verified\b")
        self.assertNotIn("verify failed", output)

    def test_verify_fails_naming_a_file_the_index_does_not_list(self):
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        other = write_wheel(self.work, PROJECT, "0.9")  # the project page exists, without 1.0
        # The POST is answered 200, but nothing is stored: the simple page never lists the file.
        with FaultServer([Answer(200, "OK")]) as server:
            server.store(other.name, other.read_bytes(), PROJECT)
            status, output = self.upload(["--verify", wheel], server=server)
        self.assertEqual(status, 1, output)
        self.assertEqual(server.posts_with_body(wheel.name), 1)
        self.assertRegex(output, rf"(?m)^verify failed: {re.escape(wheel.name)}\b")
        self.assertNotRegex(output, r"(?m)^verified\b")

    def test_verify_fails_naming_a_file_listed_with_another_sha256(self):
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        with CorruptingServer() as server:
            status, output = self.upload(["--verify", wheel], server=server)
        self.assertEqual(status, 1, output)
        self.assertEqual(server.posts_with_body(wheel.name), 1)
        self.assertRegex(output, rf"(?m)^verify failed: {re.escape(wheel.name)}\b.*sha256")
        self.assertIn(sha256_of(wheel), output)
        self.assertNotRegex(output, r"(?m)^verified\b")

    # --dry-run

    def test_dry_run_shows_every_file_and_sends_nothing(self):
        sdist = write_sdist(self.dists, PROJECT, "2.0")
        wheel = write_wheel(self.dists, PROJECT, "2.0", payload_bytes=20000)
        with Index(self.work / "index") as index:
            status, output = self.upload(["--dry-run", sdist, wheel], index=index)
            stored = index.files()
        self.assertEqual(status, 0, output)
        self.assertEqual(stored, [], "a dry run stored something")
        self.assertRegex(output, r"(?m)^nothing was sent$")
        lines = {}
        for dist in (sdist, wheel):
            matching = [line for line in output.splitlines() if dist.name in line]
            self.assertEqual(len(matching), 1, output)
            lines[dist.name] = matching[0]
            line = matching[0]
            self.assertIn(PROJECT, line)  # name
            self.assertRegex(line, r"\b2\.0\b")  # version
            self.assertRegex(line, rf"\b{dist.stat().st_size}\b")  # size in bytes
            self.assertIn(sha256_of(dist), line)
            self.assertIn(index.url, line)
            self.assertIn(index.user, line)
        # Wheels before sdists, whatever the order given.
        self.assertLess(output.index(lines[wheel.name]), output.index(lines[sdist.name]))

    # --jobs

    def test_jobs_4_uploads_8_wheels_with_one_clean_line_each(self):
        wheels = [write_wheel(self.dists, PROJECT, f"1.0.{i}", payload_bytes=200_000)
                  for i in range(8)]
        sdist = write_sdist(self.dists, PROJECT, "1.0.0")
        with Index(self.work / "index") as index:
            started = time.monotonic()
            status, output = self.upload(["--jobs", "4", sdist, *wheels], index=index)
            seconds = time.monotonic() - started
            stored = index.files()
        self.assertEqual(status, 0, output)
        self.assertLess(seconds, 110)
        self.assertEqual(stored, sorted(d.name for d in [*wheels, sdist]))
        lines = result_lines(output)
        self.assertEqual(len(lines), 9, output)
        for dist in [*wheels, sdist]:
            self.assertRegex(line_for(output, dist.name), rf"^uploaded {re.escape(dist.name)} \(")
        # Not interleaved: every line that names a dist is a whole result line on its own.
        for line in output.splitlines():
            if any(d.name in line for d in [*wheels, sdist]):
                self.assertRegex(line, RESULT_LINE, f"a mangled line: {line!r}")
                self.assertEqual(sum(line.count(d.name) for d in [*wheels, sdist]), 1, line)
        # Wheels first: with 4 workers the sdist (9th) is only started once 5 wheels finished.
        order = [line.split(" ", 2)[1] for line in lines]
        self.assertGreaterEqual(order.index(sdist.name), 5, order)

    def test_wheels_are_uploaded_before_the_sdist(self):
        sdist = write_sdist(self.dists, PROJECT, "1.0")
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        with FaultServer() as server:
            status, output = self.upload([sdist, wheel], server=server)
        self.assertEqual(status, 0, output)
        self.assertEqual([line.split(" ", 2)[1] for line in result_lines(output)],
                         [wheel.name, sdist.name])
        self.assertEqual([u.file_name for u in server.uploads], [wheel.name, sdist.name])

    # The journal

    def assertJournal(self, expected):
        journal = json.loads((self.dists / JOURNAL).read_text())
        entries = {entry["file"]: entry for entry in journal["files"]}
        for dist, outcome in expected.items():
            self.assertIn(dist.name, entries, journal)
            self.assertEqual(entries[dist.name]["outcome"], outcome, journal)
            self.assertEqual(entries[dist.name]["sha256"], sha256_of(dist), journal)
        return journal

    def test_journal_resumes_after_a_refused_sdist_on_pypiserver(self):
        wheels = [write_wheel(self.dists, PROJECT, "3.0"), write_wheel(self.dists, PROJECT, "3.1")]
        sdist = write_sdist(self.dists, PROJECT, "3.0")
        earlier = self.work / "earlier"  # uploaded from elsewhere: no journal entry here
        earlier.mkdir()
        with Index(self.work / "index") as index:
            status, output = self.upload([shutil.copy(sdist, earlier)], index=index)
            self.assertEqual(status, 0, output)
            self.assertFalse((self.dists / JOURNAL).exists())

            status, output = self.upload([*wheels, sdist], index=index)
            self.assertEqual(status, 1, output)
            for wheel in wheels:
                self.assertOutcome(output, "uploaded", wheel.name)
            self.assertOutcome(output, "failed", sdist.name)
            self.assertJournal({wheels[0]: "uploaded", wheels[1]: "uploaded", sdist: "failed"})
            mtimes = {p.name: p.stat().st_mtime_ns for p in index.packages.iterdir()}
            refusals = index.log.read_text().count("Cannot upload")
            self.assertEqual(refusals, 1)  # pypiserver logs each upload it refuses

            status, output = self.upload(["--skip-existing", *wheels, sdist], index=index)
            self.assertEqual(status, 0, output)
            for wheel in wheels:
                self.assertRegex(line_for(output, wheel.name), r"uploaded earlier \(journal")
            self.assertOutcome(output, "skipped", sdist.name)
            self.assertEqual({p.name: p.stat().st_mtime_ns for p in index.packages.iterdir()},
                             mtimes)
            # A wheel sent again would have been refused (409) and logged by pypiserver.
            self.assertEqual(index.log.read_text().count("Cannot upload"), refusals)
        journal = self.assertJournal({wheels[0]: "uploaded", wheels[1]: "uploaded",
                                      sdist: "skipped"})
        self.assertNotIn(index.password, json.dumps(journal))

    def test_journal_resumption_sends_no_wheel_twice(self):
        wheels = [write_wheel(self.dists, PROJECT, "3.0"), write_wheel(self.dists, PROJECT, "3.1")]
        sdist = write_sdist(self.dists, PROJECT, "3.0")
        with FaultServer(simple_index=True) as server:
            server.store(sdist.name, sdist.read_bytes(), PROJECT)  # the index answers 409
            status, output = self.upload([sdist, *wheels], server=server)
            self.assertEqual(status, 1, output)
            self.assertOutcome(output, "failed", sdist.name)
            self.assertJournal({wheels[0]: "uploaded", wheels[1]: "uploaded", sdist: "failed"})

            status, output = self.upload(["--skip-existing", sdist, *wheels], server=server)
            self.assertEqual(status, 0, output)
            for wheel in wheels:
                self.assertRegex(line_for(output, wheel.name), r"uploaded earlier \(journal")
                self.assertEqual(server.posts_with_body(wheel.name), 1, "a wheel was sent twice")
            self.assertOutcome(output, "skipped", sdist.name)
            self.assertLessEqual(server.posts_with_body(sdist.name), 2)

    # The result line

    def test_result_line_gives_size_seconds_and_rate(self):
        wheel = write_wheel(self.dists, PROJECT, "4.0", payload_bytes=3 << 20)
        sdist = write_sdist(self.dists, PROJECT, "4.0")
        with Index(self.work / "index") as index:
            started = time.monotonic()
            status, output = self.upload([wheel, sdist], index=index)
            wall = time.monotonic() - started
            self.assertEqual(status, 0, output)
            status_again, output_again = self.upload(["--skip-existing", wheel, sdist], index=index)
        for dist in (wheel, sdist):
            line = line_for(output, dist.name)
            match = RESULT_FORMAT.match(line)
            self.assertIsNotNone(match, f"not 'uploaded <file> (<size>, <s> s, <rate>/s)': {line!r}")
            self.assertEqual(match["outcome"], "uploaded")
            self.assertEqual(match["size"], human_size(dist.stat().st_size), line)
            self.assertLessEqual(float(match["seconds"]), wall)
            self.assertNotEqual(match["rate"], "0 B", line)
        self.assertEqual(RESULT_FORMAT.match(line_for(output, wheel.name))["size"], "3.0 MB")
        self.assertEqual(status_again, 0, output_again)
        for dist in (wheel, sdist):
            self.assertRegex(line_for(output_again, dist.name), RESULT_FORMAT)
            self.assertOutcome(output_again, "skipped", dist.name)

    # upload --pipeline

    def write_pipeline(self, index, *, skip_existing, verify):
        work_dir = self.work / "pipeline-work"
        (work_dir / "dist").mkdir(parents=True, exist_ok=True)
        (work_dir / "image.version").write_text("5.0\n")  # as the build stage records it
        context = self.work / "context"
        context.mkdir(exist_ok=True)
        pipeline = {
            "schema": 1, "name": "features", "context": str(context), "dockerfile": "Dockerfile",
            "image": "dp-features", "version": "5.0", "build_args": [], "stamp": [],
            "test_command": [], "dist_dir": "/src/dist", "repository": index.url,
            "skip_existing": skip_existing, "verify": verify, "work_dir": str(work_dir),
            "binary_dir": str(self.work),
        }
        path = self.work / f"features-{skip_existing}-{verify}.pipeline.json"
        path.write_text(json.dumps(pipeline, indent=2) + "\n")
        return path, work_dir / "dist"

    def test_pipeline_skip_existing_skips_on_the_second_run(self):
        with Index(self.work / "index") as index:
            pipeline, dist = self.write_pipeline(index, skip_existing=True, verify=False)
            dists = [write_wheel(dist, PROJECT, "5.0"), write_sdist(dist, PROJECT, "5.0")]
            status, output = self.pipeline_upload(pipeline, index)
            self.assertEqual(status, 0, output)
            for d in dists:
                self.assertOutcome(output, "uploaded", d.name)
            self.assertIn(index.url, output)
            self.assertEqual(index.files(), sorted(d.name for d in dists))
            # Without the journal only skip_existing can turn the index's "exists" into a skip.
            (dist / JOURNAL).unlink()
            status, output = self.pipeline_upload(pipeline, index)
            self.assertEqual(status, 0, output)
            for d in dists:
                self.assertOutcome(output, "skipped", d.name)

            # The same pipeline with skip_existing false fails on the wheel, and then sends no
            # sdist: an index never shows an sdist whose wheels are not all there.
            strict, _ = self.write_pipeline(index, skip_existing=False, verify=False)
            (dist / JOURNAL).unlink(missing_ok=True)
            status, output = self.pipeline_upload(strict, index)
            self.assertEqual(status, 1, output)
            self.assertOutcome(output, "failed", dists[0].name)
            self.assertIn("0 uploaded, 0 skipped, 1 failed, 1 not sent (after a failed wheel)",
                          output)

    def test_pipeline_verify_says_it_verified(self):
        with Index(self.work / "index") as index:
            pipeline, dist = self.write_pipeline(index, skip_existing=True, verify=True)
            dists = [write_wheel(dist, PROJECT, "5.0"), write_sdist(dist, PROJECT, "5.0")]
            status, output = self.pipeline_upload(pipeline, index)
            self.assertEqual(index.files(), sorted(d.name for d in dists))
        self.assertEqual(status, 0, output)
        self.assertRegex(output, r"(?m)^verified\b")

        # And without verify it does not claim to have verified.
        with Index(self.work / "index2") as index:
            pipeline, dist = self.write_pipeline(index, skip_existing=True, verify=False)
            (dist / JOURNAL).unlink(missing_ok=True)
            status, output = self.pipeline_upload(pipeline, index)
        self.assertEqual(status, 0, output)
        self.assertNotRegex(output, r"(?m)^verified\b")


if __name__ == "__main__":
    unittest.main()
