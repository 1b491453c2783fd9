"""Stamping real source trees: every sdist of the corpus (tests/corpus), unpacked, is stamped the
way the README tells a user (`stamp --version V pyproject.toml`, or `setup.py` for a project
without one) and built with `python -m build`; the sdist and the wheel built carry the stamped
version in their file names and metadata. Where stamp refuses, its message is checked and its
advice followed (the file it says to stamp, the variable it says to set), and that build must
carry the version. So no case ends with stamp exiting 0 and the old version built.

Besides each sdist as it is, the trees of the projects whose version comes from git are also
built as a git checkout without its history has them (no PKG-INFO: what a Docker build context
usually sends), and with the file hatch-vcs writes named to stamp.

Build backends come from PyPI through build isolation, installed by uv from a cache beside the
corpus (`<corpus dir>/../uv`), so a second run downloads nothing. Builds that cannot run here, or
would compile for minutes, build less (the reason is in CASES): the sdist and the metadata of the
wheel (`python -m build --metadata`, the backend's prepare_metadata_for_build_wheel), which carry
the version the wheel would.
"""

import json
import os
import re
import shutil
import sys
import tarfile
import time
import unittest
import zipfile
from pathlib import Path

from harness import HELPER, SOURCE_DIR, TOOLS, fresh_dir, run

sys.path.insert(0, str(SOURCE_DIR / "tests" / "corpus"))
import corpus  # noqa: E402

VERSION = "9.8.7rc1"  # a pre-release: maturin's Cargo.toml gets 9.8.7-rc.1 and gives it back
SDISTS = [entry for entry in corpus.entries() if entry.kind == "sdist"]
PRETEND = f"SETUPTOOLS_SCM_PRETEND_VERSION={VERSION} in the environment of the build"

# How each sdist is stamped and built when not the default (stamp pyproject.toml, else setup.py;
# build the sdist and the wheel). `refused`: words of stamp's error; `follow`: what its advice
# says to do (`stamp`: the files to stamp instead, `env`: variables to set for the build).
# `build`: "all" (sdist, then the wheel from it, as python -m build does), "sdist+metadata" (the
# sdist, then the wheel's metadata from it), "metadata" (the wheel's metadata from the tree), or
# None (nothing builds it, stamped or not: the stamped file is checked). `prepare`: a command
# run in the tree first.
CASES = {
    "certifi-2025.1.31.tar.gz": {
        "refused": "setup.py:28: the version is not a string literal (VERSION); stamp the file it "
                   "comes from instead",
        "follow": {"stamp": ["certifi/__init__.py"]},  # setup.py reads it with a regex
    },
    "colorama-0.3.2.zip": {
        "refused": "setup.py:39: the version is not a string literal (get_version(os.path.join("
                   "'colorama', '__init__.py'))); stamp the file it comes from instead",
        "follow": {"stamp": ["colorama/__init__.py"]},
    },
    "idna-2.8.tar.gz": {
        "refused": "setup.py: no version field to stamp (expected version = '...' or __version__ "
                   "= '...'); if setup.py reads the version from another file, stamp that file "
                   "instead",
        "follow": {"stamp": ["idna/package_data.py"]},  # setup.py exec()s it
    },
    "simplejson-2.0.9.tar.gz": {
        # setup.py is Python 2 (`except DistutilsPlatformError, x:`): no Python 3 builds it.
        "build": None,
        "stamped": {"setup.py": "VERSION = '9.8.7rc1'"},
    },
    "pyzmq-27.3.0.tar.gz": {
        # Its wheel bundles libzmq and libsodium, which CMake downloads from hosts this machine
        # cannot reach.
        "build": "sdist+metadata",
    },
    "ninja-1.13.2.tar.gz": {"build": "sdist+metadata"},  # the wheel compiles ninja (a minute)
    "rpds_py-2026.9.1.tar.gz": {
        # maturin cannot build an sdist from an unpacked sdist ("PKG-INFO was already added"), and
        # its wheel compiles Rust for minutes; pip, too, only builds wheels from sdists.
        "build": "metadata",
    },
    "nh3-0.3.8.tar.gz": {
        "build": "metadata",
        # The crates.io index this machine reaches has no target-lexicon 0.13.6, which its
        # Cargo.lock pins; 0.13.5 satisfies its requirements.
        "prepare": ["cargo", "update", "-p", "target-lexicon", "--precise", "0.13.5"],
    },
}

