"""The example's native pipeline (pyfast: C++ with pybind11 bindings) on the real engine and a real
index: manylinux wheels for CPython 3.9, 3.11 and 3.13 and an sdist released from a clean state,
then pip-installed from the index on each Python and called into; a wheel left as linux_x86_64
refused for PyPI and accepted with a warning by a local index; a C++ compile error stops the
image stage with the compiler's message and uploads nothing.

The Dockerfile mounts a compiler cache (RUN --mount), so it builds with BuildKit: Debian's
/usr/bin/docker, which has it built in (the docker first in PATH here has no buildx)."""

import json
import shutil
import sys
import unittest

from harness import (EXAMPLE_PROJECT, Index, build, configure, container_creates_during,
                     containers_of, fresh_dir, images_of, remove_images, run)

BUILDKIT = {"DOCKER_PIPELINE_ENGINE": "/usr/bin/docker"}
PYTHONS = {"bookworm": "3.11", "bullseye": "3.9", "trixie": "3.13"}
VERSION = "0.1.0"
WHEELS = ["pyfast-0.1.0-cp311-cp311-manylinux_2_34_x86_64.whl",
          "pyfast-0.1.0-cp313-cp313-manylinux_2_39_x86_64.whl",
          "pyfast-0.1.0-cp39-cp39-manylinux_2_27_x86_64.whl"]
REPAIR = "auditwheel repair --wheel-dir dist /tmp/wheel/pyfast-*.whl"
# The copy of pyfast whose wheel is not repaired: one variant, its own image and pipeline.
RAW_CMAKELISTS = """cmake_minimum_required(VERSION 3.25)
project(raw LANGUAGES NONE)
find_package(DockerPipeline REQUIRED CONFIG)
include(DockerPipeline)
add_docker_pipeline(rawfast
  CONTEXT      pyfast
  IMAGE        dp-test/rawfast
  VERSION      0.1.0
  STAMP        pyproject.toml python/pyfast/__init__.py
  TEST_COMMAND python3 -m pytest -q -p no:cacheprovider tests
  DIST_DIR     /pyfast/dist
  WHEELHOUSE   ${RAW_WHEELHOUSE}
  REPOSITORY   ${RAW_REPOSITORY})
"""


def install_and_call(index_url, suite):
    """pip-installs pyfast from the index in a clean container of the suite's Python and calls
    into the C++; returns (status, output)."""
    script = (f"python3 -m venv /v && /v/bin/pip install -q --disable-pip-version-check "
              f"--index-url {index_url}simple/ pyfast=={VERSION} && /v/bin/python -c "
              "'import sys, pyfast; print(sys.version_info[:2], pyfast.__version__, "
              "pyfast.primes_below(30), pyfast.summarize([1, 2, 3]).mean)'")
    return run(["docker", "run", "--rm", "--network", "host",
                f"docker-pipeline/python3:{suite}", "sh", "-c", script])


