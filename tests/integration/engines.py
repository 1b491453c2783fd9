"""The example project's test stage on every engine and builder this machine has.

Each case configures example-project into a fresh binary dir and runs
`cmake --build <bin> --target pydemo-test` (which builds the image first) with one engine, then
checks: the image is in that engine under <image>:<version> with the id the pipeline recorded,
its OCI labels, which builder built it (each prints its steps its own way), the dists and
artifacts copied out to <bin>/pydemo, and that no container of it is left. Each case sets a
version of its own (DOCKER_PIPELINE_VERSION), so its image tag is its own and other tests' pydemo
images are never touched; the tag is removed at the end.

- classic: the docker client first in PATH, which has no buildx plugin, so the classic builder;
- buildkit: Debian's /usr/bin/docker (20.10, BuildKit built in), named by DOCKER_PIPELINE_ENGINE;
  DOCKER_BUILDKIT is left unset, so the helper chooses BuildKit itself;
- podman: the cache variable DOCKER_PIPELINE_ENGINE=podman; CONTAINERS_CONF points at a
  containers.conf with `default_ulimits = []` (podman 4.3 cannot set the default ulimits here) and
  CONTAINERS_STORAGE_CONF at a storage of the test's own, into which the base image is loaded with
  `docker save | podman load`; the storage is removed at the end;
- remote: DOCKER_HOST=tcp://127.0.0.1:PORT, a socat proxy to /var/run/docker.sock started here,
  whose raw dump of the requests must show the build, the container and the copy; with the proxy
  stopped the same pipeline cannot reach its engine and uses no other; once with the docker first
  in PATH (classic builder), once with Debian's (BuildKit, whose session shares the proxied
  connection).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harness import (EXAMPLE_PROJECT, HELPER, SOURCE_DIR, PodmanStorage, configure, fresh_dir,
                     free_port, remove_images, wheel_metadata_version)

BASE_IMAGE = os.environ.get("DOCKER_PIPELINE_BASE_IMAGE", "docker-pipeline/python3:bookworm")
DOCKER_SOCKET = "/var/run/docker.sock"
DEBIAN_DOCKER = "/usr/bin/docker"
# What each builder prints for the Dockerfile's first instruction.
CLASSIC_STEPS = re.compile(r"^Step 1/\d+ : ", re.MULTILINE)
BUILDKIT_STEPS = re.compile(r"^#\d+ \[1/\d+\] FROM ", re.MULTILINE)
PODMAN_STEPS = re.compile(r"^STEP 1/\d+: ", re.MULTILINE)
# Variables that choose an engine or builder: each case starts without them.
ENGINE_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_BUILDKIT", "DOCKER_PIPELINE_ENGINE",
                    "DOCKER_PIPELINE_FORCE", "CONTAINER_HOST", "CONTAINERS_CONF",
                    "CONTAINERS_STORAGE_CONF", "SOURCE_DATE_EPOCH")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_VARIABLES}
    env.update(extra)
    return env


def run(argv, env, timeout=900, stdin=None):
    """Runs argv, echoing its output into the test log; returns (status, output)."""
    done = subprocess.run([str(a) for a in argv], env=env, stdin=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    print(f"$ {' '.join(map(str, argv))}\n{done.stdout}(exit status {done.returncode})", flush=True)
    return done.returncode, done.stdout


def git(*argv):
    done = subprocess.run(["git", "-C", SOURCE_DIR, *argv], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


class EngineCase:
    """One engine's run of the example's test stage; subclasses say which engine."""

    name = None          # the case, and its work dir
    version = None       # the pipeline's version: a tag no other test uses
    client = "docker"    # the client that inspects what the run made
    steps = None         # how the builder shows itself in the output
    definitions = ()     # more -D arguments at configure time

    @classmethod
    def environment(cls):
        return clean_env()

    @classmethod
    def prepare(cls):
        """Sets up the engine before the run (a proxy, a storage)."""

    @classmethod
    def after_run(cls):
        """Runs once the test stage is done, before the checks."""

    @classmethod
    def cleanup(cls):
        """Undoes prepare()."""

    @classmethod
    def engine_access(cls):
        """The client and environment that reach the engine the run used."""
        return {"client": cls.client, "env": cls.env}

    @classmethod
    def engine(cls, *argv, check=False):
        access = cls.engine_access()
        return subprocess.run([access["client"], *argv], env=access["env"], capture_output=True,
                              text=True, check=check, timeout=600)

    @classmethod
    def remove_image(cls):
        remove_images(cls.tag, **cls.engine_access())

    @classmethod
    def setUpClass(cls):
        cls.work = fresh_dir(cls.name)
        cls.tag = f"pydemo:{cls.version}"
        cls.binary = cls.work / "example"
        try:
            cls.prepare()
            cls.env = cls.environment()
            cls.remove_image()  # a leftover of an earlier run would make the build a no-op
            configure(EXAMPLE_PROJECT, cls.binary, f"-DDOCKER_PIPELINE_VERSION={cls.version}",
                      *cls.definitions)
            cls.heads = {git("rev-parse", "HEAD")}
            cls.started = datetime.now(timezone.utc)
            cls.status, cls.output = run(
                ["cmake", "--build", cls.binary, "--target", "pydemo-test"], env=cls.env)
            cls.finished = datetime.now(timezone.utc)
            cls.heads.add(git("rev-parse", "HEAD"))  # others may commit during the run
            cls.after_run()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if hasattr(cls, "env"):
                cls.remove_image()
        finally:
            cls.cleanup()

    # -- what every engine must have done --

    def pipeline(self):
        return json.loads((self.binary / "pydemo.pipeline.json").read_text())

    def image(self):
        done = self.engine("image", "inspect", self.tag)
        self.assertEqual(done.returncode, 0,
                         f"{self.client} has no image {self.tag}: {done.stderr}")
        return json.loads(done.stdout)[0]

    def labels(self):
        return self.image()["Config"]["Labels"]

    def test_stage_passes(self):
        self.assertEqual(self.status, 0, self.output)

    def test_the_expected_builder_built_the_image(self):
        self.assertRegex(self.output, self.steps)
        others = {CLASSIC_STEPS, BUILDKIT_STEPS, PODMAN_STEPS} - {self.steps}
        for other in others:
            self.assertNotRegex(self.output, other)

    def test_image_is_in_this_engine_with_the_recorded_id(self):
        image = self.image()
        recorded = (self.binary / "docker-pipeline" / "pydemo" / "image.iid").read_text().strip()
        self.assertEqual(image["Id"].removeprefix("sha256:"), recorded.removeprefix("sha256:"))

    def test_labels(self):
        labels = self.labels()
        self.assertEqual(labels["org.opencontainers.image.version"], self.version)
        self.assertEqual(labels["org.opencontainers.image.title"], "pydemo")
        self.assertEqual(labels["io.docker-pipeline.example.repository"], "pydemo")  # ARG_REPO
        created = labels["org.opencontainers.image.created"]
        created = datetime.fromisoformat(created.replace("Z", "+00:00"))
        self.assertIsNotNone(created.tzinfo)
        self.assertGreaterEqual(created, self.started.replace(microsecond=0) - timedelta(seconds=1))
        self.assertLessEqual(created, self.finished + timedelta(seconds=1))
        # The git HEAD of the context, -dirty when tracked files in it differ.
        revision = labels["org.opencontainers.image.revision"]
        self.assertRegex(revision, r"^[0-9a-f]{40}(-dirty)?$")
        self.assertIn(revision.removesuffix("-dirty"), self.heads)
        origin = git("remote", "get-url", "origin")
        if origin is None:  # no remote: no source label
            self.assertNotIn("org.opencontainers.image.source", labels)
        else:
            self.assertTrue(labels["org.opencontainers.image.source"])
            self.assertNotRegex(labels["org.opencontainers.image.source"], r"//[^/]*@")

    def test_dists_are_copied_out(self):
        dist = self.binary / "pydemo" / "dist"
        wheel = f"pydemo-{self.version}-py3-none-any.whl"
        self.assertEqual(sorted(p.name for p in dist.iterdir()),
                         [wheel, f"pydemo-{self.version}.tar.gz"])
        self.assertEqual(wheel_metadata_version(dist / wheel), self.version)

    def test_artifacts_are_copied_out(self):
        artifacts = self.pipeline().get("artifacts", [])
        self.assertEqual(artifacts, ["/pydemo/reports"])  # what example-project asks for
        report = self.binary / "pydemo" / "artifacts" / "reports" / "junit.xml"
        suite = ElementTree.parse(report).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        self.assertGreater(int(suite.get("tests")), 0)
        self.assertEqual((suite.get("failures"), suite.get("errors")), ("0", "0"))
        self.assertRegex(self.output, rf"\b{suite.get('tests')} passed, 0 failed, \d+ skipped")

    def test_no_container_is_left_behind(self):
        done = self.engine("ps", "--all", "--quiet", "--filter", f"ancestor={self.tag}", check=True)
        self.assertEqual(done.stdout.split(), [])


class ClassicBuilder(EngineCase, unittest.TestCase):
    name = "classic"
    version = "6.1.0"
    steps = CLASSIC_STEPS

    @classmethod
    def prepare(cls):
        client = shutil.which("docker")
        buildx = subprocess.run([client, "buildx", "version"], capture_output=True)
        if buildx.returncode == 0:
            raise AssertionError(f"{client}, the docker first in PATH, has the buildx plugin: this "
                                 "case needs a client without it (the classic builder)")


class BuildKit(EngineCase, unittest.TestCase):
    name = "buildkit"
    version = "6.2.0"
    client = DEBIAN_DOCKER
    steps = BUILDKIT_STEPS

    @classmethod
    def environment(cls):
        return clean_env(DOCKER_PIPELINE_ENGINE=DEBIAN_DOCKER)


class Podman(EngineCase, unittest.TestCase):
    name = "podman"
    version = "6.3.0"
    client = "podman"
    steps = PODMAN_STEPS
    definitions = ("-DDOCKER_PIPELINE_ENGINE=podman",)
    storage = None

    @classmethod
    def prepare(cls):
        cls.storage = PodmanStorage(BASE_IMAGE).__enter__()
        cls.env = cls.environment()

    @classmethod
    def environment(cls):
        return clean_env(**cls.storage.env())

    @classmethod
    def cleanup(cls):
        if cls.storage is not None:
            cls.storage.__exit__()

    def test_only_podman_has_the_image(self):
        self.image()
        done = subprocess.run(["docker", "image", "inspect", self.tag], capture_output=True)
        self.assertNotEqual(done.returncode, 0, "docker has the image podman was to build")


class RemoteEngine(EngineCase, unittest.TestCase):
    name = "remote"
    version = "6.4.0"
    steps = CLASSIC_STEPS  # the docker first in PATH
    proxy = None

    @classmethod
    def prepare(cls):
        cls.port = free_port()
        cls.log = cls.work / "proxy.log"
        # What the clients sent, raw: socat opens it once, O_APPEND, and writes each block it
        # relays whole, so concurrent connections never cut into a request line. (-v's text dump
        # is written piecemeal by every connection's process at once: in CI it interleaved two.)
        cls.traffic = cls.work / "proxy-requests.raw"
        with open(cls.log, "w") as log:
            # Its own process group: it forks a child per connection, all stopped together.
            cls.proxy = subprocess.Popen(
                ["socat", "-d", "-d", "-r", cls.traffic,
                 f"TCP-LISTEN:{cls.port},bind=127.0.0.1,reuseaddr,fork",
                 f"UNIX-CONNECT:{DOCKER_SOCKET}"],
                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or cls.proxy.poll() is not None:
                    raise AssertionError(f"socat did not listen: {cls.log.read_text()}")
                time.sleep(0.05)

    @classmethod
    def environment(cls):
        return clean_env(DOCKER_HOST=f"tcp://127.0.0.1:{cls.port}")

    @classmethod
    def stop_proxy(cls):
        if cls.proxy is not None and cls.proxy.poll() is None:
            os.killpg(cls.proxy.pid, signal.SIGTERM)
            cls.proxy.wait(timeout=10)

    @classmethod
    def after_run(cls):
        cls.through_proxy = subprocess.run(["docker", "image", "inspect", cls.tag], env=cls.env,
                                           capture_output=True, text=True)
        cls.stop_proxy()
        cls.traffic_text = cls.traffic.read_bytes().decode(errors="replace")
        # A podman the helper might turn to instead gets an empty storage of its own: the shared
        # one is never touched, and a build there fails (no base image).
        with tempfile.TemporaryDirectory(prefix="dp-podman-") as storage:
            conf = Path(storage) / "storage.conf"
            conf.write_text(f'[storage]\ndriver = "vfs"\ngraphroot = "{storage}/root"\n'
                            f'runroot = "{storage}/run"\n')
            cls.unreachable = run(
                [HELPER, "build", "--pipeline", cls.binary / "pydemo.pipeline.json"],
                env=dict(cls.env, CONTAINERS_STORAGE_CONF=str(conf)), timeout=120)

    @classmethod
    def engine_access(cls):
        # The same engine through its local socket: the proxy is stopped once the run is done.
        return {"client": "docker", "env": clean_env()}

    @classmethod
    def cleanup(cls):
        cls.stop_proxy()

    def test_image_is_seen_through_the_proxy(self):
        self.assertEqual(self.through_proxy.returncode, 0, self.through_proxy.stderr)
        self.assertEqual(json.loads(self.through_proxy.stdout)[0]["Id"], self.image()["Id"])

    def test_the_engine_was_reached_through_the_proxy(self):
        requests = re.findall(r"^(?:GET|HEAD|POST|PUT|DELETE) \S{,150}", self.traffic_text,
                              re.MULTILINE)
        for request in (r"POST /v[\d.]+/build\?", r"POST /v[\d.]+/containers/create",
                        r"/containers/[0-9a-f]+/archive\?path="):
            self.assertRegex(self.traffic_text, request,
                             "no such request through the proxy; it relayed:\n" + "\n".join(requests))

    def test_without_the_proxy_the_engine_is_unreachable(self):
        status, output = self.unreachable
        # DOCKER_HOST names the engine: when it does not answer, that is the error, and no other
        # engine (podman on this host) is used instead.
        why = ("with DOCKER_HOST naming an engine that does not answer, the build must fail "
               "naming it, not turn to another engine")
        self.assertNotEqual(status, 0, f"{why}:\n{output}")
        self.assertNotRegex(output, r"\bpodman\b", why)
        self.assertIn(f"127.0.0.1:{self.port}", output, why)

    def test_proxy_is_stopped(self):
        self.assertIsNotNone(self.proxy.poll())
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()


class RemoteBuildKit(RemoteEngine):
    """BuildKit through the proxy: its session runs over the same TCP connection."""

    name = "remote-buildkit"
    version = "6.5.0"
    client = DEBIAN_DOCKER
    steps = BUILDKIT_STEPS

    @classmethod
    def environment(cls):
        return dict(super().environment(), DOCKER_PIPELINE_ENGINE=DEBIAN_DOCKER)


if __name__ == "__main__":
    unittest.main()
