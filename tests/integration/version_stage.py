"""The pipeline's version is normalized as PEP 440 before it reaches the image, its tag and its files."""

import unittest

from harness import (EXAMPLE_PROJECT, build, configure, fresh_dir, image_inspect, remove_images,
                     run_in_image)


def build_example_image(name, version):
    binary = fresh_dir(name)
    configure(EXAMPLE_PROJECT, binary, f"-DDOCKER_PIPELINE_VERSION={version}")
    return build(binary, "pydemo-image")


class VersionStage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, "pydemo:1.0b2", "pydemo:2.0-ci.7")

    def test_alternative_spelling_is_normalized_everywhere(self):
        status, output = build_example_image("beta", "1.0-Beta.2")
        self.assertEqual(status, 0, output)
        image = image_inspect("pydemo:1.0b2")
        self.assertIsNotNone(image, "the image is tagged with the normalized version")
        self.assertEqual(image["Config"]["Labels"]["org.opencontainers.image.version"], "1.0b2")
        self.assertEqual(run_in_image("pydemo:1.0b2", "python3", "-c",
                                      "import pydemo; print(pydemo.__version__)"), "1.0b2")

    def test_local_version_keeps_its_plus_except_in_the_tag(self):
        status, output = build_example_image("local", "2.0+ci.7")
        self.assertEqual(status, 0, output)
        image = image_inspect("pydemo:2.0-ci.7")
        self.assertIsNotNone(image)
        self.assertEqual(image["Config"]["Labels"]["org.opencontainers.image.version"], "2.0+ci.7")
        self.assertEqual(run_in_image("pydemo:2.0-ci.7", "python3", "-c",
                                      "import pydemo; print(pydemo.__version__)"), "2.0+ci.7")

    def test_invalid_version_stops_before_docker(self):
        status, output = build_example_image("invalid", "1.0-beta!")
        self.assertNotEqual(status, 0)
        self.assertIn("VERSION", output)
        self.assertIn("1.0-beta!", output)
        self.assertNotIn("Step 1/", output)  # no docker build started


if __name__ == "__main__":
    unittest.main()
