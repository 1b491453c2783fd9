"""PUSH and the release record on the real engine, a real index and a real registry (Debian's
docker-registry on 127.0.0.1, htpasswd auth, logged in through a DOCKER_CONFIG of the test's own):
a wrong registry password fails the preflight with nothing uploaded; publish uploads the dists,
then pushes the tested image, which the registry holds as that image (its config digest is the
image id) under the digest the helper printed, and release.json agrees with the index's files and
the registry's digests; an unchanged publish sends nothing and rewrites no record; another image
under a released tag is refused before anything is sent; no child of the helper ever has a
credential in its argv."""

import json
import os
import subprocess
import time
import unittest

from harness import (HELPER, ArgvWatch, Index, PodmanStorage, Registry, build, command_lines,
                     configure, events_during, fresh_dir, image_inspect, one_module_pyproject,
                     remove_images, run, simple_index_sha256s)

IMAGE = "dp-test/pushed"
REPOSITORY = "dp-test/app"
DOCKERFILE = """FROM docker-pipeline/python3:bookworm
ARG ARG_VERSION
ARG SOURCE_DATE_EPOCH
WORKDIR /src
COPY . .
RUN python3 -m build --no-isolation --wheel --outdir dist . >/dev/null
"""
PYPROJECT = one_module_pyproject("dppushed", "pushed")
CMAKELISTS = """cmake_minimum_required(VERSION 3.25)
project(pushed VERSION 1.0 LANGUAGES NONE)
find_package(DockerPipeline REQUIRED CONFIG)
include(DockerPipeline)
add_docker_pipeline(pushed
  CONTEXT      context
  IMAGE        {image}
  STAMP        pyproject.toml
  TEST_COMMAND python3 -c "import pushed"
  DIST_DIR     /src/dist
  REPOSITORY   ${{PUSHED_REPOSITORY}}
  PUSH         ${{PUSHED_REGISTRY}}/{repository}
  PUSH_LATEST  ON)
"""


def pushes_during(action):
    """Runs action(); returns its result and the images the engine pushed meanwhile."""
    return events_during(action, "image", "push")


