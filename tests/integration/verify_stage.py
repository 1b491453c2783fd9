"""The verify stage: the dists installed in clean images of three Pythons and tested there."""

import shutil
import signal
import subprocess
import time
import unittest

from harness import (EXAMPLE_PROJECT, HELPER, Index, build, configure, container_creates_during,
                     containers_of, fresh_dir, remove_images, run)

PYPROJECT_PACKAGES = 'packages = ["pydemo"]'
SECRET = "it's a s3cret & $HOME"  # TEST_ENV reaches the verify images' tests too, quoted whole


class VerifyStage(unittest.TestCase):
    """pydemo grows a subpackage its tests import: the source tree has it, the wheel must too."""

    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, "pydemo:0.0.7")
        cls.work = fresh_dir("verify")
        cls.source = cls.work / "project"
        shutil.copytree(EXAMPLE_PROJECT, cls.source)
        python = cls.source / "python"
        (python / "pydemo" / "extra").mkdir()
        (python / "pydemo" / "extra" / "__init__.py").write_text("ANSWER = 42\n")
        (python / "tests" / "test_extra.py").write_text(
            "import os\n\nfrom pydemo.extra import ANSWER\n\n\ndef test_extra():\n"
            f"    assert ANSWER == 42\n    assert os.environ['DP_SECRET'] == {SECRET!r}\n")
        cmakelists = cls.source / "CMakeLists.txt"
        text = cmakelists.read_text()
        assert "  ARTIFACTS    /pydemo/reports\n" in text
        cmakelists.write_text(text.replace(
            "  ARTIFACTS    /pydemo/reports\n",
            f"  ARTIFACTS    /pydemo/reports\n  TEST_ENV     \"DP_SECRET={SECRET}\"\n", 1))
        cls.pyproject = python / "pyproject.toml"
        assert PYPROJECT_PACKAGES in cls.pyproject.read_text()
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, "-DDOCKER_PIPELINE_VERSION=0.0.7",
                  f"-DPYDEMO_REPOSITORY={cls.index.url}")
        cls.pipeline = cls.binary / "pydemo.pipeline.json"

    def set_packages(self, packages):
        text = self.pyproject.read_text()
        start = text.index("packages = [")
        end = text.index("]", start) + 1
        self.pyproject.write_text(text[:start] + packages + text[end:])

    def test_1_a_wheel_without_the_subpackage_passes_the_tests_but_not_verify(self):
        self.set_packages(PYPROJECT_PACKAGES)
        status, output = build(self.binary, "publish", env=self.index.twine_env())
        self.assertNotEqual(status, 0)
        self.assertIn("tests of pydemo:0.0.7 passed", output)  # from the source tree: it is there
        self.assertIn("No module named 'pydemo.extra'", output)
        self.assertIn("nothing is published", output)
        self.assertEqual(self.index.files(), [])
        self.assertEqual(containers_of("pydemo"), [])

    def test_2_fixed_it_verifies_on_three_pythons_and_publishes_each_file_once(self):
        self.set_packages('packages = ["pydemo", "pydemo.extra"]')
        status, output = build(self.binary, "publish", env=self.index.twine_env())
        self.assertEqual(status, 0, output)
        for tag, python in (("bullseye", "3.9"), ("bookworm", "3.11"), ("trixie", "3.13")):
            self.assertRegex(output, rf"{tag}: Python {python}\.\d+, installing "
                                     r"pydemo-0\.0\.7-py3-none-any\.whl")
            self.assertRegex(output, rf"\n  {tag} +{python}\.\d+ +pydemo-0\.0\.7-py3-none-any\.whl"
                                     r"[ +a-z0-9.\-]* passed +5 passed, 0 failed")
            self.assertTrue((self.binary / "pydemo" / "verify" / tag / "reports" /
                             "junit.xml").is_file())
        # The first image also built and installed the sdist.
        self.assertIn("bookworm: Python 3.11", output)
        self.assertIn("installing pydemo-0.0.7-py3-none-any.whl + pydemo-0.0.7.tar.gz", output)
        self.assertEqual(sorted(self.index.files()),
                         ["pydemo-0.0.7-py3-none-any.whl", "pydemo-0.0.7.tar.gz"])
        self.assertEqual(containers_of("pydemo"), [])

        # Unchanged: no container is started for verify (docker events would show its create).
        (status, output), created = container_creates_during(
            lambda: build(self.binary, "pydemo-verify"))
        self.assertEqual(status, 0, output)
        self.assertEqual(created, [])
        self.assertEqual(output.count("verified before and nothing changed"), 3)

        # CTest runs one image per test, with the test stage as fixture.
        status, output = run(["ctest", "--test-dir", self.binary, "-R", r"pydemo\.verify\."])
        self.assertEqual(status, 0, output)
        for tag in ("bullseye", "bookworm", "trixie"):
            self.assertIn(f"pydemo.verify.{tag}", output)

    def test_4_an_image_below_requires_python_is_named_with_both_versions(self):
        text = self.pyproject.read_text()
        self.pyproject.write_text(text.replace('requires-python = ">=3.9"',
                                               'requires-python = ">=3.10"'))
        self.addCleanup(self.pyproject.write_text, text)
        status, output = build(self.binary, "pydemo-test")
        self.assertEqual(status, 0, output)
        status, output = run([HELPER, "verify", "--pipeline", self.pipeline,
                              "--image", "docker-pipeline/python3:bullseye"])
        self.assertEqual(status, 1)
        self.assertRegex(output, r"verify image docker-pipeline/python3:bullseye has Python "
                                 r"3\.9\.\d+, outside the Requires-Python >=3\.10 of pydemo 0\.0\.7")
        self.assertEqual(containers_of("pydemo"), [])

    def test_3_ctrl_c_during_parallel_verify_leaves_no_container(self):
        # The image and dists of test_2, unchanged.
        process = subprocess.Popen(
            [HELPER, "verify", "--pipeline", self.pipeline, "--force", "--jobs", "3"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(containers_of("pydemo")) < 2:
            time.sleep(0.2)
        self.assertGreaterEqual(len(containers_of("pydemo")), 2, "the verify containers never ran")
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)
        print(output)
        self.assertEqual(process.returncode, 128 + signal.SIGINT)
        self.assertEqual(containers_of("pydemo"), [])


if __name__ == "__main__":
    unittest.main()
