"""MATRIX on the real engine: two variants built, tested and published as one set of dists, and
each variant's image pushed under its own tag to a real registry; a file of one name with other
bytes in each variant refused; an unchanged publish does no Docker work."""

import unittest

from harness import (Index, Registry, build, configure, container_creates_during, containers_of,
                     fresh_dir, image_inspect, images_of, one_module_pyproject, remove_images)

IMAGE = "dp-test/matrix"
VERSION = "1.0"
# Both variants build with one toolchain and SOURCE_DATE_EPOCH, so their pure wheels are the same
# bytes; setuptools' sdists never are (the gzip header holds the build time): the primary variant
# alone builds the sdist, as ARG_VARIANT tells it.
DOCKERFILE = """FROM docker-pipeline/python3:bookworm
ARG ARG_VERSION
ARG ARG_VARIANT
ARG SOURCE_DATE_EPOCH
ARG GREETING
ENV GREETING=${GREETING}
WORKDIR /src
COPY . .
RUN python3 -m build --no-isolation --wheel --outdir dist . >/dev/null \\
 && if [ "$ARG_VARIANT" = hello ]; then python3 -m build --no-isolation --sdist --outdir dist . >/dev/null; fi
"""
PYPROJECT = one_module_pyproject("dpmatrix", "greeting")
CMAKELISTS = f"""cmake_minimum_required(VERSION 3.25)
project(matrix VERSION {VERSION} LANGUAGES NONE)
find_package(DockerPipeline REQUIRED CONFIG)
include(DockerPipeline)
add_docker_pipeline(mx
  CONTEXT      context
  IMAGE        {IMAGE}
  STAMP        pyproject.toml
  MATRIX       GREETING hello bonjour
  TEST_COMMAND python3 test_greeting.py
  DIST_DIR     /src/dist
  REPOSITORY   ${{MX_REPOSITORY}}
  PUSH         ${{MX_REGISTRY}}/dp-test/mx)
"""


class Matrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"{IMAGE}:*")
        cls.work = fresh_dir("matrix")
        cls.source = cls.work / "project"
        context = cls.source / "context"
        context.mkdir(parents=True)
        (cls.source / "CMakeLists.txt").write_text(CMAKELISTS)
        (context / "Dockerfile").write_text(DOCKERFILE)
        (context / "pyproject.toml").write_text(PYPROJECT)
        (context / "greeting.py").write_text("import os\n\nGREETING = os.environ['GREETING']\n")
        (context / "test_greeting.py").write_text(
            "from greeting import GREETING\n\nassert GREETING in ('hello', 'bonjour'), GREETING\n"
            "print('greeting', GREETING)\n")
        cls.dockerfile = context / "Dockerfile"
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.registry = cls.enterClassContext(Registry(cls.work))
        cls.addClassCleanup(remove_images, f"{cls.registry.host}/dp-test/mx:*")
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, f"-DMX_REPOSITORY={cls.index.url}",
                  f"-DMX_REGISTRY={cls.registry.host}")

    def publish(self):
        return build(self.binary, "publish", env=dict(self.index.twine_env(), **self.registry.env()))

    def test_1_two_variants_are_built_tested_and_published_as_one_set_of_dists(self):
        status, output = self.publish()
        self.assertEqual(status, 0, output)
        self.assertIn("mx 1.0: 2 variants of GREETING", output)
        self.assertIn("greeting hello", output)
        self.assertIn("greeting bonjour", output)
        self.assertIn("dpmatrix-1.0-py3-none-any.whl (from hello, bonjour)", output)
        self.assertIn("dpmatrix-1.0.tar.gz (from hello)", output)
        self.assertEqual(self.index.files(), ["dpmatrix-1.0-py3-none-any.whl",
                                              "dpmatrix-1.0.tar.gz"])
        self.assertEqual(sorted(images_of(IMAGE)),
                         [f"{IMAGE}:1.0", f"{IMAGE}:1.0-bonjour", f"{IMAGE}:1.0-hello"])
        hello = image_inspect(f"{IMAGE}:1.0-hello")
        self.assertEqual(hello["Id"], image_inspect(f"{IMAGE}:1.0")["Id"])  # the primary
        labels = image_inspect(f"{IMAGE}:1.0-bonjour")["Config"]["Labels"]
        self.assertEqual(labels["io.docker-pipeline.variant"], "bonjour")
        self.assertEqual(labels["org.opencontainers.image.version"], VERSION)
        self.assertEqual(containers_of("mx"), [])
        # Each variant's image under its own tag, the first also under the version's.
        for tag, image in (("1.0-hello", "1.0-hello"), ("1.0", "1.0-hello"),
                           ("1.0-bonjour", "1.0-bonjour")):
            _, manifest = self.registry.manifest("dp-test/mx", tag)
            self.assertEqual(manifest["config"]["digest"], image_inspect(f"{IMAGE}:{image}")["Id"])

        # Unchanged: no build and no container; the journal settles both files.
        (status, output), created = container_creates_during(self.publish)
        self.assertEqual(status, 0, output)
        # Both images, the three pushed tags and the release.
        self.assertEqual(output.count("is up to date"), 6)
        self.assertIn("release mx 1.0 is up to date", output)
        self.assertEqual(output.count("passed before and nothing changed"), 2)
        self.assertEqual(created, [])

    def test_2_a_file_of_one_name_with_other_bytes_is_refused(self):
        self.dockerfile.write_text(DOCKERFILE.replace(' && if [ "$ARG_VARIANT" = hello ]; then',
                                                      ' && if true; then'))
        self.addCleanup(self.dockerfile.write_text, DOCKERFILE)
        uploaded = self.index.files()
        status, output = self.publish()
        self.assertNotEqual(status, 0)
        self.assertRegex(output, r"dpmatrix-1\.0\.tar\.gz differs between the variants hello "
                                 r"\(sha256 [0-9a-f]{12}\) and bonjour \(sha256 [0-9a-f]{12}\)")
        self.assertFalse((self.binary / "docker-pipeline" / "mx" / "test.passed").exists())
        self.assertEqual(self.index.files(), uploaded)
        self.assertEqual(containers_of("mx"), [])


if __name__ == "__main__":
    unittest.main()