class Native(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        remove_images("pyfast:*", "dp-test/rawfast:*")
        cls.addClassCleanup(remove_images, "pyfast:*", "dp-test/rawfast:*")
        cls.work = fresh_dir("native")
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.binary = cls.work / "example"
        configure(EXAMPLE_PROJECT, cls.binary, "-DEXAMPLE_PYFAST=ON",
                  f"-DPython3_EXECUTABLE={sys.executable}", f"-DPYFAST_REPOSITORY={cls.index.url}")
        # The copy whose wheel is not repaired, with the wheelhouse the example fills.
        cls.raw = cls.work / "raw"
        shutil.copytree(EXAMPLE_PROJECT / "pyfast", cls.raw / "pyfast",
                        ignore=shutil.ignore_patterns("build", "dist"))
        (cls.raw / "CMakeLists.txt").write_text(RAW_CMAKELISTS)
        dockerfile = cls.raw / "pyfast" / "Dockerfile"
        text = dockerfile.read_text()
        assert REPAIR in text, "the example's Dockerfile no longer repairs its wheel this way"
        dockerfile.write_text(text.replace(REPAIR, "mkdir -p dist && cp /tmp/wheel/pyfast-*.whl dist/"))

    def publish(self):
        return build(self.binary, "pyfast-publish", env=dict(BUILDKIT, **self.index.twine_env()))

    def test_1_released_from_a_clean_state_installed_from_the_index_on_every_python(self):
        self.assertEqual(images_of("pyfast"), [])
        status, output = self.publish()
        self.assertEqual(status, 0, output)
        self.assertIn("pyfast 0.1.0: 3 variants of BASE_IMAGE", output)
        self.assertIn("pyfast 0.1.0 verified on bookworm, bullseye, trixie", output)
        self.assertEqual(self.index.files(), sorted(WHEELS + ["pyfast-0.1.0.tar.gz"]))
        # Wheels first, the sdist last: an index that shows the sdist has every wheel.
        uploads = [line.split()[1] for line in output.splitlines() if line.startswith("uploaded ")]
        self.assertEqual(sorted(uploads[:3]), WHEELS)
        self.assertEqual(uploads[3], "pyfast-0.1.0.tar.gz")
        self.assertEqual(containers_of("pyfast"), [])
        record = json.loads((self.binary / "pyfast" / "release.json").read_text())
        self.assertEqual(record["verify"], [{"image": f"docker-pipeline/python3:{suite}",
                                             "passed": True} for suite in PYTHONS])
        self.assertEqual(sorted(record["image"]["variants"]), sorted(PYTHONS))

        for suite, python in PYTHONS.items():
            with self.subTest(suite=suite):
                status, output = install_and_call(self.index.url, suite)
                self.assertEqual(status, 0, output)
                major, minor = python.split(".")
                self.assertIn(f"({major}, {minor}) 0.1.0 [2, 3, 5, 7, 11, 13, 17, 19, 23, 29] 2.0",
                              output)

        # Unchanged: no image build, no container; the journal settles every file.
        (status, output), created = container_creates_during(self.publish)
        self.assertEqual(status, 0, output)
        self.assertEqual(output.count("is up to date"), 4)  # three images and the release
        self.assertIn("release pyfast 0.1.0 is up to date", output)
        self.assertEqual(created, [])

    def raw_publish(self, repository):
        configure(self.raw, self.work / "raw-build", f"-DRAW_REPOSITORY={repository}",
                  f"-DRAW_WHEELHOUSE={self.binary / 'pyfast-wheelhouse'}")
        # No connection could leave this machine, should a check be missing.
        proxy = "http://127.0.0.1:9"
        env = dict(BUILDKIT, HOME=str(self.work), https_proxy=proxy, HTTPS_PROXY=proxy,
                   http_proxy=proxy, no_proxy="127.0.0.1", TWINE_USERNAME=self.index.user,
                   TWINE_PASSWORD=self.index.password)
        return build(self.work / "raw-build", "rawfast-publish", env=env)

    def test_2_a_wheel_left_as_linux_x86_64_is_refused_for_pypi_and_warned_about_elsewhere(self):
        uploaded = self.index.files()
        status, output = self.raw_publish("pypi")
        self.assertNotEqual(status, 0, output)
        self.assertIn("pyfast-0.1.0-cp311-cp311-linux_x86_64.whl", output)
        self.assertIn("linux_x86_64", output)
        self.assertIn("auditwheel repair", output)
        self.assertNotIn("Uploading distributions", output)

        status, output = self.raw_publish(self.index.url)
        self.assertEqual(status, 0, output)
        self.assertRegex(output, r"WARNING pyfast-0.1.0-cp311-cp311-linux_x86_64.whl: platform tag "
                                 r"linux_x86_64 is refused by PyPI")
        self.assertEqual(self.index.files(),
                         sorted(uploaded + ["pyfast-0.1.0-cp311-cp311-linux_x86_64.whl"]))

    def test_3_a_compile_error_stops_the_image_stage_with_the_compilers_message(self):
        source = self.raw / "pyfast" / "src" / "stats.cpp"
        source.write_text(source.read_text().replace("++s.count;", "++s.count_of_values;"))
        uploaded = self.index.files()
        status, output = self.raw_publish(self.index.url)
        self.assertNotEqual(status, 0, output)
        self.assertRegex(output, r"stats\.cpp:\d+:\d+: error: .*count_of_values")
        self.assertIn("docker-pipeline build: error:", output)
        self.assertEqual(self.index.files(), uploaded)
        self.assertEqual(containers_of("rawfast"), [])


if __name__ == "__main__":
    unittest.main()
