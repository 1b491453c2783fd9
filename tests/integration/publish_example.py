"""The example project released through its `publish` target to a real pypiserver with a password."""

import hashlib
import os
import subprocess
import unittest

from harness import (EXAMPLE_PROJECT, Index, build, configure, containers_of, fresh_dir,
                     git_status, image_inspect, pip_install, remove_images, run_in_image,
                     wheel_metadata_version)

VERSION = "0.0.2"
DISTS = [f"pydemo-{VERSION}-py3-none-any.whl", f"pydemo-{VERSION}.tar.gz"]


def digests(index):
    return {name: hashlib.sha256((index.packages / name).read_bytes()).hexdigest()
            for name in index.files()}


class PublishExample(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"pydemo:{VERSION}")
        cls.work = fresh_dir("publish")
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.git_before = git_status()
        cls.binary = cls.work / "example"
        configure(EXAMPLE_PROJECT, cls.binary)
        cls.status, cls.output = build(cls.binary, "publish", env=cls.index.twine_env())
        cls.work_dir = cls.binary / "docker-pipeline" / "pydemo"
        cls.output_dir = cls.binary / "pydemo"

    def test_publish_uploads_sdist_and_wheel(self):
        self.assertEqual(self.status, 0, self.output)
        self.assertEqual(self.index.files(), DISTS)

    def test_pip_installs_that_exact_version_from_the_index(self):
        bin_dir = pip_install(self.index.url, f"pydemo=={VERSION}", self.work)
        out = run_in_venv(bin_dir / "python", "-c", "import pydemo; print(pydemo.__version__)")
        self.assertEqual(out, VERSION)
        self.assertEqual(run_in_venv(bin_dir / "pydemo", "pip"), f"Hello, pip! (pydemo {VERSION})")

    def test_image_is_tagged_with_the_version_it_was_built_for(self):
        image = image_inspect(f"pydemo:{VERSION}")
        self.assertIsNotNone(image)
        self.assertEqual(image["Id"], (self.work_dir / "image.iid").read_text().strip())
        labels = image["Config"]["Labels"]
        self.assertEqual(labels["org.opencontainers.image.version"], VERSION)
        self.assertEqual(labels["io.docker-pipeline.example.repository"], "pydemo")  # ARG_REPO

    def test_package_in_the_image_reports_the_version(self):
        out = run_in_image(f"pydemo:{VERSION}", "python3", "-c",
                           "import pydemo; print(pydemo.__version__)")
        self.assertEqual(out, VERSION)

    def test_wheel_metadata_carries_the_version(self):
        self.assertEqual(wheel_metadata_version(self.output_dir / "dist" / DISTS[0]), VERSION)

    def test_source_tree_is_not_modified(self):
        self.assertEqual(git_status(), self.git_before)

    def test_no_container_is_left_behind(self):
        self.assertEqual(containers_of("pydemo"), [])

    def test_password_is_never_printed_nor_in_the_image(self):
        self.assertNotIn(Index.password, self.output)
        history = subprocess.run(["docker", "history", "--no-trunc", f"pydemo:{VERSION}"],
                                 check=True, capture_output=True, text=True).stdout
        self.assertNotIn(Index.password, history)
        self.assertNotIn(Index.password, (self.binary / "pydemo.pipeline.json").read_text())

    def test_publish_through_a_pypirc_section(self):
        # REPOSITORY defaults to the section "local"; no TWINE_* variable is set.
        home = self.work / "home"
        home.mkdir()
        with Index(self.work / "second-index") as index:
            (home / ".pypirc").write_text(
                "[distutils]\nindex-servers =\n    local\n\n"
                f"[local]\nrepository = {index.url}\nusername = {index.user}\n"
                f"password = {index.password}\n")
            env = {"HOME": str(home), **{name: "" for name in os.environ if name.startswith("TWINE_")}}
            status, output = build(self.binary, "pydemo-publish", env=env)
            self.assertEqual(status, 0, output)
            self.assertEqual(index.files(), DISTS)
            self.assertNotIn(index.password, output)

    def test_second_publish_sends_nothing_and_without_its_journal_is_refused(self):
        before = digests(self.index)
        status, output = build(self.binary, "publish", env=self.index.twine_env())
        self.assertEqual(status, 0, output)
        self.assertIn("is up to date", output)  # no image build
        self.assertIn("0 uploaded, 2 skipped, 0 failed", output)
        self.assertEqual(digests(self.index), before)

        # Without the journal, the index's own answer decides: the same version is refused.
        (self.output_dir / "dist" / ".docker-pipeline-upload.json").unlink()
        status, output = build(self.binary, "publish", env=self.index.twine_env())
        self.assertNotEqual(status, 0)
        self.assertRegex(output, r"409|already exists")
        self.assertEqual(digests(self.index), before)
        self.assertNotIn(Index.password, output)

    def test_wrong_password_fails_and_is_not_printed(self):
        before = digests(self.index)
        wrong = "wrong-Passw0rd-91c2"
        status, output = build(self.binary, "pydemo-publish", env=self.index.twine_env(wrong))
        self.assertNotEqual(status, 0)
        self.assertRegex(output, r"40[13]")
        self.assertIn("refused user 'uploader' from TWINE_USERNAME", output)
        self.assertNotIn(wrong, output)
        self.assertEqual(digests(self.index), before)


def run_in_venv(program, *args):
    return subprocess.run([program, *args], check=True, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    unittest.main()
