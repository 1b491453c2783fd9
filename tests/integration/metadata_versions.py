"""The core metadata specification's rule for a Metadata-Version newer than the helper knows,
end to end against a real pypiserver: a newer minor version (2.9) is checked and uploaded with a
warning that names its unknown fields, a newer major one (3.0) is refused by both, with one line
and nothing uploaded."""

import unittest

from dist_factory import metadata_text, write_wheel
from harness import HELPER, Index, fresh_dir, pip_install, run

PROJECT = "dp-metadata-versions"


def wheel_with_metadata_version(folder, version, metadata_version, extra_fields=""):
    folder.mkdir(parents=True)
    metadata = metadata_text(PROJECT, version, metadata_version)
    metadata = metadata.replace("Summary:", f"{extra_fields}Summary:", 1)
    return write_wheel(folder, PROJECT, version, metadata=metadata)


class NewerMetadataVersions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = fresh_dir("metadata-versions")
        cls.index = Index(cls.work / "index").__enter__()
        cls.newer_minor = wheel_with_metadata_version(
            cls.work / "2.9", "1.0", "2.9", "Import-Name: dp_metadata_versions\nShiny-Field: yes\n")
        cls.newer_major = wheel_with_metadata_version(cls.work / "3.0", "2.0", "3.0")

    @classmethod
    def tearDownClass(cls):
        cls.index.__exit__(None, None, None)

    def upload(self, wheel):
        return run([HELPER, "upload", str(wheel)], env=dict(self.index.twine_env(), HOME=str(self.work)),
                   timeout=300)

    def test_a_newer_minor_version_is_checked_with_a_warning_naming_its_new_fields(self):
        status, output = run([HELPER, "check", str(self.newer_minor)])
        self.assertEqual(status, 0, output)
        self.assertIn("PASSED with warnings", output)
        self.assertRegex(output, r"WARNING .*METADATA: Metadata-Version 2.9 is newer than 2.5, "
                                 r"the newest this docker-pipeline knows; read as 2.5, and its "
                                 r"fields unknown to 2.5 are not uploaded: Shiny-Field\n")
        status, output = run([HELPER, "check", "--strict", str(self.newer_minor)])
        self.assertEqual(status, 1, output)

    def test_a_newer_minor_version_is_uploaded_and_installs(self):
        status, output = self.upload(self.newer_minor)
        self.assertEqual(status, 0, output)
        self.assertIn("warning: ", output)
        self.assertIn("Metadata-Version 2.9 is newer than 2.5", output)
        self.assertIn(self.newer_minor.name, self.index.files())
        self.assertEqual((self.index.packages / self.newer_minor.name).read_bytes(),
                         self.newer_minor.read_bytes())
        pip_install(self.index.url, f"{PROJECT}==1.0", self.work / "pip")

    def test_a_newer_major_version_is_refused_by_check_and_upload_in_one_line(self):
        status, output = run([HELPER, "check", str(self.newer_major)])
        self.assertEqual(status, 1, output)
        self.assertIn("Metadata-Version 3.0 is a new major version that this docker-pipeline cannot "
                      "read (it reads up to 2.5); upgrade docker-pipeline", output)
        status, output = self.upload(self.newer_major)
        self.assertNotEqual(status, 0, output)
        errors = [line for line in output.splitlines() if "error" in line]
        self.assertEqual(len(errors), 1, output)
        self.assertIn("Metadata-Version 3.0 is a new major version", errors[0])
        self.assertIn("nothing was uploaded", errors[0])
        self.assertNotIn(self.newer_major.name, self.index.files())


if __name__ == "__main__":
    unittest.main()
