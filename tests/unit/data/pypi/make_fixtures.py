#!/usr/bin/env python3
"""Regenerates the tiny distribution fixtures of the pypi unit tests.

Deterministic (fixed timestamps, fixed gzip mtime), so running it again leaves git clean.
The good wheel is a real, pip-installable wheel (RECORD hashes included).
Usage: python3 make_fixtures.py   (writes next to this script)
"""
import base64
import gzip
import hashlib
import io
import pathlib
import tarfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
TAR_TIME = 1704067200

METADATA = """\
Metadata-Version: 2.1
Name: demo_pkg
Version: 0.1.0
Summary: A tiny package used by the DockerPipeline unit tests
Home-page: https://example.invalid/demo_pkg
Author: Demo Author
Author-email: demo@example.invalid
License: MIT
Keywords: demo,fixture testing
Classifier: Programming Language :: Python :: 3
Classifier: License :: OSI Approved :: MIT License
Project-URL: Source, https://example.invalid/src
Project-URL: Tracker, https://example.invalid/issues
Requires-Python: >=3.8
Description-Content-Type: text/markdown
Requires-Dist: requests>=2; extra == "http"
Provides-Extra: http

# demo_pkg

A fixture. Second paragraph
spans two lines.
"""

INIT_PY = '__version__ = "0.1.0"\n'
WHEEL = "Wheel-Version: 1.0\nGenerator: make_fixtures.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def write_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def write_tar_gz(path, members):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members:
            data = data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = TAR_TIME
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    with open(path, "wb") as out:
        out.write(gzip.compress(raw.getvalue(), mtime=0))


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data.encode()).digest()).rstrip(b"=")
    return f"{name},sha256={digest.decode()},{len(data.encode())}\n"


def wheel_file(tag="py3-none-any", purelib=True):
    return WHEEL.replace("Root-Is-Purelib: true", f"Root-Is-Purelib: {str(purelib).lower()}").replace(
        "Tag: py3-none-any", f"Tag: {tag}")


def wheel_members(dist_info, metadata, wheel=WHEEL):
    members = [
        ("demo_pkg/__init__.py", INIT_PY),
        (f"{dist_info}/METADATA", metadata),
        (f"{dist_info}/WHEEL", wheel),
    ]
    record = "".join(record_line(n, d) for n, d in members) + f"{dist_info}/RECORD,,\n"
    return members + [(f"{dist_info}/RECORD", record)]


def sdist_members(root, metadata):
    return [
        # A nested PKG-INFO listed first: inspection must pick <root>/PKG-INFO, not this one.
        (f"{root}/demo_pkg.egg-info/PKG-INFO", metadata.replace("Version: 0.1.0", "Version: 9.9.9")),
        (f"{root}/PKG-INFO", metadata),
        (f"{root}/demo_pkg/__init__.py", INIT_PY),
        (f"{root}/pyproject.toml", '[build-system]\nrequires = ["setuptools"]\n'),
    ]


def main():
    write_zip(HERE / "demo_pkg-0.1.0-py3-none-any.whl", wheel_members("demo_pkg-0.1.0.dist-info", METADATA))
    write_tar_gz(HERE / "demo_pkg-0.1.0.tar.gz", sdist_members("demo_pkg-0.1.0", METADATA))
    write_zip(HERE / "demo_pkg-0.1.0.zip", sdist_members("demo_pkg-0.1.0", METADATA))

    # Broken or inconsistent ones, for inspection and check failures.
    (HERE / "garbage-0.1.0-py3-none-any.whl").write_bytes(b"this is not a zip archive\n" * 4)
    write_zip(HERE / "nometa-0.1.0-py3-none-any.whl", [("nometa/__init__.py", INIT_PY)])
    write_zip(
        HERE / "other_name-0.1.0-py3-none-any.whl",
        wheel_members("demo_pkg-0.1.0.dist-info", METADATA),
    )
    no_version = METADATA.replace("Version: 0.1.0\n", "", 1)
    write_zip(
        HERE / "demo_pkg-0.2.0-cp311-cp311-linux_x86_64.whl",
        wheel_members("demo_pkg-0.2.0.dist-info", no_version,
                      wheel_file("cp311-cp311-linux_x86_64", purelib=False)),
    )
    write_tar_gz(
        HERE / "twotops-0.1.0.tar.gz",
        [("twotops-0.1.0/PKG-INFO", METADATA), ("stray.txt", "stray\n")],
    )

    write_check_fixtures()


