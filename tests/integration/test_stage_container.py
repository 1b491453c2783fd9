"""The test stage on the real engine: JUnit summary, artifacts, dists of the version, TEST_ENV,
timeouts, signals, skipping an unchanged run, and leftover containers of a killed helper."""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest

from harness import (HELPER, PIPELINE_LABEL, containers_of, fresh_dir, remove_images, run,
                     wait_for_line)

IMAGE = "dp-test/stage-demo"
VERSION = "1.0"
DOCKERFILE = """FROM docker-pipeline/python3:bookworm
ARG ARG_VERSION
WORKDIR /app
COPY . .
RUN mkdir -p dist && echo sdist > dist/stagedemo-${ARG_VERSION}.tar.gz \\
 && echo wheel > dist/stagedemo-${ARG_VERSION}-py3-none-any.whl \\
 && echo old > dist/stagedemo-0.0.1.tar.gz && echo log > dist/build.log
"""
TESTS = """import os
import time

import pytest

MODE = os.environ.get("STAGE_MODE", "pass")


def test_env_reaches_the_tests():
    assert os.environ["STAGE_TOKEN"] == "t0ken with spaces=and;$ymbols"
    assert os.environ["PYTHONUNBUFFERED"] == "1"


def test_mode():
    if MODE == "sleep":
        print("tests started", flush=True)
        time.sleep(300)
    assert MODE != "fail", "release blocker"


@pytest.mark.skip(reason="not yet")
def test_later():
    pass
"""
TOKEN = "t0ken with spaces=and;$ymbols"


