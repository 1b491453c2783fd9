"""The corpus of real distributions (tests/corpus) through `check` and `upload`, file by file,
against twine: `check --strict` passes and fails what `twine check --strict` does, for the same
kinds of findings; `upload` sends every file twine sends, with the same form fields (a capturing index
records both), pypiserver and devpi store the files byte for byte, and pip installs each pure
wheel back. Where the two differ, the difference is listed below with the words that show it,
and the README (check and upload sections) says why."""

import json
import os
import re
import shutil
import subprocess
import sys
import unittest
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from devpi_index import DevpiIndex, devpi_available
from fault_server import FaultServer
from harness import HELPER, SOURCE_DIR, TOOLS, Index, fresh_dir, run, simple_index_sha256s

sys.path.insert(0, str(SOURCE_DIR / "tests" / "corpus"))
import corpus  # noqa: E402

ENTRIES = corpus.entries()
FILES = [entry.file for entry in ENTRIES]
BY_FILE = {entry.file: entry for entry in ENTRIES}

# Files for which `check --strict` and `twine check --strict` disagree (verdict or kind of
# finding), with the words of our output that give the documented reason (README, check).
# Empty: on this corpus the two agree file by file.
CHECK_DIFFERENCES = {}

# Files twine refuses to upload, with the words of its refusal: packaging's validation, which
# PyPI applies too, finds a field newer than the file's Metadata-Version, or a Metadata-Version
# that was never published.
TWINE_REFUSES = {
    "attrs-24.2.0.tar.gz": "license-expression introduced in metadata version 2.4, not 2.3",
    "attrs-24.2.0-py3-none-any.whl":
        "license-expression introduced in metadata version 2.4, not 2.3",
    "iniconfig-2.0.0.tar.gz": "license-expression introduced in metadata version 2.4, not 2.1",
    "iniconfig-2.0.0-py3-none-any.whl":
        "license-expression introduced in metadata version 2.4, not 2.1",
    "six-1.10.0-py2.py3-none-any.whl": "'2.0' is not a valid metadata version",
    "MarkupSafe-0.23.tar.gz": "classifier introduced in metadata version 1.1, not 1.0",
    "simplejson-2.0.9.tar.gz": "classifier introduced in metadata version 1.1, not 1.0",
}

# Files docker-pipeline refuses to upload (before sending anything), with the words of its
# refusal: a Metadata-Version it cannot read. twine refuses them too.
HELPER_REFUSES = {
    "six-1.10.0-py2.py3-none-any.whl": "Metadata-Version 2.0 is not one of 1.0, 1.1, 1.2, 2.1 to",
}

# Files twine refuses and docker-pipeline uploads: a field newer than the file's Metadata-Version
# is an error of `check` (these words), not a reason for upload to refuse the file; the index
# decides (README, upload).
UPLOADED_DESPITE_TWINE = {
    "attrs-24.2.0.tar.gz":
        "License-Expression came with Metadata-Version 2.4; the file declares 2.3",
    "attrs-24.2.0-py3-none-any.whl":
        "License-Expression came with Metadata-Version 2.4; the file declares 2.3",
    "iniconfig-2.0.0.tar.gz":
        "License-Expression came with Metadata-Version 2.4; the file declares 2.1",
    "iniconfig-2.0.0-py3-none-any.whl":
        "License-Expression came with Metadata-Version 2.4; the file declares 2.1",
    "MarkupSafe-0.23.tar.gz": "Classifier came with Metadata-Version 1.1; the file declares 1.0",
    "simplejson-2.0.9.tar.gz": "Classifier came with Metadata-Version 1.1; the file declares 1.0",
}

TWINE_UPLOADS = [f for f in FILES if f not in TWINE_REFUSES]
HELPER_UPLOADS = [f for f in FILES if f not in HELPER_REFUSES]
PURE_WHEELS = [f for f in HELPER_UPLOADS if f.endswith("-none-any.whl")]


def require_corpus():
    missing = corpus.missing()
    if missing:
        raise AssertionError(f"{len(missing)} files of the corpus are not in {corpus.cache_dir()} "
                             f"(first: {missing[0].file}): run scripts/setup")


