"""What the integration tests share: a pypiserver per test, the example project, docker look-ups."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

SOURCE_DIR = Path(os.environ["DP_SOURCE_DIR"])
BUILD_DIR = Path(os.environ["DP_BUILD_DIR"])
WORK_DIR = Path(os.environ["DP_WORK_DIR"])
HELPER = os.environ["DP_HELPER"]
EXAMPLE_PROJECT = SOURCE_DIR / "example-project"
TOOLS = Path(sys.executable).parent  # the venv with pypiserver and twine
PIPELINE_LABEL = "io.docker-pipeline.pipeline"


def fresh_dir(name):
    path = WORK_DIR / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# What a CI job sets that changes the helper's output (groups, masks, summaries) or its uploads
# (trusted publishing): a test sees it only where it sets it itself.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "ACTIONS_ID_TOKEN_REQUEST_URL",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "GITLAB_CI", "PYPI_ID_TOKEN",
                "DOCKER_PIPELINE_TRUSTED_PUBLISHING")


def run(argv, env=None, cwd=None, timeout=900):
    """Runs argv, echoing its output into the test log; returns (status, output)."""
    full_env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    full_env.update(env or {})
    done = subprocess.run(argv, env=full_env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    print(f"$ {' '.join(map(str, argv))}\n{done.stdout}(exit status {done.returncode})", flush=True)
    return done.returncode, done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Index:
    """A pypiserver on 127.0.0.1 that only `user` with `password` may upload to."""

    user = "uploader"
    password = "index-Passw0rd-7f3a"

    def __init__(self, workdir):
        self.packages = workdir / "packages"
        self.packages.mkdir(parents=True)
        self.htpasswd = workdir / "htpasswd"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = workdir / "index.log"
        self.process = None

    def __enter__(self):
        from passlib.apache import HtpasswdFile

        users = HtpasswdFile(str(self.htpasswd), new=True)
        users.set_password(self.user, self.password)
        users.save()
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [TOOLS / "pypi-server", "run", "-i", "127.0.0.1", "-p", str(self.port),
                 "-P", self.htpasswd, "-a", "update", self.packages],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "simple/", timeout=1)
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"pypiserver did not start: {self.log.read_text()}")
                time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)

    def files(self):
        return sorted(p.name for p in self.packages.iterdir())

    def twine_env(self, password=None):
        return {"TWINE_REPOSITORY_URL": self.url, "TWINE_USERNAME": self.user,
                "TWINE_PASSWORD": password if password is not None else self.password}


def one_module_pyproject(project, module):
    """The pyproject.toml of a setuptools project of one module, its version stamped in by the
    pipeline (0.0.0 until then)."""
    return ("[build-system]\nrequires = [\"setuptools>=61\"]\n"
            "build-backend = \"setuptools.build_meta\"\n\n"
            f"[project]\nname = \"{project}\"\nversion = \"0.0.0\"\n\n"
            f"[tool.setuptools]\npy-modules = [\"{module}\"]\n")


def configure(source, binary, *definitions):
    status, output = run(["cmake", "-S", source, "-B", binary, "-G", "Ninja",
                          f"-DDockerPipeline_DIR={BUILD_DIR}", *definitions])
    if status != 0:
        raise RuntimeError(f"configuring {source} failed:\n{output}")


def build(binary, target, env=None):
    return run(["cmake", "--build", binary, "--target", target], env=env)


def pip_install(index_url, requirement, workdir):
    """Installs `requirement` from the index into a new venv; returns the venv's bin dir."""
    venv = workdir / "client-venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    status, output = run([venv / "bin" / "pip", "install", "--disable-pip-version-check",
                          "--no-cache-dir", "--index-url", index_url + "simple/", requirement])
    if status != 0:
        raise AssertionError(f"pip could not install {requirement}:\n{output}")
    return venv / "bin"


def containers_of(pipeline):
    return subprocess.run(["docker", "ps", "--all", "--quiet", "--filter",
                           f"label={PIPELINE_LABEL}={pipeline}"],
                          check=True, capture_output=True, text=True).stdout.split()


def events_during(action, kind, event):
    """Runs action(); returns its result and the ids of the `kind` objects (container, image) the
    engine reported `event` of meanwhile, from docker events (which filter by whole seconds: the
    second in which an earlier step did so is waited out first)."""
    time.sleep(1.1)
    since = str(int(time.time()))
    result = action()
    events = subprocess.run(
        ["docker", "events", "--since", since, "--until", str(int(time.time()) + 1),
         "--filter", f"type={kind}", "--filter", f"event={event}", "--format", "{{.Actor.ID}}"],
        capture_output=True, text=True, check=True).stdout
    return result, events.split()


