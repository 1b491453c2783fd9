"""Faults across a whole release: the engine goes away in the middle of a build, a test run and a
dist copy; the helper is SIGKILLed at each stage boundary of the example's release. Each time the
failure is one clear line, nothing is left behind, nothing is lost, and running the same thing
again finishes the release, uploading nothing twice.

The engine "goes away" by its socket: the helper reaches the engine through a socat proxy
(DOCKER_HOST), which the test kills; the engine itself keeps running for the other tests.
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import unittest
import uuid

from harness import (EXAMPLE_PROJECT, HELPER, Index, command_lines, configure, containers_of,
                     fresh_dir, remove_images, wait_for_line)

IMAGE = "dp-test/faults"
SOCKET = "/var/run/docker.sock"


class EngineProxy:
    """A socat proxy to the engine's socket: DOCKER_HOST for the helper, until kill()."""

    def __init__(self, folder):
        self.path = folder / "docker.sock"
        self.process = None

    def start(self):
        self.path.unlink(missing_ok=True)
        self.process = subprocess.Popen(["socat", f"UNIX-LISTEN:{self.path},fork",
                                         f"UNIX-CONNECT:{SOCKET}"], start_new_session=True)
        deadline = time.monotonic() + 10
        while not self.path.exists():
            assert time.monotonic() < deadline, "socat did not listen"
            time.sleep(0.05)
        return self

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)  # the listener and every forked connection
        self.process.wait()

    @property
    def env(self):
        return {"DOCKER_HOST": f"unix://{self.path}"}