def dist_copy(folder):
    """The corpus copied into `folder`: upload writes its journal beside the files, and the cache
    is shared."""
    folder.mkdir(parents=True)
    for entry in ENTRIES:
        shutil.copyfile(entry.path, folder / entry.file)
    return folder


# --- check: what each tool found, per file ---------------------------------------------------

@dataclass
class Verdict:
    status: str = ""                             # the text after "Checking <file>: "
    findings: list = field(default_factory=list)  # (severity, text)
    refused: bool = False                         # twine: InvalidDistribution, nothing else read

    def passed(self):
        return self.status.startswith("PASSED")

    def kinds(self, severity):
        return {kind_of(text) for s, text in self.findings if s == severity}

    def text(self):
        return "\n".join([self.status] + [f"{s} {t}" for s, t in self.findings])

    def summary(self):
        """text(), each finding cut to 200 characters (twine quotes the whole description)."""
        return "\n".join([self.status] + [f"  {s} {t[:200]}" for s, t in self.findings])


def kind_of(text):
    """What a finding is about, in words both tools' messages map to."""
    if "InvalidDistribution" in text or re.match(r"\S+(/PKG-INFO|\.dist-info/METADATA)[: ]", text):
        return "metadata"
    if "`long_description` has syntax errors" in text or "has markup errors" in text:
        return "markup"
    if "`long_description_content_type` missing" in text:
        return "content type missing"
    if "`long_description` missing" in text:
        return "description missing"
    return "other: " + text[:100]


def parse_check_output(output, finding):
    """{file: Verdict} from the output of `twine check` or `docker-pipeline check`. `finding`
    matches a line that starts a finding (groups: ERROR or WARNING, the text); other lines
    continue the finding above."""
    verdicts, current = {}, None
    for line in output.splitlines():
        match = re.match(r"Checking (\S+): (.*)", line)
        if match:
            current = verdicts[os.path.basename(match.group(1))] = Verdict(match.group(2).strip())
            refusal = re.match(r"ERROR\s+(InvalidDistribution: .*)", current.status)
            if refusal:
                current.status, current.refused = "FAILED", True
                current.findings.append(("error", refusal.group(1).strip()))
            continue
        if current is None or not line.strip():
            continue
        match = re.match(finding, line)
        if match:
            current.findings.append((match.group(1).lower(), match.group(2).strip()))
        elif current.findings:
            severity, text = current.findings[-1]
            current.findings[-1] = (severity, f"{text} {line.strip()}")
    return verdicts


TWINE_FINDING = r"(ERROR|WARNING)\s+(.*)"     # at the start of a line; continuations are indented
HELPER_FINDING = r"  (ERROR|WARNING)\s+(.*)"


def quiet_run(argv, cwd, env):
    """run() for twine's output, which rich pads to the terminal's width: the lines are printed
    into the test log without the padding."""
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    output = "\n".join(line.rstrip() for line in done.stdout.splitlines())
    print(f"$ {' '.join(map(str, argv))}\n{output}\n(exit status {done.returncode})", flush=True)
    return output


def twine_check(files, cwd):
    """`twine check --strict` of every file. twine stops at the first file whose metadata it
    refuses (it checks the wheels first), so the files it did not reach are checked by another
    run."""
    verdicts, todo = {}, list(files)
    while todo:
        output = quiet_run([TOOLS / "twine", "--no-color", "check", "--strict", *todo], cwd=cwd,
                           env=dict(os.environ, COLUMNS="300"))
        found = parse_check_output(output, TWINE_FINDING)
        if not found.keys() & set(todo):
            raise AssertionError(f"twine check reported on none of {todo}:\n{output}")
        verdicts.update(found)
        todo = [file for file in todo if file not in found]
    return verdicts


def helper_check(files, cwd):
    _, output = run([HELPER, "check", "--strict", *files], cwd=cwd, timeout=300)
    return parse_check_output(output, HELPER_FINDING)