class TestStage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Class clean-ups run last to first, also when setUpClass fails: containers, then image.
        cls.addClassCleanup(remove_images, f"{IMAGE}:{VERSION}")
        cls.addClassCleanup(remove_containers_of_prefix, "stage-")
        cls.work = fresh_dir("test-stage")
        cls.context = cls.work / "context"
        (cls.context / "tests").mkdir(parents=True)
        (cls.context / "Dockerfile").write_text(DOCKERFILE)
        (cls.context / "tests" / "test_app.py").write_text(TESTS)
        remove_containers_of_prefix("stage-")
        built = cls.pipeline("stage-build", "pass")
        status, output = run([HELPER, "build", "--pipeline", built])
        assert status == 0, output

    @classmethod
    def pipeline(cls, name, mode, **fields):
        """Writes a pipeline file for the image built in setUpClass; returns its path."""
        work_dir = cls.work / name / "work"
        description = {
            "name": name, "context": str(cls.context), "dockerfile": "Dockerfile", "image": IMAGE,
            "version": VERSION,
            "test_command": ["python3", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                             "--junitxml=/app/reports/junit.xml", "tests"],
            "test_env": [f"STAGE_MODE={mode}", f"STAGE_TOKEN={TOKEN}"],
            "artifacts": ["/app/reports", "/app/missing.log"],
            "dist_dir": "/app/dist",
            "work_dir": str(work_dir), "output_dir": str(cls.work / name / "out"),
        }
        description.update(fields)
        built = cls.work / "stage-build" / "work"
        if name != "stage-build" and not work_dir.exists():
            shutil.copytree(built, work_dir)  # the image id and version the build recorded
        path = cls.work / f"{name}.pipeline.json"
        path.write_text(json.dumps(description))
        return path

    def out(self, name):
        return self.work / name / "out"

    def test_passed_run_copies_outputs_and_an_unchanged_one_is_skipped(self):
        pipeline = self.pipeline("stage-pass", "pass")
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 0, output)
        self.assertIn("2 passed", output)  # pytest's own line, live
        self.assertIn("docker-pipeline: 2 passed, 0 failed, 1 skipped (JUnit: reports/junit.xml)",
                      output)
        self.assertIn("ARTIFACTS /app/missing.log not copied", output)
        self.assertTrue((self.out("stage-pass") / "artifacts" / "reports" / "junit.xml").is_file())
        self.assertEqual(sorted(os.listdir(self.out("stage-pass") / "dist")),
                         ["stagedemo-1.0-py3-none-any.whl", "stagedemo-1.0.tar.gz"])
        self.assertIn("not an sdist or wheel of 1.0): build.log, stagedemo-0.0.1.tar.gz", output)
        self.assertEqual(containers_of("stage-pass"), [])

        # Its speed is bench/pipeline's to measure; here: no container of it was even created.
        since = time.time()
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 0, output)
        self.assertIn("nothing changed; not run again", output)
        self.assertNotIn("testing", output)
        self.assertEqual(container_events("stage-pass", since), [])

        shutil.rmtree(self.out("stage-pass") / "dist")
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 0, output)
        self.assertIn("is gone: running the tests", output)
        self.assertIn("docker-pipeline: testing", output)

        status, output = run([HELPER, "test", "--force", "--pipeline", pipeline])
        self.assertEqual(status, 0, output)
        self.assertIn("docker-pipeline: testing", output)

        # Another TEST_ENV value is another test run.
        pipeline = self.pipeline("stage-pass", "pass", test_env=[f"STAGE_TOKEN={TOKEN}"])
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 0, output)
        self.assertIn("docker-pipeline: testing", output)
        self.assertEqual(containers_of("stage-pass"), [])

    def test_failed_run_keeps_its_artifacts_and_no_dists(self):
        pipeline = self.pipeline("stage-fail", "fail")
        for attempt in range(2):  # a failed run is never recorded as passed
            status, output = run([HELPER, "test", "--pipeline", pipeline])
            self.assertEqual(status, 1, output)
            self.assertIn("docker-pipeline: testing", output)
            self.assertIn("release blocker", output)
            self.assertIn("docker-pipeline: 1 passed, 1 failed, 1 skipped; failed: "
                          "tests.test_app.test_mode (JUnit: reports/junit.xml)", output)
            self.assertIn("failed with exit status 1", output)
            self.assertTrue((self.out("stage-fail") / "artifacts" / "reports" / "junit.xml").is_file())
            self.assertFalse((self.out("stage-fail") / "dist").exists())
            self.assertEqual(containers_of("stage-fail"), [])

    def test_timeout_stops_and_removes_the_container(self):
        pipeline = self.pipeline("stage-timeout", "sleep", test_timeout=300)
        started = time.monotonic()
        status, output = run([HELPER, "test", "--timeout", "4", "--pipeline", pipeline])
        self.assertEqual(status, 124, output)
        self.assertLess(time.monotonic() - started, 60)
        self.assertIn("tests started", output)
        self.assertIn("timed out after 4 s", output)
        self.assertEqual(containers_of("stage-timeout"), [])
        self.assertFalse((self.out("stage-timeout") / "dist").exists())

    def test_pipeline_timeout_applies(self):
        pipeline = self.pipeline("stage-timeout2", "sleep", test_timeout=3.5)
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 124, output)
        self.assertIn("timed out after 3.5 s", output)
        self.assertEqual(containers_of("stage-timeout2"), [])

    def interrupt(self, name, send, expected_status):
        pipeline = self.pipeline(name, "sleep")
        helper = subprocess.Popen([HELPER, "test", "--pipeline", pipeline], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, start_new_session=True)
        watchdog = threading.Timer(120, helper.kill)  # never wait for the 300 s sleep
        watchdog.start()
        try:
            seen = wait_for_line(helper.stdout, "tests started")
            self.assertIn("tests started", seen)
            self.assertEqual(len(containers_of(name)), 1)
            started = time.monotonic()
            send(helper)
            rest = helper.communicate(timeout=60)[0]
            print(seen + rest)
            self.assertEqual(helper.returncode, expected_status)
            self.assertLess(time.monotonic() - started, 30)
            self.assertIn("interrupted", rest)
            self.assertEqual(containers_of(name), [])
        finally:
            watchdog.cancel()
            if helper.poll() is None:
                helper.kill()
            helper.stdout.close()

    def test_sigterm_to_the_helper(self):
        self.interrupt("stage-term", lambda helper: helper.send_signal(signal.SIGTERM), 143)

    def test_sigterm_to_the_process_group(self):
        self.interrupt("stage-termgroup", lambda helper: os.killpg(helper.pid, signal.SIGTERM), 143)

    def test_sigint_to_the_process_group(self):
        self.interrupt("stage-int", lambda helper: os.killpg(helper.pid, signal.SIGINT), 130)

    def test_test_env_values_are_not_in_the_containers_configuration(self):
        def inspect_then_interrupt(helper):
            (container,) = containers_of("stage-secret")
            configuration = docker("inspect", container)
            self.assertIn("/.docker-pipeline-env/env", configuration)  # the command that reads it
            self.assertNotIn(TOKEN, configuration)
            self.assertNotIn("STAGE_TOKEN", configuration)
            self.assertNotIn("STAGE_MODE", configuration)
            # The file that carried them was deleted before the tests started.
            self.assertEqual(docker("exec", container, "ls", "-A", "/.docker-pipeline-env"), "")
            os.killpg(helper.pid, signal.SIGINT)

        self.interrupt("stage-secret", inspect_then_interrupt, 130)

    def test_leftovers_of_a_killed_helper_are_removed_but_not_a_live_runs(self):
        name = "stage-leftover"
        pipeline = self.pipeline(name, "pass")
        image = f"{IMAGE}:{VERSION}"
        dead = subprocess.Popen(["true"])
        dead.wait()
        dead_owner = owner_label(dead.pid, 1)
        live_owner = owner_label(os.getpid(), start_time(os.getpid()))
        label = f"{PIPELINE_LABEL}={name}"
        exited = docker("run", "--detach", "--label", label, image, "true")  # its id
        self.assertRegex(exited, r"^[0-9a-f]{64}$")
        self.assertEqual(docker("wait", exited), "0")  # now an exited container
        orphan = docker("run", "--detach", "--label", label, "--label",
                        f"io.docker-pipeline.owner={dead_owner}", image, "sleep", "300")
        live = docker("run", "--detach", "--label", label, "--label",
                      f"io.docker-pipeline.owner={live_owner}", image, "sleep", "300")
        foreign = docker("run", "--detach", "--label", label, image, "sleep", "300")
        try:
            self.assertEqual(len(containers_of(name)), 4)
            status, output = run([HELPER, "test", "--pipeline", pipeline])
            self.assertEqual(status, 0, output)
            self.assertEqual(output.count("left behind by an earlier run"), 2, output)
            self.assertIn(f"removed container {orphan[:12]}", output)
            self.assertIn("its helper process is gone", output)
            self.assertIn(f"removed container {exited[:12]}", output)
            self.assertEqual(sorted(containers_of(name)), sorted([live[:12], foreign[:12]]))
        finally:
            for container in (exited, orphan, live, foreign):
                subprocess.run(["docker", "rm", "--force", container], capture_output=True)

    def test_a_killed_helpers_container_is_removed_by_the_next_run(self):
        name = "stage-killed"
        pipeline = self.pipeline(name, "sleep")
        helper = subprocess.Popen([HELPER, "test", "--pipeline", pipeline], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, start_new_session=True)
        watchdog = threading.Timer(120, lambda: os.killpg(helper.pid, signal.SIGKILL))
        watchdog.start()
        try:
            self.assertIn("tests started", wait_for_line(helper.stdout, "tests started"))
            helper.kill()  # SIGKILL: no clean-up; its docker client and the container live on
            self.assertEqual(len(containers_of(name)), 1)
            # Not reaped yet (a zombie) until the next line, which must not matter.
            status, output = run([HELPER, "test", "--timeout", "1", "--pipeline", pipeline])
            self.assertEqual(status, 124, output)
            self.assertIn("left behind by an earlier run of stage-killed (running; its helper "
                          "process is gone)", output)
            self.assertEqual(containers_of(name), [])
        finally:
            watchdog.cancel()
            try:
                os.killpg(helper.pid, signal.SIGKILL)  # its docker client, if still there
            except ProcessLookupError:
                pass
            helper.wait()
            helper.stdout.close()

    def test_artifact_names_must_not_clash(self):
        pipeline = self.pipeline("stage-clash", "pass", artifacts=["/a/reports", "/b/reports"])
        status, output = run([HELPER, "test", "--pipeline", pipeline])
        self.assertEqual(status, 1, output)
        self.assertIn("would both be copied to artifacts/reports", output)
        self.assertNotIn("docker-pipeline: testing", output)


