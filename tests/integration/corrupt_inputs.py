"""Corrupt inputs to `check`, `upload` and `validate`: a wheel whose RECORD has a wrong hash, a zip
bomb, sdists with '..' members or links out of their folder, a METADATA of 100 MB, and a pipeline
file edited by hand.

Each is refused (or, where the file is only large, handled) with one line naming the file and what is
wrong, no crash (no signal, no uncaught exception), and the helper's peak memory (its max RSS,
measured by wait4) stays under MAX_RSS_KB. No engine and no index but the tests' own FaultServer.
"""

import base64
import hashlib
import io
import json
import os
import re
import subprocess
import tarfile
import tempfile
import unittest
import zipfile
import zlib

from dist_factory import FIXED_TAR_TIME, metadata_text, write_sdist, write_wheel
from fault_server import FaultServer
from harness import CI_VARIABLES, HELPER, fresh_dir

SECRET = "s3cret-Corrupt-Token-0b7a"
PROJECT = "dp-corrupt-demo"
MODULE = "dp_corrupt_demo"
WHEEL = f"{MODULE}-1.0-py3-none-any.whl"
MAX_RSS_KB = 200 * 1024
BOMB_GIB = 5  # inflated; about 5 MB in the wheel


def run_measured(argv, env=None, timeout=600):
    """Runs argv under /usr/bin/time; returns (status, output, max RSS in KiB). (wait4 from this
    process would count its own RSS at the fork, which Linux carries across exec.)"""
    full_env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    full_env.update(env or {})
    with tempfile.NamedTemporaryFile("r") as usage:
        done = subprocess.run(["/usr/bin/time", "-o", usage.name, "-f", "%M", *argv],
                              env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
        lines = usage.read().splitlines()
    max_rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
    print(f"$ {' '.join(map(str, argv))}\n{done.stdout}(exit status {done.returncode}, "
          f"max RSS {max_rss} KiB; {' '.join(lines[:-1])})", flush=True)
    return done.returncode, done.stdout, max_rss


def _record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def rewrite_wheel(path, replace=None, add=None):
    """Rewrites the wheel at path with members replaced (name -> bytes) or added (name -> bytes or
    a callable writing into the open ZipFile); RECORD is left as given by `replace`."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, replace.get(info.filename, data))
        for name, data in add.items():
            if callable(data):
                data(archive, name)
            else:
                archive.writestr(name, data)


class _RepeatedBlock:
    """A zlib compressor stand-in that gives one precomputed raw-deflate block (1 MiB of zeros,
    ended by a full flush, so it can be repeated) per 1 MiB written: a bomb written in seconds."""
    ZEROS = bytes(1 << 20)

    def __init__(self):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.block = compressor.compress(self.ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH)
        self.end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()

    def compress(self, data):
        assert len(data) == len(self.ZEROS)
        return self.block

    def flush(self):
        return self.end


def write_bomb(archive, name, gib=BOMB_GIB):
    info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        out._compressor = _RepeatedBlock()
        zeros = memoryview(_RepeatedBlock.ZEROS)
        for _ in range(gib << 10):
            out.write(zeros)


class CorruptInputs(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"corrupt/{self._testMethodName}")
        self.home = self.work / "home"
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()

    def helper(self, *arguments, env=None):
        status, output, rss = run_measured([HELPER, *map(str, arguments)],
                                           env={"HOME": str(self.home), **(env or {})})
        self.assertNotIn(SECRET, output)
        self.assertIsNotNone(rss, "no max RSS from /usr/bin/time: killed?")
        self.assertLess(rss, MAX_RSS_KB, f"the helper's peak memory was {rss} KiB")
        self.assertIn(status, (0, 1), f"crashed or killed (exit status {status}):\n{output}")
        self.assertNotRegex(output, r"terminate called|what\(\):|Segmentation|Aborted")
        return status, output

    def check(self, path):
        return self.helper("check", path)

    def upload(self, server, path, *arguments):
        env = {"TWINE_USERNAME": "uploader", "TWINE_PASSWORD": SECRET,
               "TWINE_REPOSITORY_URL": server.url}
        return self.helper("upload", "--timeout", "5", *arguments, path, env=env)

    def assertErrorLine(self, output, *parts):
        """Some one line of the output holds every part, in this order."""
        pattern = ".*".join(re.escape(str(part)) for part in parts)
        self.assertRegex(output, rf"(?m)^.*{pattern}.*$")

    def assertRefusedByBoth(self, path, *parts):
        """`check` fails the file with an error line holding every part; `upload` refuses it
        before sending anything, one line naming the file and holding every part."""
        status, output = self.check(path)
        self.assertEqual(status, 1, output)
        self.assertIn(f"{path}: FAILED", output)
        self.assertErrorLine(output, "ERROR", *parts)
        with FaultServer() as server:
            status, output = self.upload(server, path)
        self.assertEqual(status, 1, output)
        self.assertErrorLine(output, path.name, *parts)
        self.assertEqual(server.requests_seen(), 0, "a refused file was sent")

    # Wheels

    def test_a_wheel_whose_record_has_a_wrong_hash_fails_check(self):
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        with zipfile.ZipFile(wheel) as archive:
            record = archive.read(f"{MODULE}-1.0.dist-info/RECORD").decode()
        wrong = _record_hash(b"something else")
        record = re.sub(rf"(?m)^({MODULE}/__init__\.py),sha256=[^,]+,", rf"\1,{wrong},", record)
        rewrite_wheel(wheel, replace={f"{MODULE}-1.0.dist-info/RECORD": record.encode()})
        status, output = self.check(wheel)
        self.assertEqual(status, 1, output)
        self.assertIn("FAILED", output)
        self.assertErrorLine(output, "ERROR", "RECORD", "sha256 of", f"{MODULE}/__init__.py",
                             "does not match")

    def test_a_zip_bomb_is_read_in_bounded_memory(self):
        # One member inflating to BOMB_GIB GiB of zeros, its RECORD line claiming 1 KiB: `check`
        # streams it through sha256 (memory stays flat) and fails the RECORD; `upload` reads only
        # METADATA, sends the wheel as it is (the index decides), and never inflates the bomb.
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        with zipfile.ZipFile(wheel) as archive:
            record = archive.read(f"{MODULE}-1.0.dist-info/RECORD").decode()
        record += f"{MODULE}/bomb.bin,{_record_hash(bytes(1024))},1024\n"
        rewrite_wheel(wheel, replace={f"{MODULE}-1.0.dist-info/RECORD": record.encode()},
                      add={f"{MODULE}/bomb.bin": write_bomb})
        self.assertLess(wheel.stat().st_size, 16 << 20)
        status, output = self.check(wheel)
        self.assertEqual(status, 1, output)
        self.assertErrorLine(output, "ERROR", f"{MODULE}/bomb.bin")
        with FaultServer() as server:
            status, output = self.upload(server, wheel)
        self.assertEqual(status, 0, output)
        self.assertEqual(list(server.files), [WHEEL])

    def test_a_metadata_of_100_mb_is_refused_in_bounded_memory(self):
        line = "All work and no play makes a long description.\n"
        metadata = metadata_text(PROJECT, "1.0") + line * ((100 << 20) // len(line) + 1)
        self.assertGreater(len(metadata), 100 << 20)
        wheel = write_wheel(self.dists, PROJECT, "1.0", metadata=metadata)
        del metadata
        self.assertRefusedByBoth(wheel, f"{MODULE}-1.0.dist-info/METADATA", "larger than")

    # Sdists

    def sdist_with(self, *members):
        """The sdist of dist_factory with more members (TarInfo, bytes or None) added."""
        plain = write_sdist(self.work, PROJECT, "1.0")
        path = self.dists / plain.name
        with tarfile.open(plain) as source, tarfile.open(path, "w:gz") as target:
            for info in source.getmembers():
                target.addfile(info, source.extractfile(info))
            for info, data in members:
                info.mtime = FIXED_TAR_TIME
                target.addfile(info, io.BytesIO(data) if data is not None else None)
        return path

    @staticmethod
    def file_member(name, data=b"escaped\n"):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        return info, data

    @staticmethod
    def link_member(name, target, kind=tarfile.SYMTYPE):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = target
        return info, None

    def test_an_sdist_member_with_dot_dot_inside_its_folder_path_is_refused(self):
        sdist = self.sdist_with(self.file_member(f"{MODULE}-1.0/../../escaped.txt"))
        self.assertRefusedByBoth(sdist, f"'{MODULE}-1.0/../../escaped.txt'", "'..'")

    def test_an_sdist_member_starting_with_dot_dot_is_refused(self):
        sdist = self.sdist_with(self.file_member("../escaped.txt"))
        self.assertRefusedByBoth(sdist, "'../escaped.txt'", "'..'")

    def test_an_sdist_member_with_an_absolute_path_is_refused(self):
        sdist = self.sdist_with(self.file_member("/tmp/escaped.txt"))
        self.assertRefusedByBoth(sdist, "'/tmp/escaped.txt'", "absolute path")

    def test_an_sdist_symlink_out_of_its_folder_is_refused(self):
        sdist = self.sdist_with(self.link_member(f"{MODULE}-1.0/{MODULE}/data", "../../../etc"))
        self.assertRefusedByBoth(sdist, f"'{MODULE}-1.0/{MODULE}/data'",
                                 "symbolic link", "'../../../etc'")

    def test_an_sdist_symlink_to_an_absolute_path_is_refused(self):
        sdist = self.sdist_with(self.link_member(f"{MODULE}-1.0/passwd", "/etc/passwd"))
        self.assertRefusedByBoth(sdist, f"'{MODULE}-1.0/passwd'", "symbolic link",
                                 "'/etc/passwd'")

    def test_an_sdist_hard_link_out_of_its_folder_is_refused(self):
        sdist = self.sdist_with(self.link_member(f"{MODULE}-1.0/hard", "../outside",
                                                 tarfile.LNKTYPE))
        self.assertRefusedByBoth(sdist, f"'{MODULE}-1.0/hard'", "hard link", "'../outside'")

    def test_an_sdist_symlink_within_its_folder_is_kept(self):
        sdist = self.sdist_with(self.link_member(f"{MODULE}-1.0/{MODULE}/same.py", "__init__.py"))
        status, output = self.check(sdist)
        self.assertEqual(status, 0, output)

    def test_a_wheel_member_with_dot_dot_is_refused(self):
        wheel = write_wheel(self.dists, PROJECT, "1.0")
        rewrite_wheel(wheel, add={"../escaped.py": b"print('out')\n"})
        self.assertRefusedByBoth(wheel, "'../escaped.py'", "'..'")


class HandEditedPipelineFile(unittest.TestCase):
    """A pipeline file edited by hand: `validate --pipeline F` and `upload --pipeline F` each give
    one line naming the file and the field. And the pipeline's own check, without an engine."""

    def setUp(self):
        self.work = fresh_dir(f"corrupt/{self._testMethodName}")
        context = self.work / "context"
        context.mkdir()
        (context / "Dockerfile").write_text("FROM python:3.11\nARG ARG_VERSION\nCOPY . /src\n")
        (context / "setup.py").write_text("from setuptools import setup\nsetup(version='0.0.1')\n")
        self.document = {"format": "1.0", "name": "demo", "context": str(context),
                         "dockerfile": "Dockerfile", "image": "demo", "version": "0.0.2",
                         "stamp": ["setup.py"],
                         "work_dir": str(self.work / "build/docker-pipeline/demo")}
        self.file = self.work / "demo.pipeline.json"

    def both(self, text):
        self.file.write_text(text)
        env = {"HOME": str(self.work), "TWINE_USERNAME": "u", "TWINE_PASSWORD": SECRET,
               "TWINE_REPOSITORY_URL": "http://127.0.0.1:9/"}
        results = []
        for command in ("validate", "upload"):
            status, output, _ = run_measured([HELPER, command, "--pipeline", str(self.file)],
                                             env=env, timeout=60)
            self.assertEqual(status, 1, output)
            self.assertNotIn(SECRET, output)
            errors = [line for line in output.splitlines() if "error" in line]
            self.assertEqual(len(errors), 1, output)
            results.append(errors[0])
        return results

    def test_the_pipelines_check_and_upload_refuse_a_corrupt_dist_without_an_engine(self):
        # What publish runs before anything is sent, on the pipeline's dists (work_dir/dist, as
        # the test stage copies them out), the image recorded as built by the image stage.
        work = self.work / "build/docker-pipeline/demo"
        (work / "dist").mkdir(parents=True)
        (work / "image.version").write_text("1.0\n")
        self.document.update(version="1.0", dist_dir="/src/dist")
        self.file.write_text(json.dumps(self.document))
        plain = write_sdist(self.work, PROJECT, "1.0")
        sdist = work / "dist" / plain.name
        with tarfile.open(plain) as source, tarfile.open(sdist, "w:gz") as target:
            for info in source.getmembers():
                target.addfile(info, source.extractfile(info))
            link = tarfile.TarInfo(f"{MODULE}-1.0/passwd")
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            target.addfile(link)
        env = {"HOME": str(self.work), "TWINE_USERNAME": "u", "TWINE_PASSWORD": SECRET,
               "TWINE_REPOSITORY_URL": "http://127.0.0.1:9/"}
        for command in ("check", "upload"):
            status, output, _ = run_measured([HELPER, command, "--pipeline", str(self.file)],
                                             env=env, timeout=60)
            self.assertEqual(status, 1, output)
            self.assertNotIn(SECRET, output)
            self.assertRegex(output, rf"(?m)^.*member '{MODULE}-1.0/passwd' is a symbolic link to "
                                     r"the absolute path '/etc/passwd'")
            self.assertIn(str(sdist), output)

    def test_the_file_as_written_validates(self):
        self.file.write_text(json.dumps(self.document))
        status, output, _ = run_measured([HELPER, "validate", "--pipeline", str(self.file)])
        self.assertEqual(status, 0, output)

    def test_invalid_json_names_the_file_and_the_place(self):
        text = json.dumps(self.document, indent=2)
        for line in self.both(text[: len(text) // 2]):
            self.assertIn(str(self.file), line)
            self.assertRegex(line, r"line \d+|JSON|json")

    def test_a_number_too_large_for_a_double_names_the_file(self):
        text = json.dumps(self.document)[:-1] + ', "test_timeout": 1e400}'
        for line in self.both(text):
            self.assertIn(str(self.file), line)
            self.assertIn("1e400", line)

    def test_a_wrong_type_names_the_field(self):
        self.document["stamp"] = "setup.py"
        for line in self.both(json.dumps(self.document)):
            self.assertIn(str(self.file), line)
            self.assertIn("stamp", line)

    def test_an_unknown_member_names_it(self):
        self.document["tset_command"] = ["pytest"]
        for line in self.both(json.dumps(self.document)):
            self.assertIn(str(self.file), line)
            self.assertIn("tset_command", line)

    def test_a_missing_required_member_names_it(self):
        del self.document["image"]
        for line in self.both(json.dumps(self.document)):
            self.assertIn(str(self.file), line)
            self.assertIn("image", line)


if __name__ == "__main__":
    unittest.main()