def container_creates_during(action):
    """Runs action(); returns its result and the ids of the containers the engine created."""
    return events_during(action, "container", "create")


def images_of(repository, client="docker", env=None):
    """Every tag of `repository` in the engine, as "repository:tag" references."""
    done = subprocess.run([client, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}",
                           "--filter", f"reference={repository}:*"],
                          env=env, check=True, capture_output=True, text=True, timeout=600)
    return [reference for reference in done.stdout.split() if not reference.endswith(":<none>")]


def remove_images(*references, client="docker", env=None):
    """Removes the image tags `references` from the engine, if there; "repository:*" stands for
    every tag of the repository. Other tags of the same images (the base image's) stay. Fails if
    the engine could not remove one that is there (or could not be reached)."""
    tags = []
    for reference in references:
        if reference.endswith(":*"):
            tags += images_of(reference.removesuffix(":*"), client, env)
        else:
            tags.append(reference)
    if not tags:
        return
    done = subprocess.run([client, "image", "rm", "--force", *tags], env=env, capture_output=True,
                          text=True, timeout=600)
    print(f"$ {client} image rm --force {' '.join(tags)}\n{done.stdout}{done.stderr}"
          f"(exit status {done.returncode})", flush=True)
    missing = ("No such image", "image not known")
    if done.returncode != 0 and any(line and not any(m in line for m in missing)
                                    for line in done.stderr.splitlines()):
        raise RuntimeError(f"{client} could not remove {' '.join(tags)}: {done.stderr}")


def image_inspect(reference):
    done = subprocess.run(["docker", "image", "inspect", reference], capture_output=True, text=True)
    return json.loads(done.stdout)[0] if done.returncode == 0 else None


def run_in_image(image, *argv):
    return subprocess.run(["docker", "run", "--rm", "--workdir", "/", image, *argv],
                          check=True, capture_output=True, text=True).stdout.strip()


def wait_for_line(stream, text):
    """Reads `stream` until a line that ends with `text`; returns everything read. A line that
    only echoes a command printing `text` does not end with it; pytest's progress dots may come
    before it on the same line. Fails if the stream ends first."""
    seen = ""
    for line in stream:
        seen += line
        if line.rstrip("\r\n").endswith(text):
            return seen
    raise AssertionError(f"the output ended without a line ending with {text!r}:\n{seen}")