def docker(*argv):
    return subprocess.run(["docker", *argv], check=True, capture_output=True,
                          text=True).stdout.strip()


def container_events(pipeline, since):
    """What the engine did to the pipeline's containers from `since` (a time.time()) to now."""
    return docker("events", "--since", f"{since:.3f}", "--until", f"{time.time():.3f}",
                  "--filter", "type=container", "--filter", f"label={PIPELINE_LABEL}={pipeline}",
                  "--format", "{{.Action}}").split()


def start_time(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[19])


def owner_label(pid, start):
    with open("/proc/sys/kernel/random/boot_id") as boot:
        boot_id = boot.read().strip()
    return (f"host={socket.gethostname()} boot={boot_id} pidns={os.readlink('/proc/self/ns/pid')} "
            f"pid={pid} start={start}")


def remove_containers_of_prefix(prefix):
    ids = subprocess.run(["docker", "ps", "--all", "--quiet", "--filter", f"label={PIPELINE_LABEL}",
                          "--format", "{{.ID}} {{.Label \"" + PIPELINE_LABEL + "\"}}"],
                         check=True, capture_output=True, text=True).stdout.split("\n")
    for line in ids:
        if " " in line and line.split(" ", 1)[1].startswith(prefix):
            subprocess.run(["docker", "rm", "--force", line.split()[0]], capture_output=True)


if __name__ == "__main__":
    unittest.main()
