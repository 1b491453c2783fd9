"""`docker-pipeline upload` against a server of the tests' own that misbehaves on purpose (issue 3).

Each case: the exit status, the message, how many POSTs carried the file (nothing twice), and that
the password given through TWINE_PASSWORD is printed nowhere.
"""

import json
import os
import re
import signal
import subprocess
import time
import unittest

from dist_factory import metadata_text, write_wheel
from fault_server import Answer, FaultServer, ResetMidBody, Silent, Stall
from harness import HELPER, fresh_dir, run

SECRET = "s3cret-Fault-Token-91c2"
PROJECT = "dp-fault-demo"
WHEEL = "dp_fault_demo-1.0-py3-none-any.whl"
WAREHOUSE_EXISTS = "File already exists. See https://pypi.org/help/#file-name-reuse for more information."


class UploadFaults(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"faults/{self._testMethodName}")
        self.home = self.work / "home"  # no ~/.pypirc of the machine's user
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()
        self.wheel = write_wheel(self.dists, PROJECT, "1.0")

    def helper_env(self, server, env=None):
        full_env = {"HOME": str(self.home), "TWINE_USERNAME": "uploader", "TWINE_PASSWORD": SECRET}
        if server is not None:
            full_env["TWINE_REPOSITORY_URL"] = server.url
        full_env.update(env or {})
        return full_env

    def upload(self, server, *arguments, files=None, timeout=60, env=None):
        """Runs the helper; returns (status, output, seconds). Fails the test if the secret shows."""
        full_env = self.helper_env(server, env)
        started = time.monotonic()
        status, output = run([HELPER, "upload", *arguments,
                              *(files if files is not None else [str(self.wheel)])],
                             env=full_env, timeout=timeout)
        seconds = time.monotonic() - started
        self.assertNotIn(SECRET, output)
        return status, output, seconds

    def assertOutcome(self, output, outcome, file_name):
        self.assertRegex(output, rf"(?m)^{outcome}\s+{re.escape(file_name)}\b")

    # Retried answers

    def test_500_twice_then_200_is_retried_and_stored_once(self):
        script = [Answer(500, "Internal Server Error"), Answer(500, "Internal Server Error")]
        with FaultServer(script) as server:
            status, output, _ = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded", WHEEL)
        self.assertEqual(list(server.files), [WHEEL])
        self.assertEqual([u.answer for u in server.uploads if u.file_name == WHEEL],
                         ["500", "500", "200"])

    def test_reset_mid_body_asks_the_index_before_sending_again(self):
        script = [ResetMidBody(stored=(WHEEL, self.wheel.read_bytes()))]
        with FaultServer(script) as server:
            status, output, _ = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertEqual(server.posts_with_body(WHEEL), 0, "the file was sent again")
        self.assertEqual(server.requests_seen(), 1)

    def test_stalled_server_times_out(self):
        with FaultServer([Stall()]) as server:
            status, output, seconds = self.upload(server, "--timeout", "2", "--retries", "0")
        self.assertEqual(status, 1, output)
        self.assertRegex(output.lower(), r"time(d)? ?out")
        self.assertIn(WHEEL, output)
        self.assertLess(seconds, 10)

    def test_an_index_that_never_answers_is_given_up_after_two_timeouts(self):
        # With the defaults (20 s) this takes 41 s; the test shows the same with 2 s: the upload
        # times out, the lookup asking whether it arrived times out, and nothing more is sent.
        other = write_wheel(self.dists, "dp-fault-other", "1.0")
        with FaultServer(silent=True) as server:
            status, output, seconds = self.upload(server, "--timeout", "2",
                                                  files=[str(self.wheel), str(other)])
        print(f"given up after {seconds:.1f} s", flush=True)
        self.assertEqual(status, 1, output)
        self.assertEqual([u.file_name for u in server.uploads], [WHEEL])
        self.assertEqual(server.gets, [f"/simple/{PROJECT}/"])
        self.assertRegex(output, rf"(?m)^failed\s+{re.escape(WHEEL)}\b.*{re.escape(server.url)}"
                                 r".*timed out: nothing moved for 2 s")
        self.assertRegex(output, rf"(?m)^failed\s+{re.escape(other.name)}\b.*not tried: "
                                 rf"{re.escape(server.url.rstrip('/'))} gave no answer to 2 requests")
        self.assertIn("--timeout (2 s)", output)
        self.assertLess(seconds, 30)

    def test_429_with_retry_after_waits_then_succeeds(self):
        script = [Answer(429, "Too Many Requests", "slow down", {"Retry-After": "1"})]
        with FaultServer(script) as server:
            status, output, seconds = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded", WHEEL)
        self.assertGreaterEqual(seconds, 1.0)
        self.assertLess(seconds, 20)
        self.assertEqual(list(server.files), [WHEEL])

    # Ctrl-C and SIGTERM while the index keeps the upload waiting

    def interrupt_waiting_upload(self, server, signum, files):
        """Starts the helper (--timeout 300, so only the signal can end it) and sends `signum`
        once the index has received every file's body, the last one's never to be answered;
        returns (status, output, seconds from the signal to the helper's end)."""
        helper = subprocess.Popen([HELPER, "upload", "--timeout", "300", *map(str, files)],
                                  env=dict(os.environ, **self.helper_env(server)),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            self.assertTrue(server.wait_until(lambda: len(server.uploads) == len(files)),
                            "the upload did not reach the index")
            self.assertIsNone(helper.poll(), "the helper ended before the signal")
            sent = time.monotonic()
            helper.send_signal(signum)
            output = helper.communicate(timeout=60)[0]
            seconds = time.monotonic() - sent
        finally:
            if helper.poll() is None:
                helper.kill()
                helper.wait()
        print(f"$ docker-pipeline upload ... ({signal.Signals(signum).name} after the body went out)"
              f"\n{output}(exit status {helper.returncode}, {seconds:.3f} s after the signal)",
              flush=True)
        self.assertNotIn(SECRET, output)
        return helper.returncode, output, seconds

    def journal_entries(self):
        journal = self.dists / ".docker-pipeline-upload.json"
        return json.loads(journal.read_text())["files"] if journal.exists() else []

    def assert_stopped_by(self, signum, status, output, seconds):
        self.assertEqual(status, 128 + signum, output)
        self.assertLess(seconds, 5)  # within a second on an idle machine; 5 for a loaded one
        self.assertRegex(output, rf"(?m)^docker-pipeline upload: interrupted by signal {signum}\b")
        self.assertEqual(list(self.dists.glob("*.tmp")), [], "a journal write was left behind")

    def test_ctrl_c_stops_an_upload_waiting_on_a_silent_index(self):
        with FaultServer(silent=True) as server:
            status, output, seconds = self.interrupt_waiting_upload(server, signal.SIGINT,
                                                                    [self.wheel])
        self.assert_stopped_by(signal.SIGINT, status, output, seconds)
        self.assertIn("0 uploaded, 0 skipped, 0 failed, 1 not finished (interrupted)", output)
        self.assertEqual(self.journal_entries(), [])

    def test_sigterm_stops_an_upload_and_journals_only_what_was_uploaded(self):
        other = write_wheel(self.dists, "dp-fault-other", "1.0")
        with FaultServer([None, Silent()]) as server:  # the first file is taken, the second waits
            status, output, seconds = self.interrupt_waiting_upload(server, signal.SIGTERM,
                                                                    [self.wheel, other])
        self.assert_stopped_by(signal.SIGTERM, status, output, seconds)
        self.assertEqual(list(server.files), [WHEEL])
        self.assertOutcome(output, "uploaded", WHEEL)
        self.assertNotRegex(output, rf"(?m)^\w+\s+{re.escape(other.name)}\b")
        self.assertIn("1 uploaded, 0 skipped, 0 failed, 1 not finished (interrupted)", output)
        self.assertEqual([(e["file"], e["outcome"]) for e in self.journal_entries()],
                         [(WHEEL, "uploaded")])

    # Files the index has already

    def existing_file_server(self, refusal):
        """An index without a simple API, so only the upload's answer can say the file exists."""
        server = FaultServer([refusal] if refusal else [], simple_index=False)
        server.store(WHEEL, self.wheel.read_bytes())
        return server

    def test_409_without_skip_existing_fails_and_points_at_the_option(self):
        with self.existing_file_server(None) as server:  # the server itself answers 409
            status, output, _ = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertIn("already exists", output.lower())
        self.assertIn("--skip-existing", output)
        self.assertOutcome(output, "failed", WHEEL)
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_409_with_skip_existing_skips(self):
        with self.existing_file_server(None) as server:
            status, output, _ = self.upload(server, "--skip-existing")
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "skipped", WHEEL)
        self.assertLessEqual(server.posts_with_body(WHEEL), 1)

    def test_400_already_exists_without_skip_existing_fails_verbatim(self):
        with self.existing_file_server(Answer(400, WAREHOUSE_EXISTS, WAREHOUSE_EXISTS)) as server:
            status, output, _ = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertIn(WAREHOUSE_EXISTS, output)  # 400: the server's message verbatim
        self.assertIn("--skip-existing", output)
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_400_already_exists_with_skip_existing_skips(self):
        with self.existing_file_server(Answer(400, WAREHOUSE_EXISTS, WAREHOUSE_EXISTS)) as server:
            status, output, _ = self.upload(server, "--skip-existing")
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "skipped", WHEEL)
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_skip_existing_asks_the_simple_index_first_and_sends_nothing(self):
        with FaultServer() as server:
            server.store(WHEEL, self.wheel.read_bytes())
            status, output, _ = self.upload(server, "--skip-existing")
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "skipped", WHEEL)
        self.assertEqual(server.requests_seen(), 0, "bytes were sent for a file the index has")

    def test_same_name_with_another_sha256_is_an_error_not_a_skip(self):
        with FaultServer() as server:
            server.store(WHEEL, b"other bytes under the same name")
            status, output, _ = self.upload(server, "--skip-existing")
        self.assertEqual(status, 1, output)
        self.assertIn("sha256", output.lower())
        self.assertOutcome(output, "failed", WHEEL)
        self.assertEqual(server.files[WHEEL][1], b"other bytes under the same name")

    # Refusals that are not retried

    def test_403_says_check_the_token_and_never_prints_it(self):
        refusal = Answer(403, "Forbidden", "Invalid or non-existent authentication information.")
        with FaultServer([refusal]) as server:
            status, output, _ = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertIn("403", output)
        self.assertIn("token", output.lower().replace("__token__", ""))
        self.assertIn("__token__", output)
        self.assertOutcome(output, "failed", WHEEL)
        self.assertEqual(server.requests_seen(), 1, "a 403 was retried")

    def test_403_fails_before_a_large_file_is_sent(self):
        big = write_wheel(self.work, "dp-fault-big", "1.0", payload_bytes=8 << 20)
        refusal = Answer(403, "Forbidden", "Invalid or non-existent authentication information.",
                         before_body=True)
        with FaultServer([refusal]) as server:
            status, output, _ = self.upload(server, files=[str(big)])
        self.assertEqual(status, 1, output)
        self.assertEqual(server.posts_with_body(big.name), 0,
                         "the file went out before the credentials were checked")

    def test_redirect_to_https_is_reported_with_its_url(self):
        with FaultServer() as server:
            location = server.url.replace("http://", "https://") + "legacy/"
            server.script = [Answer(301, "Moved Permanently", headers={"Location": location})]
            status, output, _ = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertIn(location, output)
        self.assertEqual(server.files, {})
        self.assertEqual(server.requests_seen(), 1)

    # Refused before anything is sent

    def test_truncated_wheel_is_refused_naming_it(self):
        data = self.wheel.read_bytes()
        self.wheel.write_bytes(data[: len(data) // 2])
        with FaultServer() as server:
            status, output, _ = self.upload(server)
            check_status, check_output = run([HELPER, "check", str(self.wheel)], timeout=60)
        self.assertEqual(status, 1, output)
        self.assertIn(WHEEL, output)
        self.assertEqual(server.requests_seen(), 0)
        self.assertEqual(check_status, 1, check_output)
        self.assertIn(WHEEL, check_output)

    def test_wheel_whose_name_disagrees_with_its_metadata_is_refused(self):
        self.wheel.unlink()
        wheel = write_wheel(self.dists, PROJECT, "1.0", metadata=metadata_text(PROJECT, "2.0"))
        with FaultServer() as server:
            status, output, _ = self.upload(server)
            check_status, check_output = run([HELPER, "check", str(wheel)], timeout=60)
        self.assertEqual(check_status, 1, check_output)
        self.assertIn("FAILED", check_output)
        self.assertEqual(status, 1, output)
        self.assertIn(WHEEL, output)
        self.assertEqual(server.requests_seen(), 0)

    def test_empty_glob_names_the_pattern(self):
        pattern = str(self.work / "nothing-here" / "*.whl")
        with FaultServer() as server:
            status, output, _ = self.upload(server, files=[pattern])
        self.assertNotEqual(status, 0, output)
        self.assertIn(pattern, output)
        self.assertEqual(server.requests_seen(), 0)

    def test_password_in_argv_is_refused(self):
        with FaultServer() as server:
            status, output, _ = self.upload(server, "--password", SECRET)
        self.assertNotEqual(status, 0, output)
        self.assertIn("TWINE_PASSWORD", output)
        self.assertEqual(server.requests_seen(), 0)

    # .pypirc

    def test_pypirc_without_the_named_section_lists_its_sections(self):
        with FaultServer() as server:
            config = self.work / "pypirc"
            config.write_text(
                "[distutils]\nindex-servers =\n    alpha\n    beta\n\n"
                f"[alpha]\nrepository = {server.url}\nusername = a\npassword = {SECRET}\n\n"
                f"[beta]\nrepository = {server.url}\nusername = b\npassword = {SECRET}\n")
            status, output, _ = self.upload(None, "--config-file", str(config), "-r", "gamma")
        self.assertEqual(status, 1, output)
        self.assertIn("gamma", output)
        self.assertIn("alpha", output)
        self.assertIn("beta", output)
        self.assertEqual(server.requests_seen(), 0)

    def test_pypirc_that_is_not_ini_names_the_file(self):
        with FaultServer() as server:
            config = self.work / "broken-pypirc"
            config.write_text(f"[distutils\nindex-servers = alpha\npassword {SECRET}\n")
            status, output, _ = self.upload(None, "--config-file", str(config), "-r", "alpha")
        self.assertEqual(status, 1, output)
        self.assertIn(str(config), output)
        self.assertEqual(server.requests_seen(), 0)


if __name__ == "__main__":
    unittest.main()