def wheel_metadata_version(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        for line in archive.read(name).decode().splitlines():
            if line.startswith("Version: "):
                return line.split(": ", 1)[1]
    return None


def git_status():
    return subprocess.run(["git", "-C", SOURCE_DIR, "status", "--porcelain", "--untracked-files=all"],
                          check=True, capture_output=True, text=True).stdout


def pip_install_from_simple(simple_url, requirement, venv):
    """Installs `requirement` from a simple index URL (devpi's +simple/) into a new venv `venv`;
    returns the venv's bin dir."""
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    status, output = run([venv / "bin" / "pip", "install", "--disable-pip-version-check",
                          "--no-cache-dir", "--index-url", simple_url, requirement], timeout=300)
    if status != 0:
        raise AssertionError(f"pip could not install {requirement} from {simple_url}:\n{output}")
    return venv / "bin"


def simple_index_sha256s(project_url):
    """{file name: sha256} from a PEP 503 project page (the #sha256= fragments of its links)."""
    import re

    page = urllib.request.urlopen(project_url, timeout=30).read().decode()
    return {name: digest for digest, name in
            re.findall(r'href="[^"]*#sha256=([0-9a-f]{64})"[^>]*>([^<]+)</a>', page)}


class Registry:
    """Debian's docker-registry (the distribution registry) on 127.0.0.1 with htpasswd auth, and a
    docker config folder (DOCKER_CONFIG) logged in to it: the engine reaches 127.0.0.0/8 over
    plain HTTP."""

    user = "pusher"
    password = "registry-Passw0rd-91c2"

    def __init__(self, workdir):
        self.root = workdir / "registry"
        self.root.mkdir(parents=True)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.docker_config = workdir / "docker-config"
        self.log = self.root / "registry.log"
        self.process = None

    def __enter__(self):
        subprocess.run(["htpasswd", "-Bbc", self.root / "htpasswd", self.user, self.password],
                       check=True, capture_output=True)
        (self.root / "config.yml").write_text(
            "version: 0.1\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.root / 'data'}\n"
            f"http:\n  addr: {self.host}\n"
            f"auth:\n  htpasswd:\n    realm: dp-test\n    path: {self.root / 'htpasswd'}\n")
        self.start()
        self.docker_config.mkdir(exist_ok=True)
        subprocess.run(["docker", "--config", self.docker_config, "login", self.host, "-u",
                        self.user, "--password-stdin"], input=self.password, text=True,
                       check=True, capture_output=True)
        return self

    def start(self):
        """Starts the registry (again: its storage is kept) and waits until it answers."""
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(["docker-registry", "serve", self.root / "config.yml"],
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1)
            except urllib.error.HTTPError:
                return  # 401: it answers
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"docker-registry did not start: {self.log.read_text()}")
                time.sleep(0.1)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def env(self):
        return {"DOCKER_CONFIG": str(self.docker_config)}

    def manifest(self, repository, reference):
        """(Docker-Content-Digest, the manifest's JSON) of repository:reference, or None."""
        import base64

        request = urllib.request.Request(
            f"http://{self.host}/v2/{repository}/manifests/{reference}",
            headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json, "
                               "application/vnd.oci.image.manifest.v1+json",
                     "Authorization": "Basic " + base64.b64encode(
                         f"{self.user}:{self.password}".encode()).decode()})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.headers["Docker-Content-Digest"], json.loads(answer.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise


class PodmanStorage:
    """A podman storage of the test's own (so the machine's is never touched), with the docker
    engine's `images` loaded into it (no registry can be pulled from). podman 4.3 here needs
    `default_ulimits = []` in its containers.conf."""

    def __init__(self, *images):
        self.images = images
        self.root = None

    def __enter__(self):
        # A short path: podman's run dir holds sockets, whose paths may not be long.
        self.root = Path(tempfile.mkdtemp(prefix="dp-podman-"))
        (self.root / "containers.conf").write_text("[containers]\ndefault_ulimits = []\n")
        (self.root / "storage.conf").write_text(
            f'[storage]\ndriver = "overlay"\ngraphroot = "{self.root}/root"\n'
            f'runroot = "{self.root}/run"\n')
        for image in self.images:
            save = subprocess.Popen(["docker", "save", image], stdout=subprocess.PIPE)
            done = subprocess.run(["podman", "load"], env=dict(os.environ, **self.env()),
                                  stdin=save.stdout, capture_output=True, text=True)
            save.stdout.close()
            if save.wait() != 0 or done.returncode != 0:
                self.__exit__()
                raise AssertionError(f"could not load {image} into podman: {done.stderr}")
        return self

    def env(self):
        return {"CONTAINERS_CONF": str(self.root / "containers.conf"),
                "CONTAINERS_STORAGE_CONF": str(self.root / "storage.conf")}

    def __exit__(self, *exc):
        env = dict(os.environ, **self.env())
        try:
            for argv in (["rm", "--all", "--force"], ["image", "rm", "--all", "--force"]):
                subprocess.run(["podman", *argv], env=env, capture_output=True, timeout=600)
        finally:
            # Nothing of the storage may stay mounted before it is removed.
            mounts = Path("/proc/self/mounts").read_text().split("\n")
            for line in reversed(mounts):
                fields = line.split()
                if len(fields) > 1 and fields[1].startswith(str(self.root)):
                    subprocess.run(["umount", "--lazy", fields[1]], check=False)
            shutil.rmtree(self.root, ignore_errors=True)


def command_lines():
    """Every process's argv, as /proc/*/cmdline holds it (NUL-separated)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            yield cmdline.read_bytes()
        except OSError:
            continue


class ArgvWatch:
    """Reads every process's argv (/proc/*/cmdline) every 5 ms until stopped, keeping those that
    hold one of `secrets`, and counting those that hold one of `counted` (byte strings, NUL
    between arguments), so that a test knows the watch saw the children it meant to watch."""

    def __init__(self, secrets, counted=(b"docker\0push", b"docker\0tag")):
        self.secrets = [s.encode() for s in secrets]
        self.counted = list(counted)
        self.found = []
        self.seen = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch)

    def watch(self):
        while not self.stop.is_set():
            for argv in command_lines():
                if any(pattern in argv for pattern in self.counted):
                    self.seen += 1
                if any(secret in argv for secret in self.secrets):
                    self.found.append(argv.replace(b"\0", b" ").decode(errors="replace"))
            time.sleep(0.005)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