class Push(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"{IMAGE}:*")
        cls.work = fresh_dir("push")
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.registry = cls.enterClassContext(Registry(cls.work))
        cls.addClassCleanup(remove_images, f"{cls.registry.host}/{REPOSITORY}:*")
        cls.source = cls.work / "project"
        context = cls.source / "context"
        context.mkdir(parents=True)
        (cls.source / "CMakeLists.txt").write_text(
            CMAKELISTS.format(image=IMAGE, repository=REPOSITORY))
        (context / "Dockerfile").write_text(DOCKERFILE)
        (context / "pyproject.toml").write_text(PYPROJECT)
        cls.module = context / "pushed.py"
        cls.module.write_text("GREETING = 'hello'\n")
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, f"-DPUSHED_REPOSITORY={cls.index.url}",
                  f"-DPUSHED_REGISTRY={cls.registry.host}")
        cls.pipeline = cls.binary / "pushed.pipeline.json"

    def env(self):
        return dict(self.index.twine_env(), **self.registry.env())

    def publish(self):
        return build(self.binary, "publish", env=self.env())

    def image_id(self):
        return (self.binary / "docker-pipeline" / "pushed" / "image.iid").read_text().strip()

    def test_0_a_wrong_registry_password_fails_the_preflight_with_nothing_uploaded(self):
        import base64

        config = self.work / "wrong-config"
        config.mkdir()
        wrong = "not-the-Passw0rd"
        auth = base64.b64encode(f"{self.registry.user}:{wrong}".encode()).decode()
        (config / "config.json").write_text(
            json.dumps({"auths": {self.registry.host: {"auth": auth}}}))
        (status, output), pushed = pushes_during(lambda: build(
            self.binary, "publish", env=dict(self.index.twine_env(), DOCKER_CONFIG=str(config))))
        self.assertNotEqual(status, 0)
        self.assertIn(f"registry {self.registry.host} refuses the credentials from "
                      f"{config / 'config.json'}", output)
        self.assertNotIn(wrong, output)
        self.assertEqual(self.index.files(), [])
        self.assertEqual(pushed, [])
        self.assertFalse((self.binary / "pushed" / "release.json").exists())

    def test_1_publish_uploads_then_pushes_the_tested_image(self):
        with ArgvWatch([self.registry.password, self.index.password]) as watch:
            status, output = self.publish()
        self.assertEqual(status, 0, output)
        self.assertEqual(watch.found, [])
        self.assertGreater(watch.seen, 0)
        self.assertNotIn(self.registry.password, output)
        self.assertEqual(self.index.files(), ["dppushed-1.0-py3-none-any.whl"])
        image_id = self.image_id()
        record_file = self.binary / "pushed" / "release.json"
        record = json.loads(record_file.read_text())
        self.assertEqual((record["format"], record["pipeline"], record["version"]),
                         ("1.0", "pushed", "1.0"))
        self.assertEqual(record["image"]["id"], image_id)
        self.assertEqual(record["registry"], f"{self.registry.host}/{REPOSITORY}")
        self.assertEqual(record["index"], self.index.url)
        self.assertNotIn(self.registry.password, record_file.read_text())
        self.assertNotIn(self.index.password, record_file.read_text())
        # The dists as the index has them.
        listed = simple_index_sha256s(f"{self.index.url}simple/dppushed/")
        self.assertEqual({d["file"]: d["sha256"] for d in record["dists"]}, listed)
        for dist in record["dists"]:
            self.assertEqual(dist["size"], (self.index.packages / dist["file"]).stat().st_size)
            self.assertTrue(dist["url"].startswith(self.index.url), dist["url"])
        pushed_tags = {p["tag"]: p["reference"] for p in record["image"]["pushed"]}
        for tag in ("1.0", "latest"):
            digest, manifest = self.registry.manifest(REPOSITORY, tag)
            self.assertEqual(manifest["config"]["digest"], image_id)
            self.assertEqual(pushed_tags[tag], f"{self.registry.host}/{REPOSITORY}@{digest}")
            self.assertIn(f"pushed {self.registry.host}/{REPOSITORY}:{tag} "
                          f"({self.registry.host}/{REPOSITORY}@{digest})", output)
        # docker-pipeline release shows it.
        status, shown = run([HELPER, "release", "--pipeline", self.pipeline])
        self.assertEqual(status, 0, shown)
        self.assertIn("pushed 1.0, released ", shown)
        self.assertIn(f"  1.0     {pushed_tags['1.0']}", shown)
        self.assertIn(f"dists on {self.index.url}", shown)
        # Pulled by its digest, it is the tested image.
        pinned = pushed_tags["1.0"]
        status, pulled = run(["docker", "--config", self.registry.docker_config, "pull", pinned])
        self.assertEqual(status, 0, pulled)
        self.assertEqual(image_inspect(pinned)["Id"], image_id)
        # The dists went first: the upload's lines come before the push's.
        self.assertLess(output.index("1 uploaded"),
                        output.index(f"docker-pipeline: pushed {self.registry.host}"))

        # Unchanged: the registry is asked, nothing is pushed, the record is not rewritten.
        written = record_file.read_text()
        (status, output), pushed = pushes_during(self.publish)
        self.assertEqual(status, 0, output)
        self.assertEqual(pushed, [])
        self.assertIn(f"{self.registry.host}/{REPOSITORY}:1.0 is up to date", output)
        self.assertIn("0 tags pushed", output)
        self.assertIn("release pushed 1.0 is up to date", output)
        self.assertEqual(record_file.read_text(), written)

    def test_2_another_image_under_a_released_tag_is_refused(self):
        # A file the wheel does not hold: another image, the same wheel (SOURCE_DATE_EPOCH).
        notes = self.source / "context" / "notes.txt"
        notes.write_text("not packaged\n")
        self.addCleanup(notes.unlink)
        before = self.registry.manifest(REPOSITORY, "1.0")
        uploaded = self.index.files()
        (status, output), pushed = pushes_during(self.publish)
        self.assertNotEqual(status, 0)
        self.assertIn(f"{self.registry.host}/{REPOSITORY}:1.0 is another image there", output)
        self.assertIn("a released version's tag is never moved", output)
        self.assertEqual(pushed, [])
        self.assertEqual(self.registry.manifest(REPOSITORY, "1.0"), before)
        self.assertEqual(self.index.files(), uploaded)


    def test_3_a_registry_gone_in_the_middle_is_finished_by_publishing_again(self):
        # A new version, so that there is something to upload and push.
        self.module.write_text("GREETING = 'second release'\n")
        self.addCleanup(self.module.write_text, "GREETING = 'hello'\n")
        configure(self.source, self.binary, "-DDOCKER_PIPELINE_VERSION=1.1")
        self.addCleanup(configure, self.source, self.binary, "-DDOCKER_PIPELINE_VERSION=")
        publish = subprocess.Popen(["cmake", "--build", self.binary, "--target", "publish"],
                                   env=dict(os.environ, **self.env()), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        # The registry dies once the engine's client is pushing: the dists are on the index by then.
        pushing = f"push\0--quiet\0{self.registry.host}/".encode()
        deadline = time.monotonic() + 600
        while not any(pushing in cmdline for cmdline in command_lines()):
            self.assertLess(time.monotonic(), deadline, "no docker push was started")
            self.assertIsNone(publish.poll(), "publish ended before it pushed")
            time.sleep(0.005)
        self.registry.kill()
        seen = publish.stdout.read()
        print(seen, flush=True)
        self.assertNotEqual(publish.wait(), 0)
        self.assertRegex(seen, r"docker-pipeline publish: error: .*(push|registry)")
        self.assertIn("dppushed-1.1-py3-none-any.whl", self.index.files())
        uploaded = self.index.files()

        self.registry.start()
        status, output = self.publish()
        self.assertEqual(status, 0, output)
        self.assertIn("uploaded earlier", output)
        self.assertNotIn("uploaded dppushed", output)
        self.assertEqual(self.index.files(), uploaded)
        digest, manifest = self.registry.manifest(REPOSITORY, "1.1")
        self.assertEqual(manifest["config"]["digest"], self.image_id())
        self.assertIn(f"{self.registry.host}/{REPOSITORY}@{digest}",
                      (self.binary / "pushed" / "release.json").read_text())


class PodmanPush(unittest.TestCase):
    """The same release with podman: its own storage, its auth file (REGISTRY_AUTH_FILE), its
    push over plain HTTP to a loopback registry (--tls-verify=false)."""

    @classmethod
    def setUpClass(cls):
        cls.work = fresh_dir("push-podman")
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.registry = cls.enterClassContext(Registry(cls.work))
        cls.storage = cls.enterClassContext(PodmanStorage("docker-pipeline/python3:bookworm"))
        cls.auth_file = cls.work / "auth.json"
        cls.env = dict(cls.index.twine_env(), REGISTRY_AUTH_FILE=str(cls.auth_file),
                       **cls.storage.env())
        subprocess.run(["podman", "login", "--tls-verify=false", cls.registry.host, "-u",
                        cls.registry.user, "--password-stdin"], input=cls.registry.password,
                       env=dict(os.environ, **cls.env), text=True, check=True,
                       capture_output=True)
        source = cls.work / "project"
        (source / "context").mkdir(parents=True)
        (source / "CMakeLists.txt").write_text(
            CMAKELISTS.format(image=IMAGE, repository=REPOSITORY))
        (source / "context" / "Dockerfile").write_text(DOCKERFILE)
        (source / "context" / "pyproject.toml").write_text(PYPROJECT)
        (source / "context" / "pushed.py").write_text("GREETING = 'from podman'\n")
        cls.binary = cls.work / "build"
        configure(source, cls.binary, "-DDOCKER_PIPELINE_ENGINE=podman",
                  f"-DPUSHED_REPOSITORY={cls.index.url}", f"-DPUSHED_REGISTRY={cls.registry.host}")

    def test_podman_pushes_the_tested_image_with_its_own_login(self):
        with ArgvWatch([self.registry.password, self.index.password]) as watch:
            status, output = build(self.binary, "publish", env=self.env)
        self.assertEqual(status, 0, output)
        self.assertEqual(watch.found, [])
        image_id = (self.binary / "docker-pipeline" / "pushed" / "image.iid").read_text().strip()
        digest, manifest = self.registry.manifest(REPOSITORY, "1.0")
        self.assertEqual(manifest["config"]["digest"].removeprefix("sha256:"),
                         image_id.removeprefix("sha256:"))
        pinned = f"{self.registry.host}/{REPOSITORY}@{digest}"
        self.assertIn(f"pushed {self.registry.host}/{REPOSITORY}:1.0 ({pinned})", output)
        env = dict(os.environ, **self.env)
        subprocess.run(["podman", "rmi", "--force", f"{self.registry.host}/{REPOSITORY}:1.0",
                        f"{self.registry.host}/{REPOSITORY}:latest"], env=env, capture_output=True)
        status, pulled = run(["podman", "pull", "--tls-verify=false", pinned], env=self.env)
        self.assertEqual(status, 0, pulled)
        inspected = subprocess.run(["podman", "image", "inspect", "--format", "{{.Id}}", pinned],
                                   env=env, capture_output=True, text=True, check=True).stdout
        self.assertEqual(inspected.strip(), image_id.removeprefix("sha256:"))


if __name__ == "__main__":
    unittest.main()