def helper_run(argv, env, until, then):
    """Runs the helper, calls then() once a line ends with `until`; returns (status, output)."""
    child = subprocess.Popen([HELPER, *map(str, argv)], env=dict(os.environ, **env),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(300, child.kill)
    watchdog.start()
    try:
        seen = wait_for_line(child.stdout, until)
        then()
        rest = child.communicate(timeout=120)[0]
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
    output = seen + rest
    print(f"$ {HELPER} {' '.join(map(str, argv))}\n{output}(exit status {child.returncode})")
    return child.returncode, output


def run_helper(argv, env):
    done = subprocess.run([HELPER, *map(str, argv)], env=dict(os.environ, **env),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    print(f"$ {HELPER} {' '.join(map(str, argv))}\n{done.stdout}(exit status {done.returncode})")
    return done.returncode, done.stdout


class FaultsImage(unittest.TestCase):
    """Pipelines of one small image, in versions that behave differently."""

    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"{IMAGE}:*")
        cls.work = fresh_dir(cls.__name__)
        cls.context = cls.work / "context"
        cls.context.mkdir()
        # 2.0 and 3.0 make a large dist (its copy takes a while, or does not fit); 1.0 sleeps in
        # its build, after a file of this run's own, so that no earlier run's layer cache skips
        # the step.
        (cls.context / "Dockerfile").write_text(
            "FROM docker-pipeline/python3:bookworm\nARG ARG_VERSION\n"
            "RUN mkdir -p /app/dist && case \"$ARG_VERSION\" in "
            "2.0) head -c 200000000 /dev/urandom > /app/dist/faults-2.0.tar.gz ;; "
            "3.0) head -c 40000000 /dev/urandom > /app/dist/faults-3.0.tar.gz ;; "
            "*) echo sdist > /app/dist/faults-$ARG_VERSION.tar.gz ;; esac\n"
            "COPY nonce /nonce\n"
            "RUN if [ \"$ARG_VERSION\" = 1.0 ]; then echo building-marker && sleep 4; fi\n")
        (cls.context / "nonce").write_text(uuid.uuid4().hex)

    def pipeline(self, name, version, command, output_dir=None, artifacts=()):
        path = self.work / f"{name}.pipeline.json"
        path.write_text(json.dumps({
            "name": name, "context": str(self.context), "dockerfile": "Dockerfile",
            "image": IMAGE, "version": version, "test_command": command, "dist_dir": "/app/dist",
            "artifacts": list(artifacts),
            "work_dir": str(self.work / name / "work"),
            "output_dir": str(output_dir or self.work / name / "out"),
            "binary_dir": str(self.work / name)}))
        return path


class EngineGoesAway(FaultsImage):
    def setUp(self):
        self.proxy = EngineProxy(self.work).start()
        self.addCleanup(lambda: self.proxy.process.poll() is None and self.proxy.kill())

    def assertEngineNamed(self, status, output):
        self.assertEqual(status, 1, output)
        errors = [line for line in output.splitlines() if line.startswith("docker-pipeline ")
                  and ": error: " in line]
        self.assertEqual(len(errors), 1, output)
        self.assertIn(f"the docker engine (DOCKER_HOST=unix://{self.proxy.path}) stopped answering",
                      errors[0])
        self.assertTrue(errors[0].endswith("run it again once it answers"), errors[0])

    def test_during_a_build(self):
        pipeline = self.pipeline("faults-build", "1.0", ["true"])
        status, output = helper_run(["build", "--pipeline", pipeline], self.proxy.env,
                                    "building-marker", self.proxy.kill)
        self.assertEngineNamed(status, output)
        self.assertIn("build failed", output)
        self.assertFalse((self.work / "faults-build" / "work" / "image.iid").exists())
        self.proxy.start()
        status, output = run_helper(["build", "--pipeline", pipeline], self.proxy.env)
        self.assertEqual(status, 0, output)
        self.assertIn(f"built {IMAGE}:1.0", output)

    def test_during_a_test_run(self):
        pipeline = self.pipeline("faults-test", "1.0",
                                 ["sh", "-c", "echo tests-started; sleep 4; echo tests-done"])
        self.assertEqual(run_helper(["build", "--pipeline", pipeline], self.proxy.env)[0], 0)
        status, output = helper_run(["test", "--pipeline", pipeline], self.proxy.env,
                                    "tests-started", self.proxy.kill)
        self.assertEngineNamed(status, output)
        self.assertFalse((self.work / "faults-test" / "work" / "test.passed").exists())
        self.assertFalse((self.work / "faults-test" / "out" / "dist").exists())
        self.proxy.start()
        status, output = run_helper(["test", "--pipeline", pipeline], self.proxy.env)
        self.assertEqual(status, 0, output)
        self.assertIn("left behind by an earlier run", output)  # the first run's container
        self.assertIn("tests-done", output)
        self.assertEqual(containers_of("faults-test"), [])

    def test_during_the_dist_copy(self):
        pipeline = self.pipeline("faults-copy", "2.0", ["true"])
        self.assertEqual(run_helper(["build", "--pipeline", pipeline], self.proxy.env)[0], 0)
        copying = b"docker\0cp\0"

        def kill_when_copying():
            deadline = time.monotonic() + 120
            while not any(copying in argv and b"/app/dist" in argv for argv in command_lines()):
                self.assertLess(time.monotonic(), deadline, "no docker cp of the dists was seen")
                time.sleep(0.005)
            self.proxy.kill()

        status, output = helper_run(["test", "--pipeline", pipeline], self.proxy.env,
                                    f"tests of {IMAGE}:2.0 passed", kill_when_copying)
        self.assertEngineNamed(status, output)
        self.assertIn("cannot copy /app/dist", output)
        out = self.work / "faults-copy" / "out"
        self.assertFalse((out / "dist").exists(), "a half-copied dist is where dists belong")
        self.assertEqual([p.name for p in out.iterdir() if p.name.startswith(".staging")], [])
        self.proxy.start()
        status, output = run_helper(["test", "--pipeline", pipeline], self.proxy.env)
        self.assertEqual(status, 0, output)
        self.assertEqual((out / "dist" / "faults-2.0.tar.gz").stat().st_size, 200000000)
        self.assertEqual(containers_of("faults-copy"), [])


class FullDisk(FaultsImage):
    """The folder the dists and artifacts are copied to is on a file system too small for them (a
    16 MB tmpfs the test mounts): a clear error, nothing half-written where dists or artifacts
    belong, and the dists, artifacts and record of the last passed run kept."""

    def small_file_system(self, name):
        mount = self.work / name
        mount.mkdir(exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], check=True)
        self.addCleanup(subprocess.run, ["umount", "--lazy", mount], check=True)
        return mount / "out"

    def test_the_dist_copy_fills_the_file_system(self):
        out = self.small_file_system("small-fs-dist")
        first = self.pipeline("faults-full", "1.0", ["true"], output_dir=out)
        self.assertEqual(run_helper(["build", "--pipeline", first], {})[0], 0)
        self.assertEqual(run_helper(["test", "--pipeline", first], {})[0], 0)
        record = self.work / "faults-full" / "work" / "test.passed"
        kept = record.read_bytes()

        second = self.pipeline("faults-full", "3.0", ["true"], output_dir=out)
        self.assertEqual(run_helper(["build", "--pipeline", second], {})[0], 0)
        status, output = run_helper(["test", "--pipeline", second], {})
        self.assertEqual(status, 1, output)
        self.assertRegex(output, r"(?m)^docker-pipeline test: error: cannot copy DIST_DIR /app/dist "
                                 r"out of the container: .*no space left on device")
        self.assertEqual(sorted(os.listdir(out)), ["dist"])  # no staging folder left
        self.assertEqual(os.listdir(out / "dist"), ["faults-1.0.tar.gz"])
        self.assertEqual(record.read_bytes(), kept)
        # What is there is never uploaded as 3.0.
        status, output = run_helper(["upload", "--dry-run", "--pipeline", second],
                                    {"TWINE_REPOSITORY_URL": "http://127.0.0.1:9/",
                                     "TWINE_USERNAME": "u", "TWINE_PASSWORD": "p"})
        self.assertEqual(status, 1, output)
        self.assertIn("faults-1.0.tar.gz", output)
        self.assertNotIn("would upload", output)
        self.assertEqual(containers_of("faults-full"), [])

    def test_the_artifact_copy_fills_the_file_system(self):
        out = self.small_file_system("small-fs-artifacts")
        report = "mkdir -p /app/reports && head -c {} /dev/urandom > /app/reports/report.bin"
        first = self.pipeline("faults-reports", "1.0", ["sh", "-c", report.format(1000)],
                              output_dir=out, artifacts=["/app/reports"])
        self.assertEqual(run_helper(["build", "--pipeline", first], {})[0], 0)
        self.assertEqual(run_helper(["test", "--pipeline", first], {})[0], 0)
        record = self.work / "faults-reports" / "work" / "test.passed"
        last_passed = [record, out / "artifacts" / "reports" / "report.bin",
                       out / "dist" / "faults-1.0.tar.gz"]
        kept = {path: path.read_bytes() for path in last_passed}

        # The same image, tests that write a report too large for the file system.
        second = self.pipeline("faults-reports", "1.0", ["sh", "-c", report.format(40000000)],
                               output_dir=out, artifacts=["/app/reports"])
        status, output = run_helper(["test", "--pipeline", second], {})
        self.assertEqual(status, 1, output)
        self.assertRegex(output, r"(?m)^docker-pipeline test: error: cannot copy ARTIFACTS "
                                 r"/app/reports out of the container: .*no space left on device$")
        self.assertEqual(sorted(os.listdir(out)), ["artifacts", "dist"])  # no staging folder
        self.assertEqual(os.listdir(out / "artifacts" / "reports"), ["report.bin"])
        for path, content in kept.items():
            self.assertEqual(path.read_bytes(), content, path)
        self.assertEqual(containers_of("faults-reports"), [])


