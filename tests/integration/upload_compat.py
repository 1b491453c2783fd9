"""The same dists uploaded by `twine upload` and by `docker-pipeline upload` (issue 3, compatibility):
both accepted by pypiserver and devpi-server, stored byte for byte, and installed by pip."""

import hashlib
import subprocess
import unittest

from devpi_index import DevpiIndex, devpi_available
from dist_factory import metadata_text, write_sdist, write_wheel
from fault_server import FaultServer
from harness import (HELPER, TOOLS, Index, fresh_dir, pip_install, pip_install_from_simple, run,
                     simple_index_sha256s)

PROJECT = "dp-compat-demo"
VERSION = "1.0"
DISTS = ["dp_compat_demo-1.0-py3-none-any.whl", "dp_compat_demo-1.0.tar.gz"]


def make_dists(folder):
    folder.mkdir()
    return [write_wheel(folder, PROJECT, VERSION), write_sdist(folder, PROJECT, VERSION)]


def twine_upload(dists, env):
    return run([TOOLS / "twine", "upload", "--non-interactive", "--disable-progress-bar",
                *map(str, dists)], env=env, timeout=300)


def helper_upload(dists, env, home):
    return run([HELPER, "upload", *map(str, dists)], env=dict(env, HOME=str(home)), timeout=300)


def installed_version(bin_dir):
    return subprocess.run([bin_dir / "python", "-c",
                           "import dp_compat_demo; print(dp_compat_demo.__version__)"],
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class PypiserverCompat(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = fresh_dir("compat-pypiserver")
        (cls.work / "home").mkdir()
        cls.dists = make_dists(cls.work / "dist")
        cls.twine_index = Index(cls.work / "twine").__enter__()
        cls.helper_index = Index(cls.work / "helper").__enter__()
        cls.twine = twine_upload(cls.dists, cls.twine_index.twine_env())
        cls.helper = helper_upload(cls.dists, cls.helper_index.twine_env(), cls.work / "home")

    @classmethod
    def tearDownClass(cls):
        cls.twine_index.__exit__(None, None, None)
        cls.helper_index.__exit__(None, None, None)

    def test_both_uploads_are_accepted(self):
        self.assertEqual(self.twine[0], 0, self.twine[1])
        self.assertEqual(self.helper[0], 0, self.helper[1])
        self.assertEqual(self.twine_index.files(), DISTS)
        self.assertEqual(self.helper_index.files(), DISTS)

    def test_stored_files_are_byte_identical(self):
        for dist in self.dists:
            with self.subTest(dist.name):
                stored_by_twine = (self.twine_index.packages / dist.name).read_bytes()
                stored_by_helper = (self.helper_index.packages / dist.name).read_bytes()
                self.assertEqual(stored_by_helper, stored_by_twine)
                self.assertEqual(stored_by_helper, dist.read_bytes())

    def test_password_is_not_printed(self):
        self.assertNotIn(Index.password, self.helper[1])

    def test_pip_installs_what_each_uploaded(self):
        for label, index in (("twine", self.twine_index), ("helper", self.helper_index)):
            with self.subTest(label):
                workdir = self.work / f"pip-{label}"
                workdir.mkdir(exist_ok=True)
                bin_dir = pip_install(index.url, f"{PROJECT}=={VERSION}", workdir)
                self.assertEqual(installed_version(bin_dir), VERSION)


class FormFieldsCompat(unittest.TestCase):
    """What the index receives: every metadata field twine sends, with the same values."""

    maxDiff = None

    def test_form_fields_equal_twines(self):
        self.compare_with_twine("2.1")

    def test_metadata_2_4_fields_equal_twines(self):
        self.compare_with_twine("2.4")

    def compare_with_twine(self, metadata_version):
        work = fresh_dir(f"compat-form-{metadata_version}")
        (work / "home").mkdir()
        (work / "dist").mkdir()
        dists = [write_wheel(work / "dist", PROJECT, VERSION,
                             metadata=metadata_text(PROJECT, VERSION, metadata_version)),
                 write_sdist(work / "dist", PROJECT, VERSION)]
        env = {"TWINE_USERNAME": "uploader", "TWINE_PASSWORD": "form-Passw0rd"}
        with FaultServer() as by_twine, FaultServer() as by_helper:
            twine = twine_upload(dists, dict(env, TWINE_REPOSITORY_URL=by_twine.url))
            helper = helper_upload(dists, dict(env, TWINE_REPOSITORY_URL=by_helper.url), work / "home")
        self.assertEqual(twine[0], 0, twine[1])
        self.assertEqual(helper[0], 0, helper[1])
        for dist in dists:
            with self.subTest(dist.name):
                by_helper_fields = sent_fields(by_helper, dist.name)
                by_twine_fields = sent_fields(by_twine, dist.name)
                self.assertEqual(by_helper_fields, by_twine_fields)


def sent_fields(server, file_name):
    upload = next(u for u in server.uploads if u.file_name == file_name and u.body_received)
    return {name: values for name, values in upload.fields.items() if any(values)}


class DevpiCompat(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # scripts/setup installs devpi (scripts/requirements.txt): its absence is a failure.
        assert devpi_available(), "devpi-server is not in the venv: run scripts/setup"
        cls.work = fresh_dir("compat-devpi")
        (cls.work / "home").mkdir()
        cls.dists = make_dists(cls.work / "dist")
        cls.devpi = DevpiIndex(cls.work, ["twine", "helper"]).__enter__()
        cls.twine = twine_upload(cls.dists, cls.devpi.twine_env("twine"))
        cls.helper = helper_upload(cls.dists, cls.devpi.twine_env("helper"), cls.work / "home")

    @classmethod
    def tearDownClass(cls):
        cls.devpi.__exit__(None, None, None)

    def test_both_uploads_are_accepted_with_the_same_sha256(self):
        self.assertEqual(self.twine[0], 0, self.twine[1])
        self.assertEqual(self.helper[0], 0, self.helper[1])
        expected = {dist.name: sha256_of(dist) for dist in self.dists}
        for index in ("twine", "helper"):
            with self.subTest(index):
                listed = simple_index_sha256s(self.devpi.simple_url(index) + f"{PROJECT}/")
                self.assertEqual(listed, expected)

    def test_password_is_not_printed(self):
        self.assertNotIn(DevpiIndex.password, self.helper[1])

    def test_pip_installs_from_devpis_simple_index(self):
        for index in ("twine", "helper"):
            with self.subTest(index):
                bin_dir = pip_install_from_simple(self.devpi.simple_url(index),
                                                  f"{PROJECT}=={VERSION}", self.work / f"venv-{index}")
                self.assertEqual(installed_version(bin_dir), VERSION)


if __name__ == "__main__":
    unittest.main()
