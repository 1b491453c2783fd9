"""Wheels and sdists written directly with zipfile/tarfile: deterministic, RECORD included.

Imports nothing from the harness, so bench/upload can use it too.
"""

import base64
import gzip
import hashlib
import io
import random
import re
import tarfile
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_TAR_TIME = 1577836800  # the same instant
CHUNK = 1 << 20


def file_name_part(name):
    """The project name as wheel and sdist file names spell it (PEP 427, PEP 625)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def metadata_text(name, version, metadata_version="2.1"):
    """Core metadata with multi-valued fields and a description body; 2.4 adds License-Expression,
    License-File and Dynamic."""
    licence = ("License-Expression: MIT\nLicense-File: LICENSE\nLicense-File: NOTICE\n"
               "Dynamic: Platform\nDynamic: Supported-Platform\n" if metadata_version == "2.4"
               else "License: MIT\n")
    return (
        f"Metadata-Version: {metadata_version}\n"
        f"Name: {name}\n"
        f"Version: {version}\n"
        "Summary: A tiny package for upload tests\n"
        "Author-email: Test Author <author@example.invalid>\n"
        f"{licence}"
        "Keywords: upload,test\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: License :: OSI Approved :: MIT License\n"
        "Project-URL: Source, https://example.invalid/source\n"
        "Project-URL: Tracker, https://example.invalid/issues\n"
        "Requires-Python: >=3.8\n"
        "Provides-Extra: never\n"
        'Requires-Dist: not-a-real-dependency; extra == "never"\n'
        "Description-Content-Type: text/markdown\n"
        "\n"
        f"# {name}\n\nUsed by the DockerPipeline upload tests.\n"
    )


def _record_hash(digest):
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _random_chunks(total, seed):
    generator = random.Random(seed)
    left = total
    while left > 0:
        size = min(CHUNK, left)
        yield generator.randbytes(size)
        left -= size


def _zip_info(path, compress):
    info = zipfile.ZipInfo(path, FIXED_ZIP_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def write_wheel(folder, name, version, *, metadata=None, file_name=None, payload_bytes=0):
    """Writes <name>-<version>-py3-none-any.whl into folder and returns its path.

    metadata replaces the METADATA text (to make it disagree with the file name); payload_bytes
    adds an incompressible <module>/payload.bin, streamed in 1 MiB chunks, never held whole.
    """
    module = file_name_part(name)
    dist_info = f"{module}-{version}.dist-info"
    path = Path(folder) / (file_name or f"{module}-{version}-py3-none-any.whl")
    small_files = {
        f"{module}/__init__.py": f"__version__ = {version!r}\n".encode(),
        f"{dist_info}/METADATA": (metadata or metadata_text(name, version)).encode(),
        f"{dist_info}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: dist_factory\n"
                               b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
    }
    record = []
    with zipfile.ZipFile(path, "w") as archive:
        first = f"{module}/__init__.py"
        archive.writestr(_zip_info(first, zipfile.ZIP_DEFLATED), small_files.pop(first))
        record.append(_record_line(first, f"__version__ = {version!r}\n".encode()))
        if payload_bytes:
            payload = f"{module}/payload.bin"
            digest = hashlib.sha256()
            with archive.open(_zip_info(payload, zipfile.ZIP_STORED), "w", force_zip64=True) as out:
                for chunk in _random_chunks(payload_bytes, f"{name}-{version}"):
                    digest.update(chunk)
                    out.write(chunk)
            record.append(f"{payload},{_record_hash(digest.digest())},{payload_bytes}")
        for member, data in small_files.items():
            archive.writestr(_zip_info(member, zipfile.ZIP_DEFLATED), data)
            record.append(_record_line(member, data))
        record.append(f"{dist_info}/RECORD,,")
        archive.writestr(_zip_info(f"{dist_info}/RECORD", zipfile.ZIP_DEFLATED),
                         ("\n".join(record) + "\n").encode())
    return path


def _record_line(member, data):
    return f"{member},{_record_hash(hashlib.sha256(data).digest())},{len(data)}"


def write_sdist(folder, name, version):
    """Writes <name>-<version>.tar.gz (one top-level folder with PKG-INFO) and returns its path."""
    base = f"{file_name_part(name)}-{version}"
    module = file_name_part(name)
    members = {
        f"{base}/PKG-INFO": metadata_text(name, version).encode(),
        f"{base}/pyproject.toml": (
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
            f'[project]\nname = "{name}"\nversion = "{version}"\n').encode(),
        f"{base}/{module}/__init__.py": f"__version__ = {version!r}\n".encode(),
    }
    path = Path(folder) / f"{base}.tar.gz"
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mtime = FIXED_TAR_TIME
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return path
