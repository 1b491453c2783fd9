"""VERSION_FROM GIT: the version comes from `git describe` at build time, and every stage agrees."""

import re
import shutil
import subprocess
import unittest

from dist_factory import write_wheel
from harness import (EXAMPLE_PROJECT, HELPER, Index, build, configure, fresh_dir, image_inspect,
                     remove_images, run, run_in_image, wheel_metadata_version)

PROJECT = """cmake_minimum_required(VERSION 3.25)
project(gitversioned LANGUAGES NONE)
find_package(DockerPipeline 0.1 REQUIRED CONFIG)
include(DockerPipeline)
add_docker_pipeline(pydemo
  CONTEXT python
  IMAGE dp-test/pydemo-git
  VERSION_FROM GIT
  STAMP pyproject.toml pydemo/__init__.py
  TEST_COMMAND python3 -m pytest -q tests
  DIST_DIR /pydemo/dist)
# Forgets the file the wheel's version comes from: its dists carry pyproject.toml's 0.0.0.
add_docker_pipeline(halfstamped
  CONTEXT python
  IMAGE dp-test/pydemo-halfstamped
  VERSION_FROM GIT
  STAMP pydemo/__init__.py
  DIST_DIR /pydemo/dist)
"""

GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def git(repo, *args):
    status, output = run(["git", "-C", repo, *args], env=GIT_ENV)
    if status != 0:
        raise RuntimeError(f"git {' '.join(args)} failed:\n{output}")
    return output.strip()


def status_of(repo):
    return git(repo, "status", "--porcelain", "--untracked-files=all")


class VersionFromGit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Each run tags images with its own commit's sha: all tags of both repositories go.
        cls.addClassCleanup(remove_images, "dp-test/pydemo-git:*", "dp-test/pydemo-halfstamped:*")
        cls.work = fresh_dir("version-from-git")
        cls.repo = cls.work / "repo"
        cls.repo.mkdir()
        shutil.copytree(EXAMPLE_PROJECT / "python", cls.repo / "python")
        (cls.repo / "CMakeLists.txt").write_text(PROJECT)
        git(cls.repo, "init", "-q", "-b", "main")
        git(cls.repo, "add", ".")
        git(cls.repo, "commit", "-q", "-m", "first")
        git(cls.repo, "tag", "v1.2.3")
        cls.binary = cls.work / "build"  # outside the repository
        configure(cls.repo, cls.binary)
        cls.work_dir = cls.binary / "docker-pipeline" / "pydemo"
        cls.output_dir = cls.binary / "pydemo"

    def test_1_on_the_tag_the_version_is_the_tags(self):
        status, output = build(self.binary, "pydemo-test")
        self.assertEqual(status, 0, output)
        image = image_inspect("dp-test/pydemo-git:1.2.3")
        self.assertIsNotNone(image, "tagged with the tag's version")
        self.assertEqual(image["Config"]["Labels"]["org.opencontainers.image.version"], "1.2.3")
        self.assertEqual(wheel_metadata_version(self.output_dir / "dist" / "pydemo-1.2.3-py3-none-any.whl"),
                         "1.2.3")


    def test_2_an_unchanged_tree_builds_and_tests_nothing(self):
        status, output = build(self.binary, "pydemo-test")
        self.assertEqual(status, 0, output)
        self.assertIn("dp-test/pydemo-git:1.2.3 is up to date", output)
        self.assertNotIn("Successfully built", output)

    def test_3_a_new_commit_changes_the_version_without_reconfiguring(self):
        readme = self.repo / "python" / "README.md"
        readme.write_text(readme.read_text() + "\nOne more line.\n")
        git(self.repo, "commit", "-q", "-am", "second")
        sha = git(self.repo, "rev-parse", "--short=9", "HEAD")
        version = f"1.2.4.dev1+g{sha}"
        status, output = build(self.binary, "pydemo-test")
        self.assertEqual(status, 0, output)
        self.assertNotIn("Re-running CMake", output)
        tag = f"dp-test/pydemo-git:1.2.4.dev1-g{sha}"
        image = image_inspect(tag)
        self.assertIsNotNone(image, f"the image is tagged {tag}")
        self.assertEqual(image["Config"]["Labels"]["org.opencontainers.image.version"], version)
        self.assertEqual(run_in_image(tag, "python3", "-c",
                                      "import pydemo; print(pydemo.__version__)"), version)
        wheel = self.output_dir / "dist" / f"pydemo-{version}-py3-none-any.whl"
        self.assertEqual(wheel_metadata_version(wheel), version)
        self.assertEqual(status_of(self.repo), "", "the working tree is never modified")

    def test_4_publish_uploads_the_built_version_and_pip_installs_it(self):
        sha = git(self.repo, "rev-parse", "--short=9", "HEAD")
        version = f"1.2.4.dev1+g{sha}"
        with Index(fresh_dir("version-from-git-index")) as index:
            status, output = build(self.binary, "pydemo-publish", env=index.twine_env())
            self.assertEqual(status, 0, output)
            self.assertEqual(index.files(), [f"pydemo-{version}-py3-none-any.whl",
                                             f"pydemo-{version}.tar.gz"])
        self.assertEqual(status_of(self.repo), "")

    def test_5_dists_of_another_version_stop_the_release_before_anything_is_sent(self):
        with Index(fresh_dir("version-from-git-stale")) as index:
            status, output = build(self.binary, "halfstamped-publish", env=index.twine_env())
            self.assertNotEqual(status, 0, output)
            self.assertRegex(output, r"not copied from /pydemo/dist \(not an sdist or wheel of "
                                     r"1\.2\.4\.dev1\+g[0-9a-f]+\): pydemo-0\.0\.0")
            self.assertEqual(index.files(), [])

            # upload refuses stale dists on its own too, not only because the test stage left
            # them behind
            dist = self.binary / "halfstamped" / "dist"
            write_wheel(dist, "pydemo", "0.0.0")
            status, output = run([HELPER, "upload", "--pipeline",
                                  self.binary / "halfstamped.pipeline.json"], env=index.twine_env())
            self.assertNotEqual(status, 0, output)
            self.assertRegex(output, r"version '0\.0\.0' in its metadata is not the pipeline's "
                                     r"version 1\.2\.4\.dev1\+g[0-9a-f]+.*nothing was uploaded")
            self.assertEqual(index.files(), [])

    def test_6_a_local_version_goes_to_no_other_index(self):
        status, output = run(["cmake", "--build", self.binary, "--target", "pydemo-publish"],
                             env={"TWINE_REPOSITORY_URL": "http://index.example.invalid/legacy/",
                                  "TWINE_USERNAME": "u", "TWINE_PASSWORD": "p"})
        self.assertNotEqual(status, 0, output)
        self.assertIn("is a local version", output)
        self.assertIn("--allow-local-version", output)


if __name__ == "__main__":
    unittest.main()
