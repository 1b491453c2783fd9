#!/usr/bin/env python3
"""The corpus of real distributions the tests read: a pinned list (corpus.tsv beside this file)
and the cache it is downloaded into, outside the repository.

    entries()          every Entry of the list, in its order
    cache_dir()        where the files are (see below)
    Entry.path         the cached file of an entry
    missing()          the entries whose file is not cached yet
    verify()           the cached entries whose sha256 is not the pinned one
    download()         fetches what is missing (sha256 verified), as scripts/setup does

The cache is $DP_CORPUS_DIR (which ctest sets), else $DOCKER_PIPELINE_CORPUS_DIR, else
${XDG_CACHE_HOME:-~/.cache}/docker-pipeline/corpus. Run as a script:
`corpus.py download` fills the cache, `corpus.py list` prints each cached path, `corpus.py dir`
the cache. Standard library only, so any Python 3.9+ can import it.
"""

import hashlib
import os
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).resolve().parent / "corpus.tsv"
COLUMNS = ("name", "version", "backend", "metadata_version", "file", "sha256", "url")


def cache_dir():
    for variable in ("DP_CORPUS_DIR", "DOCKER_PIPELINE_CORPUS_DIR"):
        if os.environ.get(variable):
            return Path(os.environ[variable])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "docker-pipeline" / "corpus"


@dataclass(frozen=True)
class Entry:
    name: str              # the project's name as PyPI spells it
    version: str
    backend: str           # the build backend that made the file
    metadata_version: str  # the Metadata-Version of its PKG-INFO or METADATA
    file: str
    sha256: str
    url: str

    @property
    def kind(self):
        return "wheel" if self.file.endswith(".whl") else "sdist"

    @property
    def path(self):
        return cache_dir() / self.file


def entries():
    """The corpus list: one Entry per line of corpus.tsv (tab-separated, '#' starts a comment)."""
    result = []
    for number, line in enumerate(LIST.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{LIST}:{number}: {len(fields)} fields, expected {len(COLUMNS)}")
        result.append(Entry(*fields))
    return result


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def missing():
    return [entry for entry in entries() if not entry.path.is_file()]


class HashMismatch(Exception):
    pass


def _fetch(entry, folder):
    """Downloads entry.url into `folder`, checks its sha256, then renames it into place, so the
    cache never holds a partial or wrong file under an entry's name."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{entry.file}.", delete=False) as out:
        try:
            digest = hashlib.sha256()
            with urllib.request.urlopen(entry.url, timeout=120) as response:
                for block in iter(lambda: response.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
            out.flush()
            os.fsync(out.fileno())
            if digest.hexdigest() != entry.sha256:
                raise HashMismatch(f"{entry.file}: downloaded from {entry.url} with sha256 "
                                   f"{digest.hexdigest()}, but corpus.tsv pins {entry.sha256}")
            os.chmod(out.name, 0o644)  # not the temporary file's 0600
            os.replace(out.name, folder / entry.file)
        except BaseException:
            os.unlink(out.name)
            raise


def verify():
    """The cached files whose sha256 is not the pinned one (a damaged cache)."""
    return [entry for entry in entries()
            if entry.path.is_file() and sha256_of(entry.path) != entry.sha256]


def download(log=lambda text: print(text, file=sys.stderr)):
    """Fetches every entry not in the cache yet and returns them; with everything cached it only
    hashes the cached files (about 10 MB). Raises HashMismatch when a cached or downloaded file is
    not the one the list pins; a download that does not match is not kept.

    Not `pip download --no-deps --require-hashes`, which was tried first: for an sdist, pip runs
    its build backend to read its metadata (slow, needs the backend from PyPI, and fails for
    Python 2 era setup.py files such as simplejson 2.0.9's), and it refuses wheels for another
    interpreter or platform (a cp312 wheel under Python 3.11). The files are test data, not
    things to install, so a plain HTTPS fetch checked against the pinned sha256 does the job."""
    damaged = verify()
    if damaged:
        raise HashMismatch("; ".join(
            f"{entry.path} does not have the pinned sha256 {entry.sha256}: delete it and "
            f"download again" for entry in damaged))
    todo = missing()
    if not todo:
        return []
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for entry in todo:
        log(f"corpus: downloading {entry.file}")
        _fetch(entry, folder)
        size += entry.path.stat().st_size
    log(f"corpus: {len(todo)} files ({size / 1e6:.1f} MB) downloaded into {folder}")
    return todo


def main(argv):
    command = argv[1] if len(argv) > 1 else "download"
    if command == "download":
        try:
            download()
        except HashMismatch as error:
            print(f"corpus: {error}", file=sys.stderr)
            return 1
    elif command == "list":
        for entry in entries():
            print(entry.path)
    elif command == "dir":
        print(cache_dir())
    else:
        print(f"usage: {argv[0]} [download|list|dir]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
