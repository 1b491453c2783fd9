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
