"""PEP 740 attestations end to end: `docker-pipeline upload` sends <dist>.publish.attestation in
the `attestations` field of its dist's upload (a JSON array holding it, as twine --attestations and
gh-action-pypi-publish send it), refuses a missing one under --attestations and one that is not
of its dist before anything is posted, and `check` reports a bad one.

Against the tests' own fault server on 127.0.0.1, which records every form field of every POST.
The attestations are made here: an in-toto statement in base64, in an envelope whose signature is
not real (the index verifies signatures; the helper checks the shape and that the statement is
about the file).
"""

import base64
import hashlib
import json
import os
import subprocess
import unittest

from dist_factory import write_sdist, write_wheel
from fault_server import FaultServer
from harness import HELPER, TOOLS, fresh_dir, run

PROJECT = "dp-attested-demo"
SECRET = "s3cret-Attestation-Token-41c2"
SUFFIX = ".publish.attestation"


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_attestation(dist, *, name=None, sha256=None, subjects=1):
    """Writes <dist>.publish.attestation; name and sha256 override the subject's (to make it about
    another file). Returns its path."""
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": name or dist.name,
                     "digest": {"sha256": sha256 or sha256_of(dist)}}] * subjects,
        "predicateType": "https://docs.pypi.org/attestations/publish/v1",
        "predicate": None,
    }
    attestation = {
        "version": 1,
        "verification_material": {
            "certificate": base64.b64encode(b"not a real certificate").decode(),
            "transparency_entries": [{"logIndex": "1", "kindVersion": {"kind": "dsse"}}],
        },
        "envelope": {
            "statement": base64.b64encode(json.dumps(statement).encode()).decode(),
            "signature": base64.b64encode(b"not a real signature").decode(),
        },
    }
    path = dist.parent / (dist.name + SUFFIX)
    path.write_text(json.dumps(attestation, indent=2) + "\n")
    return path


def error_lines(output):
    return [line for line in output.splitlines() if "error" in line.lower()]