def check_metadata(name, version="0.1.0", content_type="text/markdown", body="# demo\n\nA fixture.\n"):
    headers = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if content_type:
        headers += f"Description-Content-Type: {content_type}\n"
    return headers + ("\n" + body if body else "")


def check_wheel(name, metadata, version="0.1.0", edit_record=lambda lines: lines, extra=(),
                tags="py3-none-any", wheel=WHEEL):
    """A wheel for the check rules; edit_record(list of RECORD lines) breaks its RECORD."""
    dist_info = f"{name}-{version}.dist-info"
    members = [(f"{name}/__init__.py", INIT_PY), (f"{dist_info}/METADATA", metadata),
               (f"{dist_info}/WHEEL", wheel), *extra]
    lines = [record_line(n, d) for n, d in members] + [f"{dist_info}/RECORD,,\n"]
    members.append((f"{dist_info}/RECORD", "".join(edit_record(lines))))
    write_zip(HERE / f"{name}-{version}-{tags}.whl", members)


def write_check_fixtures():
    """One rule broken per file, each named after what it breaks (see pypi_check_test.cpp)."""
    def wrong_hash(lines):
        return [lines[0].replace("sha256=", "sha256=AAAA", 1)] + lines[1:]

    def wrong_size(lines):
        path, digest, size = lines[0].rstrip("\n").split(",")
        return [f"{path},{digest},{int(size) + 1}\n"] + lines[1:]

    check_wheel("bad_hash", check_metadata("bad_hash"), edit_record=wrong_hash)
    check_wheel("bad_size", check_metadata("bad_size"), edit_record=wrong_size)
    check_wheel("unlisted", check_metadata("unlisted"), edit_record=lambda lines: lines[1:])
    check_wheel("two_infos", check_metadata("two_infos"),
                extra=[("other-1.0.dist-info/METADATA", check_metadata("other", "1.0"))])
    check_wheel("bad_version", check_metadata("bad_version", "not.a.version"), version="not.a.version")
    check_wheel("html_desc", check_metadata("html_desc", content_type="text/html"))
    check_wheel("no_desc", check_metadata("no_desc", content_type=None, body=None))
    bad_rst = "Title\n===\n\nLonger title\n====\n\nCall it with *args and it works.\n"
    check_wheel("bad_rst", check_metadata("bad_rst", content_type="text/x-rst", body=bad_rst))

    manylinux = "cp311-cp311-manylinux_2_17_x86_64"
    check_wheel("tag_mismatch", check_metadata("tag_mismatch"), tags=manylinux,
                wheel=wheel_file("py3-none-any", purelib=False))
    check_wheel("purelib_so", check_metadata("purelib_so"), tags=manylinux,
                wheel=wheel_file(manylinux, purelib=True),
                extra=[("purelib_so/_speed.cpython-311-x86_64-linux-gnu.so", "\x7fELF")])
    linux = "cp311-cp311-linux_x86_64"
    check_wheel("linux_tag", check_metadata("linux_tag"), tags=linux,
                wheel=wheel_file(linux, purelib=False))

    good = (HERE / "demo_pkg-0.1.0-py3-none-any.whl").read_bytes()
    (HERE / "truncated-0.1.0-py3-none-any.whl").write_bytes(good[: len(good) // 2])
    good_sdist = (HERE / "demo_pkg-0.1.0.tar.gz").read_bytes()
    (HERE / "truncated-0.1.0.tar.gz").write_bytes(good_sdist[: len(good_sdist) // 2])
    (HERE / "empty-0.1.0.tar.gz").write_bytes(b"")

    write_tar_gz(HERE / "no_pkg_info-0.1.0.tar.gz", [("no_pkg_info-0.1.0/setup.py", "")])
    write_tar_gz(
        HERE / "wrong_root-0.1.0.tar.gz",
        [("other-0.1.0/PKG-INFO", check_metadata("wrong_root"))],
    )
    # COPY . . brought the pipeline's WHEELHOUSE (.docker-pipeline/wheelhouse) into the sdist.
    write_tar_gz(
        HERE / "with_wheelhouse-0.1.0.tar.gz",
        [("with_wheelhouse-0.1.0/PKG-INFO", check_metadata("with_wheelhouse")),
         ("with_wheelhouse-0.1.0/.docker-pipeline/wheelhouse/pip-25.3-py3-none-any.whl", "wheel"),
         ("with_wheelhouse-0.1.0/.docker-pipeline/wheelhouse/tomli-2.5.0-py3-none-any.whl", "wheel")],
    )


if __name__ == "__main__":
    main()