# Projects whose version comes from git: their tree as a git checkout without history has it
# (no PKG-INFO) must be refused with the variable to set, which then builds the version.
FROM_GIT = {
    "attrs-24.2.0.tar.gz": "hatch-vcs derives it from git when it builds",
    "iniconfig-2.0.0.tar.gz": "hatch-vcs derives it from git when it builds",
    "scikit_build_core-1.1.2.tar.gz": "hatch-vcs derives it from git when it builds",
    "ninja-1.13.2.tar.gz": "setuptools-scm (through scikit-build-core) derives it from git",
}

# The file hatch-vcs writes as it builds, named to stamp: refused, pointing at pyproject.toml.
GENERATED = {
    "iniconfig-2.0.0.tar.gz": "src/iniconfig/_version.py",
    "scikit_build_core-1.1.2.tar.gz": "src/scikit_build_core/_version.py",
}

REPORT_LINE = re.compile(r"^\S+: stamped \S+ -> \S+ \(read by .+\)$")


def unpack(entry, dest):
    if entry.file.endswith(".zip"):
        with zipfile.ZipFile(entry.path) as archive:
            archive.extractall(dest)
    else:
        with tarfile.open(entry.path) as archive:
            archive.extractall(dest, filter="data")
    (tree,) = [path for path in dest.iterdir() if path.is_dir()]
    return tree


def metadata_version(text):
    return re.search(r"^Version: (.*?)\r?$", text, re.MULTILINE).group(1)


def sdist_versions(sdist):
    """The version in the sdist's file name and in each of its top-level PKG-INFO members (an
    sdist built from an unpacked one by hatchling or scikit-build-core holds the tree's PKG-INFO
    besides the one it writes, under the same name)."""
    name = sdist.name[:-len(".tar.gz")]
    found = {"sdist file name": name.rsplit("-", 1)[1]}
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers()
                   if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
        for number, member in enumerate(members, 1):
            text = archive.extractfile(member).read().decode("utf-8", "surrogateescape")
            found[f"sdist PKG-INFO ({number} of {len(members)})"] = metadata_version(text)
    return found


