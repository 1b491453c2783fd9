"""`cmake --workflow --preset release` in the example project: configure, images, container tests,
publish, in one command."""

import os
import shutil
import unittest

from harness import BUILD_DIR, EXAMPLE_PROJECT, Index, fresh_dir, remove_images, run

DISTS = ["pydemo-0.0.2-py3-none-any.whl", "pydemo-0.0.2.tar.gz"]


class ReleaseWorkflow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, "pydemo:0.0.2")  # the release's image

    def test_the_release_workflow_publishes_after_the_container_tests(self):
        work = fresh_dir("workflow")
        # A copy, with ../build leading to this build tree as it does in the repository.
        project = work / "example-project"
        shutil.copytree(EXAMPLE_PROJECT, project,
                        ignore=shutil.ignore_patterns("build*", "__pycache__", "*.egg-info"))
        os.symlink(BUILD_DIR, work / "build")
        with Index(work) as index:
            status, output = run(["cmake", "--workflow", "--preset", "release"], cwd=project,
                                 env=index.twine_env())
            self.assertEqual(status, 0, output)
            self.assertEqual(index.files(), DISTS)
        self.assertRegex(output, r"pydemo\.container-tests \.+ +Passed")
        self.assertLess(output.index("pydemo.container-tests"), output.index("Uploading"))
        self.assertTrue((project / "build" / "default" / "pydemo" / "artifacts" / "reports" /
                         "junit.xml").is_file())


if __name__ == "__main__":
    unittest.main()
