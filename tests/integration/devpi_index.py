"""A devpi-server on 127.0.0.1 with its own server dir, a user and one index per name asked for."""

import shutil
import subprocess
import time
import urllib.request

from harness import TOOLS, free_port


def devpi_available():
    return all(shutil.which(tool, path=str(TOOLS)) for tool in ("devpi-server", "devpi-init", "devpi"))


class DevpiIndex:
    user = "uploader"
    password = "devpi-Passw0rd-c41e"

    def __init__(self, workdir, index_names):
        self.workdir = workdir
        self.index_names = index_names
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = workdir / "devpi.log"
        self.process = None

    def __enter__(self):
        server_dir = self.workdir / "server"
        self._tool(["devpi-init", "--serverdir", server_dir, "--no-root-pypi",
                    "--root-passwd", "root-Passw0rd"])
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [TOOLS / "devpi-server", "--serverdir", server_dir, "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_serving()
            client = ["--clientdir", self.workdir / "client"]
            self._tool(["devpi", "use", *client, self.url])
            self._tool(["devpi", "user", *client, "-c", self.user, f"password={self.password}",
                        "email=uploader@example.invalid"])
            self._tool(["devpi", "login", *client, self.user, "--password", self.password])
            for name in self.index_names:
                self._tool(["devpi", "index", *client, "-c", name, "bases=", "volatile=False"])
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def upload_url(self, index):
        return f"{self.url}{self.user}/{index}/"

    def simple_url(self, index):
        return f"{self.url}{self.user}/{index}/+simple/"

    def twine_env(self, index):
        return {"TWINE_REPOSITORY_URL": self.upload_url(index), "TWINE_USERNAME": self.user,
                "TWINE_PASSWORD": self.password}

    def _tool(self, argv):
        done = subprocess.run([TOOLS / argv[0], *argv[1:]], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {done.stdout}{done.stderr}")

    def _wait_until_serving(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "+api", timeout=1)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"devpi-server did not start: {self.log.read_text()}")
                time.sleep(0.2)