def agree(ours, theirs):
    """Whether the two verdicts on a file agree: the same outcome and the same kinds of errors
    and warnings. twine reads nothing further after metadata it refuses, so there our errors
    need only include one about the metadata."""
    if theirs.refused:
        return not ours.passed() and "metadata" in ours.kinds("error")
    return (ours.passed() == theirs.passed() and ours.kinds("error") == theirs.kinds("error")
            and ours.kinds("warning") == theirs.kinds("warning"))


class CorpusCheck(unittest.TestCase):
    """`check --strict` against `twine check --strict`, file by file."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        require_corpus()
        folder = corpus.cache_dir()
        cls.twine = twine_check(FILES, folder)
        cls.ours = helper_check(FILES, folder)

    def test_both_tools_report_on_every_file(self):
        self.assertEqual(sorted(self.twine), sorted(FILES))
        self.assertEqual(sorted(self.ours), sorted(FILES))

    def test_check_agrees_with_twine_file_by_file(self):
        for file in FILES:
            with self.subTest(file):
                ours, theirs = self.ours[file], self.twine[file]
                explain = f"\nours:\n{ours.summary()}\ntwine:\n{theirs.summary()}"
                if file in CHECK_DIFFERENCES:
                    self.assertFalse(agree(ours, theirs), "no longer differs: remove it from "
                                     "CHECK_DIFFERENCES and the README" + explain)
                    self.assertIn(CHECK_DIFFERENCES[file], ours.text(), explain)
                else:
                    self.assertTrue(agree(ours, theirs), "check and twine check --strict differ"
                                    + explain)

    def test_twine_refuses_the_metadata_of_the_files_it_will_not_upload(self):
        # The same validation refuses these files in twine upload (CorpusUpload).
        refused = {file: v.findings[0][1] for file, v in self.twine.items() if v.refused}
        self.assertEqual(sorted(refused), sorted(TWINE_REFUSES))
        for file, words in TWINE_REFUSES.items():
            self.assertIn(words, refused[file])

    def test_check_names_the_field_of_files_uploaded_despite_twine(self):
        for file, words in UPLOADED_DESPITE_TWINE.items():
            with self.subTest(file):
                self.assertFalse(self.ours[file].passed())
                self.assertIn(words, self.ours[file].text())

    def test_check_reports_every_finding_where_twine_stops_at_the_metadata(self):
        # MarkupSafe 0.23: Classifier in a Metadata-Version 1.0 file, and a description that does
        # not render; twine names only the first.
        ours = self.ours["MarkupSafe-0.23.tar.gz"]
        self.assertEqual(ours.kinds("error"), {"metadata", "markup"})
        self.assertEqual(self.twine["MarkupSafe-0.23.tar.gz"].kinds("error"), {"metadata"})


# --- upload: the same files, the same fields, the same bytes -----------------------------------

def twine_upload(folder, files, env):
    return run([TOOLS / "twine", "upload", "--non-interactive", "--disable-progress-bar",
                *(str(folder / f) for f in files)], env=env, timeout=600)


def helper_upload(folder, files, env, home):
    return run([HELPER, "upload", *(str(folder / f) for f in files)],
               env=dict(env, HOME=str(home)), timeout=600)


def devpi_login_token(devpi):
    """A login token of devpi's (what `devpi login` keeps), which devpi takes as a password too:
    it checks the token's signature, where a password costs an argon2 hash on every request
    (about half a second each, and this is 90 uploads)."""
    request = urllib.request.Request(
        devpi.url + "+login", method="POST",
        data=json.dumps({"user": devpi.user, "password": devpi.password}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)["result"]["password"]


def posted(server):
    """{file name: form fields with a value} of every upload the server received whole."""
    return {u.file_name: {name: values for name, values in u.fields.items() if any(values)}
            for u in server.uploads if u.body_received}


class CorpusUpload(unittest.TestCase):
    """One capturing index per tool, one pypiserver and one devpi (an index per tool) for the
    whole corpus; each tool uploads all it will in one call per index."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        require_corpus()
        cls.work = fresh_dir("corpus-upload")
        (cls.work / "home").mkdir()
        cls.dist = dist_copy(cls.work / "dist")
        cls.closers = []
        try:
            cls.upload_everywhere()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def upload_everywhere(cls):
        # devpi takes the longest to start and to store files: it starts first, and the two
        # tools upload to it (to an index each) at the same time.
        assert devpi_available(), "devpi-server is not in the venv: run scripts/setup"
        (cls.work / "devpi").mkdir()
        with ThreadPoolExecutor(max_workers=2) as pool:
            devpi = pool.submit(cls.open, DevpiIndex(cls.work / "devpi", ["twine", "helper"]))
            cls.upload_to_capturing_indexes()
            cls.index = cls.open(Index(cls.work / "pypiserver"))
            cls.helper_pypiserver = helper_upload(cls.dist, HELPER_UPLOADS, cls.index.twine_env(),
                                                  cls.work / "home")
            cls.devpi = devpi.result()
            token = devpi_login_token(cls.devpi)
            twine_devpi = pool.submit(twine_upload, cls.dist, TWINE_UPLOADS,
                                      dict(cls.devpi.twine_env("twine"), TWINE_PASSWORD=token))
            helper_devpi = pool.submit(helper_upload, cls.dist, HELPER_UPLOADS,
                                       dict(cls.devpi.twine_env("helper"), TWINE_PASSWORD=token),
                                       cls.work / "home")
            cls.twine_devpi, cls.helper_devpi = twine_devpi.result(), helper_devpi.result()

    @classmethod
    def upload_to_capturing_indexes(cls):
        form = {"TWINE_USERNAME": "uploader", "TWINE_PASSWORD": "corpus-Passw0rd"}
        cls.by_twine = cls.open(FaultServer())
        cls.by_helper = cls.open(FaultServer())
        twine_env = dict(form, TWINE_REPOSITORY_URL=cls.by_twine.url)
        helper_env = dict(form, TWINE_REPOSITORY_URL=cls.by_helper.url)
        cls.twine_form = twine_upload(cls.dist, TWINE_UPLOADS, twine_env)
        # Each file twine refuses, alone: its refusal, and nothing sent.
        cls.twine_refusals = {}
        for file in TWINE_REFUSES:
            before = cls.by_twine.requests_seen()
            status, output = twine_upload(cls.dist, [file], twine_env)
            cls.twine_refusals[file] = (status, output, cls.by_twine.requests_seen() - before)
        # The whole corpus at once: a file the helper refuses stops the run before anything is
        # sent; then all the others.
        cls.helper_all = helper_upload(cls.dist, FILES, helper_env, cls.work / "home")
        cls.helper_all_posts = cls.by_helper.requests_seen()
        cls.helper_form = helper_upload(cls.dist, HELPER_UPLOADS, helper_env, cls.work / "home")

    @classmethod
    def open(cls, context):
        entered = context.__enter__()
        cls.closers.append(context)
        return entered

    @classmethod
    def tearDownClass(cls):
        while cls.closers:
            cls.closers.pop().__exit__(None, None, None)

    def test_each_upload_run_succeeds(self):
        for label, (status, output) in (("twine, capturing index", self.twine_form),
                                        ("helper, capturing index", self.helper_form),
                                        ("helper, pypiserver", self.helper_pypiserver),
                                        ("twine, devpi", self.twine_devpi),
                                        ("helper, devpi", self.helper_devpi)):
            with self.subTest(label):
                self.assertEqual(status, 0, output)

    def test_twine_refuses_the_documented_files_before_sending(self):
        for file, words in TWINE_REFUSES.items():
            with self.subTest(file):
                status, output, requests = self.twine_refusals[file]
                self.assertNotEqual(status, 0, output)
                self.assertIn("InvalidDistribution", output)
                self.assertIn(words, " ".join(output.split()))
                self.assertEqual(requests, 0)

    def test_helper_refuses_the_documented_files_before_sending(self):
        status, output = self.helper_all
        self.assertEqual(status, 1, output)
        for file, words in HELPER_REFUSES.items():
            self.assertIn(f"{file}: ", output)
            self.assertIn(words, output)
        self.assertIn("(nothing was uploaded)", output)
        self.assertEqual(self.helper_all_posts, 0)

    def test_the_helper_uploads_every_file_twine_uploads(self):
        self.assertEqual(sorted(posted(self.by_twine)), sorted(TWINE_UPLOADS))
        self.assertEqual(sorted(posted(self.by_helper)), sorted(HELPER_UPLOADS))
        self.assertLessEqual(set(TWINE_UPLOADS), set(HELPER_UPLOADS))
        self.assertEqual(set(HELPER_UPLOADS) - set(TWINE_UPLOADS), set(UPLOADED_DESPITE_TWINE))

    def test_form_fields_equal_twines_file_by_file(self):
        by_twine, by_helper = posted(self.by_twine), posted(self.by_helper)
        for file in TWINE_UPLOADS:
            with self.subTest(file):
                self.assertEqual(by_helper[file], by_twine[file])

    def test_files_uploaded_despite_twine_carry_their_metadata(self):
        by_helper = posted(self.by_helper)
        for file in UPLOADED_DESPITE_TWINE:
            with self.subTest(file):
                entry = BY_FILE[file]
                fields = by_helper[file]
                self.assertEqual(fields["metadata_version"], [entry.metadata_version])
                self.assertEqual(fields["version"], [entry.version])
                self.assertEqual(fields["sha256_digest"], [entry.sha256])

    def test_pypiserver_stores_the_same_bytes(self):
        self.assertEqual(self.index.files(), sorted(HELPER_UPLOADS))
        for file in HELPER_UPLOADS:
            with self.subTest(file):
                self.assertEqual(corpus.sha256_of(self.index.packages / file), BY_FILE[file].sha256)

    def test_devpi_stores_the_same_bytes(self):
        for label, files in (("twine", TWINE_UPLOADS), ("helper", HELPER_UPLOADS)):
            listed = {}
            for project in sorted({BY_FILE[f].name for f in files}):
                url = self.devpi.simple_url(label) + f"{canonical(project)}/"
                listed.update(simple_index_sha256s(url))
            with self.subTest(label):
                self.assertEqual(listed, {f: BY_FILE[f].sha256 for f in files})

    def test_pip_installs_each_pure_wheel_back(self):
        """From pypiserver and from devpi, each pure wheel the helper uploaded, with its pinned
        sha256, into one venv: one pip run per round, a round holding one version of a project."""
        venv = self.work / "pip-venv"
        subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
        rounds = defaultdict(list)
        seen = defaultdict(int)
        for file in PURE_WHEELS:
            entry = BY_FILE[file]
            rounds[seen[entry.name]].append(entry)
            seen[entry.name] += 1
        for label, simple_url in (("pypiserver", self.index.url + "simple/"),
                                  ("devpi", self.devpi.simple_url("helper"))):
            for number, entries in sorted(rounds.items()):
                with self.subTest(f"{label}, round {number + 1}"):
                    requirements = self.work / f"requirements-{label}-{number}.txt"
                    requirements.write_text("".join(
                        f"{e.name}=={e.version} --hash=sha256:{e.sha256}\n" for e in entries))
                    # --isolated: no PIP_* variable (such as PIP_FIND_LINKS) adds another source.
                    status, output = run([venv / "bin" / "pip", "--isolated", "install",
                                          "--disable-pip-version-check", "--no-cache-dir",
                                          "--no-deps", "--only-binary", ":all:",
                                          "--ignore-requires-python", "--force-reinstall",
                                          "--index-url", simple_url, "--require-hashes",
                                          "-r", requirements], timeout=600)
                    self.assertEqual(status, 0, output)
                    installed = installed_versions(venv)
                    self.assertEqual({e.name: installed.get(canonical(e.name)) for e in entries},
                                     {e.name: e.version for e in entries})


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions(venv):
    done = subprocess.run(
        [venv / "bin" / "python", "-c",
         "import importlib.metadata as m, json\n"
         "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"],
        check=True, capture_output=True, text=True, timeout=60)
    return {canonical(name): version for name, version in json.loads(done.stdout).items()}


if __name__ == "__main__":
    unittest.main()