def helper_pids(stage):
    """The pids of the docker-pipeline processes running `stage`."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"docker-pipeline") and stage.encode() in argv[1:2]:
            pids.append(int(entry.name))
    return pids


class KilledAtEachStageBoundary(unittest.TestCase):
    """The example's release (its publish target), with the helper SIGKILLed at each stage
    boundary: the next stage's helper as soon as it starts, the one before having finished. Then
    the same target again finishes the release: what finished is not done again, and each file is
    uploaded once."""

    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, "pydemo:0.0.9")
        cls.work = fresh_dir("killed")
        cls.source = cls.work / "project"
        shutil.copytree(EXAMPLE_PROJECT, cls.source, ignore=shutil.ignore_patterns("build"))
        cls.index = cls.enterClassContext(Index(cls.work / "index"))
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, "-DDOCKER_PIPELINE_VERSION=0.0.9",
                  "-DDOCKER_PIPELINE_LIVE_OUTPUT=OFF")

    def publish(self, kill_stage=None):
        """Runs the publish target; with `kill_stage`, SIGKILLs that stage's helper as soon as it
        runs. Returns (status, output, the pids killed)."""
        argv = ["cmake", "--build", self.binary, "--target", "publish"]
        child = subprocess.Popen(argv, env=dict(os.environ, **self.index.twine_env()),
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        killed = []
        deadline = time.monotonic() + 600
        while kill_stage and not killed and child.poll() is None:
            self.assertLess(time.monotonic(), deadline)
            for pid in helper_pids(kill_stage):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.002)
        output = child.communicate(timeout=900)[0]
        print(f"$ {' '.join(map(str, argv))}  # SIGKILL: {kill_stage}\n{output}"
              f"(exit status {child.returncode})")
        return child.returncode, output, killed

    def test_killed_at_each_boundary_then_the_release_finishes_once(self):
        work = self.binary / "docker-pipeline" / "pydemo"
        for stage, records_before in (("test", ["image.iid"]), ("verify", ["test.passed"]),
                                      ("publish", [f"verify/{tag}.passed" for tag in
                                                   ("bookworm", "bullseye", "trixie")])):
            status, output, killed = self.publish(kill_stage=stage)
            self.assertNotEqual(status, 0, output)
            self.assertTrue(killed, f"no docker-pipeline {stage} ran to be killed")
            for record in records_before:
                self.assertTrue((work / record).exists(), f"{record} before {stage}")
            self.assertEqual(self.index.files(), [])
        status, output, _ = self.publish()
        self.assertEqual(status, 0, output)
        # What finished before a kill was not done again.
        self.assertIn("pydemo:0.0.9 is up to date", output)
        self.assertIn("passed before and nothing changed", output)
        self.assertEqual(output.count("verified before and nothing changed"), 3)
        self.assertEqual(self.index.files(),
                         sorted(["pydemo-0.0.9-py3-none-any.whl", "pydemo-0.0.9.tar.gz"]))
        self.assertIn("2 uploaded, 0 skipped, 0 failed", output)
        self.assertEqual(containers_of("pydemo"), [])
        self.assertEqual(list((self.binary / "pydemo").rglob(".staging*")), [])
        # Run again: the release is done; nothing is sent.
        status, output, _ = self.publish()
        self.assertEqual(status, 0, output)
        self.assertIn("0 uploaded, 2 skipped, 0 failed", output)


if __name__ == "__main__":
    unittest.main()
