"""A package whose tests fail in the container is never published, and leaves no container."""

import shutil
import unittest

from harness import (EXAMPLE_PROJECT, HELPER, Index, build, configure, containers_of, fresh_dir,
                     remove_images, run)


class FailingTestsPublishNothing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, "pydemo:0.0.3")
        cls.work = fresh_dir("failing")
        cls.source = cls.work / "project"
        shutil.copytree(EXAMPLE_PROJECT, cls.source)
        (cls.source / "python" / "tests" / "test_broken.py").write_text(
            "def test_release_blocker():\n    assert 1 + 1 == 3\n")
        cls.index = cls.enterClassContext(Index(cls.work))
        cls.binary = cls.work / "build"
        configure(cls.source, cls.binary, "-DDOCKER_PIPELINE_VERSION=0.0.3")

    def test_publish_fails_and_uploads_nothing(self):
        status, output = build(self.binary, "publish", env=self.index.twine_env())
        self.assertNotEqual(status, 0)
        self.assertIn("test_release_blocker", output)  # the test's own output is shown live
        self.assertIn("failed with exit status 1", output)
        self.assertEqual(self.index.files(), [])
        self.assertFalse((self.binary / "pydemo" / "dist").exists())
        self.assertEqual(containers_of("pydemo"), [])

    def test_test_stage_exits_with_the_tests_status(self):
        build(self.binary, "pydemo-image")
        status, _ = run([HELPER, "test", "--pipeline", self.binary / "pydemo.pipeline.json"])
        self.assertEqual(status, 1)  # pytest's "tests failed"
        self.assertEqual(containers_of("pydemo"), [])


if __name__ == "__main__":
    unittest.main()
