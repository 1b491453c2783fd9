"""What the benchmarks share: running and timing commands, a pypiserver on 127.0.0.1, the phases
of a `--target publish` run, docker look-ups. Imported by the bench scripts beside it."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TOOLS = Path(sys.executable).parent  # the venv with pypiserver


# What the helper prints, read to tell what a run did. A variant's lines (MATRIX) start with its
# name in brackets once several run at once.
VARIANT = r"(?:\[\S+\] )?"
BUILT = re.compile(rf"^docker-pipeline: {VARIANT}building ", re.MULTILINE)
TESTED = re.compile(rf"^docker-pipeline: {VARIANT}testing ", re.MULTILINE)
VERIFIED = re.compile(r"^docker-pipeline: \S+: Python \S+, installing ", re.MULTILINE)
UP_TO_DATE = re.compile(rf"^docker-pipeline: {VARIANT}\S+ is up to date ", re.MULTILINE)
# Variables that would send a pipeline or a build somewhere else than a bench expects.
CLEARED = ("DOCKER_PIPELINE_ENGINE", "DOCKER_PIPELINE_FORCE", "DOCKER_PIPELINE_VERSION",
           "DOCKER_BUILDKIT", "TWINE_REPOSITORY", "TWINE_CERT", "SOURCE_DATE_EPOCH")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    pass


def run(argv, env, cwd=None, check=True):
    """Runs argv; returns (seconds, output, [(seconds since start, line)]). The output is kept for
    the checks and shown on failure."""
    started = time.perf_counter()
    process = subprocess.Popen([str(a) for a in argv], env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    lines = [(time.perf_counter() - started, line) for line in process.stdout]
    status = process.wait()
    seconds = time.perf_counter() - started
    output = "".join(line for _, line in lines)
    if check and status != 0:
        raise Failure(f"{' '.join(map(str, argv))} failed ({status}):\n{output}")
    return seconds, output, lines


# Where each target of `--target publish` starts in ninja's output.
PHASES = (("image", re.compile(r"^\[\d+/\d+\] Building Docker image ")),
          ("test", re.compile(r"^\[\d+/\d+\] Testing ")),
          ("verify", re.compile(r"^\[\d+/\d+\] Verifying ")),
          ("publish", re.compile(r"^\[\d+/\d+\] Publishing ")))


def phases(seconds, lines):
    """{phase: seconds} of one publish run, from when each target's line was printed."""
    starts = []
    for name, pattern in PHASES:
        found = next((t for t, line in lines if pattern.search(line)), None)
        if found is not None:
            starts.append((name, found))
    ends = [t for _, t in starts[1:]] + [seconds]
    return {name: end - start for (name, start), end in zip(starts, ends)}


class Index:
    """A pypiserver on 127.0.0.1 without authentication that lets an upload overwrite a file."""

    def __init__(self, folder):
        self.packages = folder / "packages"
        self.packages.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = folder / "index.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [TOOLS / "pypi-server", "run", "-i", "127.0.0.1", "-p", str(self.port),
                 "-a", ".", "-P", ".", "--overwrite", self.packages],
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "simple/", timeout=1)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise Failure(f"pypiserver did not start: {self.log.read_text()}")
                time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def files(self):
        return sorted(p.name for p in self.packages.iterdir())

    def upload_env(self, env):
        """`env` with this index as the upload URL. It takes uploads from anyone (-a . -P .); the
        uploader, like twine, still asks for a user and a password, so both are one placeholder."""
        anyone = "bench"
        return dict(env, TWINE_REPOSITORY_URL=self.url, TWINE_USERNAME=anyone,
                    TWINE_PASSWORD=anyone)


def remove_image(env, *tags):
    subprocess.run(["docker", "image", "rm", "--force", *tags], env=env, capture_output=True)


def containers_created(client, env, since):
    """The containers the engine created since `since` (docker events, whole seconds: the caller
    waits out the second before)."""
    done = subprocess.run([client, "events", "--since", str(int(since)),
                           "--until", str(int(time.time()) + 1), "--filter", "type=container",
                           "--filter", "event=create", "--format", "{{.ID}}"],
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def interrupted(signum, frame):
    raise KeyboardInterrupt