def wheel_versions(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (member,) = [n for n in archive.namelist()
                     if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        text = archive.read(member).decode("utf-8", "surrogateescape")
    return wheel.name.split("-")[1], metadata_version(text)


class Steps(unittest.TestCase):
    """Stamping and building, for the test classes below."""

    @classmethod
    def setUpClass(cls):
        cls.missing = corpus.missing()
        cls.work = fresh_dir(cls.__name__)
        # uv installs the build backends (build isolation) from a cache kept beside the corpus.
        cls.env = {"PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}",
                   "UV_CACHE_DIR": str(corpus.cache_dir().parent / "uv"),
                   "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        for variable in ("SETUPTOOLS_SCM_PRETEND_VERSION", "PDM_BUILD_SCM_VERSION"):
            os.environ.pop(variable, None)


    def stamp(self, tree, files):
        return run([HELPER, "stamp", "--version", VERSION, *files], cwd=tree)

    def assert_stamped(self, status, output):
        self.assertEqual(status, 0, output)
        lines = output.splitlines()
        self.assertTrue(lines, "stamp printed nothing")
        for line in lines:
            self.assertRegex(line, REPORT_LINE)  # each file says what changed and who reads it

    def build(self, tree, how, env=None, out=None):
        """Builds `tree` as `how` says; returns the versions found (file names and metadata)."""
        out = out or tree.parent / "dist"
        env = dict(self.env, **(env or {}))
        python = [sys.executable, "-m", "build", "--installer", "uv"]
        found = {}
        if how in ("all", "sdist+metadata"):
            only = [] if how == "all" else ["--sdist"]
            status, output = run([*python, *only, "--outdir", str(out), str(tree)], env=env)
            self.assertEqual(status, 0, output)
            (sdist,) = [path for path in out.iterdir() if path.name.endswith(".tar.gz")]
            found.update(sdist_versions(sdist))
            if how == "all":
                (wheel,) = out.glob("*.whl")
                found["wheel file name"], found["wheel METADATA"] = wheel_versions(wheel)
            else:
                # The wheel's metadata as a build from that sdist makes it (PKG-INFO and all).
                with tarfile.open(sdist) as archive:
                    archive.extractall(out / "unpacked", filter="data")
                (built_tree,) = (out / "unpacked").iterdir()
                found["wheel METADATA"] = self.wheel_metadata(built_tree, env)
        elif how == "metadata":
            found["wheel METADATA"] = self.wheel_metadata(tree, env)
        else:
            raise ValueError(how)
        return found

    def wheel_metadata(self, tree, env):
        status, output = run([sys.executable, "-m", "build", "--installer", "uv", "--metadata",
                              str(tree)], env=env)
        self.assertEqual(status, 0, output)
        return json.loads(output[output.index("{"):output.rindex("}") + 1])["version"]

    def assert_version(self, found):
        self.assertTrue(found)
        for where, version in found.items():
            self.assertEqual(version, VERSION, f"{where} carries {version}, not the stamped {VERSION}")


class StampCorpus(Steps):
    def setUp(self):
        self.assertEqual(self.missing, [], "the corpus is not downloaded: run scripts/setup")

    def check_sdist(self, entry):
        case = CASES.get(entry.file, {})
        folder = self.work / entry.file
        tree = unpack(entry, folder)
        if case.get("prepare"):
            status, output = run(case["prepare"], cwd=tree)
            self.assertEqual(status, 0, output)
        files = ["pyproject.toml"] if (tree / "pyproject.toml").exists() else ["setup.py"]
        status, output = self.stamp(tree, files)
        env = {}
        if "refused" in case:
            self.assertNotEqual(status, 0, f"stamp was expected to refuse: {output}")
            self.assertIn(case["refused"], output)
            follow = case["follow"]
            env = follow.get("env", {})
            if "stamp" in follow:
                self.assert_stamped(*self.stamp(tree, follow["stamp"]))
        else:
            self.assert_stamped(status, output)
        how = case.get("build", "all")
        if how is None:
            for file, text in case["stamped"].items():
                self.assertIn(text, (tree / file).read_text(encoding="utf-8", errors="replace"))
            return
        self.assert_version(self.build(tree, how, env=env))

    def check_from_git(self, entry):
        """The tree without PKG-INFO: stamp names the variable; set, it builds the version."""
        tree = unpack(entry, self.work / f"{entry.file}.git-checkout")
        (tree / "PKG-INFO").unlink()
        status, output = self.stamp(tree, ["pyproject.toml"])
        self.assertNotEqual(status, 0, output)
        self.assertIn(FROM_GIT[entry.file], output)
        self.assertIn(f"set {PRETEND} instead", output)
        how = CASES.get(entry.file, {}).get("build", "all")
        self.assert_version(
            self.build(tree, how, env={"SETUPTOOLS_SCM_PRETEND_VERSION": VERSION}))

    def check_generated(self, entry):
        """The file hatch-vcs writes, named: refused; pyproject.toml, as advised, builds."""
        tree = unpack(entry, self.work / f"{entry.file}.generated")
        status, output = self.stamp(tree, [GENERATED[entry.file]])
        self.assertNotEqual(status, 0, output)
        self.assertIn(f"{GENERATED[entry.file]}: hatch-vcs writes this file when it builds", output)
        self.assertIn("drop it from the files to stamp: stamp pyproject.toml instead, which stamps "
                      "PKG-INFO", output)
        self.assert_stamped(*self.stamp(tree, ["pyproject.toml"]))
        self.assert_version(self.build(tree, "all"))


def add_tests():
    def name(prefix, entry):
        return f"test_{prefix}{re.sub(r'[^A-Za-z0-9]+', '_', entry.file)}"

    for entry in SDISTS:
        def check(self, entry=entry):
            started = time.monotonic()
            self.check_sdist(entry)
            print(f"{entry.file}: {time.monotonic() - started:.0f} s", flush=True)
        setattr(StampCorpus, name("", entry), check)
        if entry.file in FROM_GIT:
            setattr(StampCorpus, name("git_checkout_of_", entry),
                    lambda self, entry=entry: self.check_from_git(entry))
        if entry.file in GENERATED:
            setattr(StampCorpus, name("generated_file_of_", entry),
                    lambda self, entry=entry: self.check_generated(entry))


add_tests()


# Two small projects of the backends the corpus has no git-versioned sdist of: pdm-backend's scm
# source and setuptools with setuptools-scm (its version file, the per-project variable).
PDM_SCM = {
    "pyproject.toml": """[build-system]
requires = ["pdm-backend"]
build-backend = "pdm.backend"

[project]
name = "pdm-scm-demo"
dynamic = ["version"]

[tool.pdm.version]
source = "scm"
""",
    "src/pdm_scm_demo/__init__.py": "",
}
SETUPTOOLS_SCM = {
    "pyproject.toml": """[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "scm.Demo"
dynamic = ["version"]

[tool.setuptools_scm]
version_file = "src/scm_demo/_version.py"
""",
    "src/scm_demo/__init__.py": "from ._version import __version__\n",
    "src/scm_demo/_version.py": "# file generated by setuptools-scm\n"
                                "__version__ = version = '0.1.dev1+g1a2b3c4'\n",
}


class StampProjectsFromGit(Steps):
    """Trees as a git checkout without its history has them (a Docker context), and the unpacked
    sdist built from them, set back to an older version."""

    def tree(self, name, files):
        tree = self.work / name
        tree.mkdir(parents=True)
        for path, text in files.items():
            (tree / path).parent.mkdir(parents=True, exist_ok=True)
            (tree / path).write_text(text, encoding="utf-8")
        return tree

    def unpacked_sdist(self, tree):
        (sdist,) = (tree.parent / "dist").glob("*.tar.gz")
        with tarfile.open(sdist) as archive:
            archive.extractall(tree.parent / "unpacked", filter="data")
        (unpacked,) = (tree.parent / "unpacked").iterdir()
        # Back to 0.1 wherever the built version is written, so stamping has to change it.
        for name in ("PKG-INFO", "pyproject.toml"):
            path = unpacked / name
            path.write_text(path.read_text(encoding="utf-8").replace(VERSION, "0.1"),
                            encoding="utf-8")
        self.assertIn("Version: 0.1\n", (unpacked / "PKG-INFO").read_text(encoding="utf-8"))
        return unpacked

    def test_pdm_scm_version_is_passed_in_pdm_build_scm_version(self):
        tree = self.tree("pdm-scm/tree", PDM_SCM)
        status, output = self.stamp(tree, ["pyproject.toml"])
        self.assertNotEqual(status, 0, output)
        self.assertIn("pdm-backend derives it from git when it builds, and no file holds it; set "
                      f"PDM_BUILD_SCM_VERSION={VERSION} in the environment of the build", output)
        env = {"PDM_BUILD_SCM_VERSION": VERSION}
        self.assert_version(self.build(tree, "all", env=env))
        # pdm-backend writes the version into its sdist's pyproject.toml ([project] version):
        # stamped there, the unpacked sdist builds without the variable.
        unpacked = self.unpacked_sdist(tree)
        self.assertIn('version = "0.1"', (unpacked / "pyproject.toml").read_text(encoding="utf-8"))
        self.assert_stamped(*self.stamp(unpacked, ["pyproject.toml"]))
        self.assert_version(self.build(unpacked, "all", out=unpacked.parent / "dist2"))

    def test_setuptools_scm_version_is_passed_in_its_per_project_variable(self):
        tree = self.tree("setuptools-scm/tree", SETUPTOOLS_SCM)
        status, output = self.stamp(tree, ["pyproject.toml"])
        self.assertNotEqual(status, 0, output)
        self.assertIn(f"setuptools-scm derives it from git when it builds, and no file holds it; "
                      f"set {PRETEND} instead", output)
        status, output = self.stamp(tree, ["src/scm_demo/_version.py"])
        self.assertNotEqual(status, 0, output)
        self.assertIn("src/scm_demo/_version.py: setuptools-scm writes this file when it builds "
                      "([tool.setuptools_scm] version_file", output)
        # setuptools passes the project's name: the variable of that name alone reaches it.
        env = {"SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SCM_DEMO": VERSION}
        self.assert_version(self.build(tree, "all", env=env))

        # Its unpacked sdist: the stamped PKG-INFO is what setuptools-scm builds without git.
        unpacked = self.unpacked_sdist(tree)
        self.assert_stamped(*self.stamp(unpacked, ["pyproject.toml"]))
        self.assert_version(self.build(unpacked, "all", out=unpacked.parent / "dist2"))


class TheCasesAreTheCorpus(unittest.TestCase):
    def test_every_case_names_an_sdist_of_the_corpus(self):
        files = {entry.file for entry in SDISTS}
        for table in (CASES, FROM_GIT, GENERATED):
            self.assertLessEqual(set(table), files)


if __name__ == "__main__":
    unittest.main()