class UploadAttestations(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"attestations/{self._testMethodName}")
        self.home = self.work / "home"  # no ~/.pypirc of the machine's user
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()
        self.wheel = write_wheel(self.dists, PROJECT, "1.0")
        self.sdist = write_sdist(self.dists, PROJECT, "1.0")

    def env(self, server):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWINE_")}
        env.update(HOME=str(self.home), TWINE_REPOSITORY_URL=server.url,
                   TWINE_USERNAME="uploader", TWINE_PASSWORD=SECRET)
        return env

    def upload(self, server, *arguments):
        """Runs `docker-pipeline upload` against the server; returns (status, output)."""
        argv = [HELPER, "upload", *map(str, arguments)]
        done = subprocess.run(argv, env=self.env(server), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=120)
        print(f"$ {' '.join(argv)}\n{done.stdout}(exit status {done.returncode})", flush=True)
        self.assertNotIn(SECRET, done.stdout, "the password was printed")
        return done.returncode, done.stdout

    def sent_attestations(self, server):
        """The `attestations` field of each upload, by file name (None: not sent)."""
        fields = {}
        for upload in server.uploads:
            values = (upload.fields or {}).get("attestations")
            self.assertTrue(values is None or len(values) == 1, values)
            fields[upload.file_name] = values[0] if values else None
        return fields

    def assertSentWith(self, field, attestation):
        """The field is a JSON array whose single element is the attestation file's content."""
        self.assertIsNotNone(field, f"{attestation.name} was not sent")
        value = json.loads(field)
        self.assertIsInstance(value, list)
        self.assertEqual(value, [json.loads(attestation.read_text())])

    def assertNothingPosted(self, server):
        self.assertEqual(server.uploads, [])
        self.assertEqual(server.gets, [])

    def test_attestations_go_with_their_dists_and_are_no_dists_themselves(self):
        attestations = {d.name: write_attestation(d) for d in (self.wheel, self.sdist)}
        with FaultServer() as server:
            # dist/* matches the attestations too: they go with their dists, not as dists.
            status, output = self.upload(server, "--attestations", self.dists / "*")
        self.assertEqual(status, 0, output)
        self.assertEqual([u.file_name for u in server.uploads], [self.wheel.name, self.sdist.name])
        sent = self.sent_attestations(server)
        for name, attestation in attestations.items():
            self.assertSentWith(sent[name], attestation)

    def test_without_the_flag_those_found_are_sent_and_none_is_fine(self):
        attestation = write_attestation(self.wheel)
        with FaultServer() as server:
            status, output = self.upload(server, self.wheel, self.sdist)
        self.assertEqual(status, 0, output)
        sent = self.sent_attestations(server)
        self.assertSentWith(sent[self.wheel.name], attestation)
        self.assertIsNone(sent[self.sdist.name])

    def test_the_field_is_what_twine_sends(self):
        attestations = [write_attestation(d) for d in (self.wheel, self.sdist)]
        with FaultServer() as server:
            status, output = self.upload(server, "--attestations", self.wheel, self.sdist)
            self.assertEqual(status, 0, output)
            ours = self.sent_attestations(server)
        with FaultServer() as server:
            status, output = run([TOOLS / "twine", "upload", "--non-interactive",
                                  "--disable-progress-bar", "--attestations", self.wheel,
                                  self.sdist, *attestations], env=self.env(server))
            self.assertEqual(status, 0, output)
            theirs = self.sent_attestations(server)
        self.assertEqual(set(ours), set(theirs))
        for name in theirs:
            self.assertEqual(json.loads(ours[name]), json.loads(theirs[name]), name)

    def test_a_missing_attestation_under_the_flag_sends_nothing(self):
        write_attestation(self.wheel)
        missing = self.dists / (self.sdist.name + SUFFIX)
        with FaultServer() as server:
            status, output = self.upload(server, "--attestations", self.dists / "*")
        self.assertNotEqual(status, 0, output)
        errors = error_lines(output)
        self.assertEqual(len(errors), 1, output)
        self.assertIn(str(missing), errors[0])
        self.assertIn("nothing was uploaded", errors[0])
        self.assertNothingPosted(server)

    def test_an_attestation_of_other_bytes_is_refused_before_anything_is_posted(self):
        write_attestation(self.wheel)
        attestation = write_attestation(self.sdist, sha256="0" * 64)
        with FaultServer() as server:
            status, output = self.upload(server, self.wheel, self.sdist)
        self.assertNotEqual(status, 0, output)
        errors = error_lines(output)
        self.assertEqual(len(errors), 1, output)
        self.assertIn(str(attestation), errors[0])
        self.assertIn("subject[0].digest.sha256", errors[0])
        self.assertIn(sha256_of(self.sdist), errors[0])
        self.assertNothingPosted(server)

    def test_an_attestation_that_is_not_json_is_refused(self):
        attestation = self.dists / (self.wheel.name + SUFFIX)
        attestation.write_text("{not json")
        with FaultServer() as server:
            status, output = self.upload(server, self.wheel)
        self.assertNotEqual(status, 0, output)
        self.assertIn(f"error: {attestation}: not JSON", output)
        self.assertNothingPosted(server)

    def test_check_reports_a_bad_attestation(self):
        write_attestation(self.wheel)
        bad = write_attestation(self.sdist, name=self.wheel.name)
        status, output = run([HELPER, "check", self.dists / "*"])
        self.assertEqual(status, 1, output)
        self.assertIn(f"Checking {self.wheel}: PASSED", output)
        self.assertIn(f"Checking {self.sdist}: FAILED", output)
        self.assertIn(f"\n  ERROR   {bad}: envelope.statement subject[0].name: is "
                      f"\"{self.wheel.name}\", must be the dist's file name "
                      f"\"{self.sdist.name}\"\n", output)
        self.assertNotIn(f"Checking {bad}", output)

        write_attestation(self.sdist, subjects=2)
        status, output = run([HELPER, "check", self.sdist])
        self.assertEqual(status, 1, output)
        self.assertIn(f"ERROR   {bad}: envelope.statement subject: holds 2 subjects", output)

        write_attestation(self.sdist)
        status, output = run([HELPER, "check", self.dists / "*"])
        self.assertEqual(status, 0, output)
        self.assertNotIn("ERROR", output)


if __name__ == "__main__":
    unittest.main()
