"""The example project's CI files (.github/workflows/release.yml, .gitlab-ci.yml): their shape
(triggers, trusted publishing, JUnit reports) and that every preset, target and file their
commands name exists in the example project, checked against the project configured for real."""

import copy
import glob
import json
import re
import shlex
import subprocess
import tempfile
import unittest
from pathlib import Path, PurePosixPath

import yaml

from harness import EXAMPLE_PROJECT, configure, fresh_dir

GITHUB = EXAMPLE_PROJECT / ".github" / "workflows" / "release.yml"
GITLAB = EXAMPLE_PROJECT / ".gitlab-ci.yml"
PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
GITLAB_KEYWORDS = {"default", "include", "stages", "variables", "workflow", "image", "services",
                   "before_script", "after_script", "cache", "spec"}


class Project:
    """What the CI files may name: the presets of CMakePresets.json, the build targets of the
    example configured with this build's DockerPipeline, and where the JUnit reports land."""

    def __init__(self, root, binary):
        self.root = root
        presets = json.loads((root / "CMakePresets.json").read_text())
        self.presets = {kind: {p["name"]: p for p in presets.get(f"{kind}Presets", [])}
                        for kind in ("configure", "build", "test", "workflow")}
        listed = subprocess.run(["ninja", "-C", binary, "-t", "targets", "all"],
                                capture_output=True, text=True)
        if listed.returncode != 0:
            raise RuntimeError(f"ninja could not list the example's targets:\n{listed.stderr}")
        self.targets = {line.split(":")[0] for line in listed.stdout.splitlines() if ": " in line}
        self.binary = binary

    def binary_dir(self, configure_preset):
        """The preset's binaryDir relative to the project's root (build/default)."""
        preset = self.presets["configure"][configure_preset]
        path = preset["binaryDir"].replace("${presetName}", configure_preset)
        return PurePosixPath(path.replace("${sourceDir}/", ""))

    def junit_reports(self, workflow="test"):
        """Where each pipeline's JUnit report lands, relative to the project's root, after the
        workflow preset: the test stage copies every ARTIFACTS path to
        <output dir>/artifacts/<its last component>, and TEST_COMMAND's --junitxml names the
        report inside one of them."""
        steps = self.presets["workflow"][workflow]["steps"]
        configure_preset = next(step["name"] for step in steps if step["type"] == "configure")
        reports = []
        for file in sorted(Path(self.binary).glob("*.pipeline.json")):
            pipeline = json.loads(file.read_text())
            output_dir = Path(pipeline["output_dir"]).relative_to(self.binary)
            for word in pipeline["test_command"]:
                if not word.startswith("--junitxml="):
                    continue
                report = PurePosixPath(word.split("=", 1)[1])
                for artifact in map(PurePosixPath, pipeline["artifacts"]):
                    if report.is_relative_to(artifact):
                        reports.append(self.binary_dir(configure_preset) / output_dir /
                                       "artifacts" / artifact.name / report.relative_to(artifact))
        return reports


def commands(script):
    """The simple commands of a shell script (a `run:` or one `script:` entry), as word lists
    without leading VAR=value assignments and sudo."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.shlex(line, posix=True, punctuation_chars=True)
        words.whitespace_split = True
        words.commenters = "#"
        current = []
        for word in words:
            if word in ("&&", "||", ";", "|", "&", "(", ")"):
                found.append(current)
                current = []
            else:
                current.append(word)
        found.append(current)
    result = []
    for command in found:
        while command and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", command[0]) or
                           command[0] == "sudo"):
            command = command[1:]
        if command:
            result.append(command)
    return result


def option_values(command, *names):
    """The values of an option (`--preset X`, `--preset=X`); --target takes several words."""
    values = []
    for i, word in enumerate(command):
        for name in names:
            if word == name:
                rest = command[i + 1:]
                for value in rest if name in ("--target", "-t") else rest[:1]:
                    if value.startswith("-"):
                        break
                    values.append(value)
            elif word.startswith(name + "="):
                values.append(word.split("=", 1)[1])
    return values


def command_problems(project, scripts):
    """What the scripts' commands name that the project lacks: presets of the kind the command
    takes, build targets, relative paths."""
    problems = []
    for where, script in scripts:
        for command in commands(script):
            tool = command[0]
            if tool in ("cmake", "ctest"):
                kind = ("test" if tool == "ctest" else "workflow" if "--workflow" in command
                        else "build" if "--build" in command else "configure")
                for preset in option_values(command, "--preset"):
                    if preset not in project.presets[kind]:
                        problems.append(f"{where}: `{shlex.join(command)}`: no {kind} preset "
                                        f"{preset!r} in CMakePresets.json")
                if tool == "cmake" and "--build" in command:
                    for target in option_values(command, "--target", "-t"):
                        if target not in project.targets:
                            problems.append(f"{where}: `{shlex.join(command)}`: the example "
                                            f"project has no target {target!r}")
            for word in command:
                if ("/" in word and "://" not in word and "=" not in word and
                        not word.startswith(("/", "-", "$", "~")) and
                        not (project.root / word).exists()):
                    problems.append(f"{where}: `{shlex.join(command)}`: {word} does not exist "
                                    "in the example project")
    return problems


def workflow_runs(scripts, preset):
    return any(command[:4] == ["cmake", "--workflow", "--preset", preset] or
               command[:3] == ["cmake", "--workflow", f"--preset={preset}"]
               for _, script in scripts for command in commands(script))


def glob_problems(where, patterns, reports):
    """Each JUnit report must be matched by one of the patterns (a pattern matching a folder
    holding it counts: an upload of that folder takes it). Checked on a tree holding them."""
    problems = []
    with tempfile.TemporaryDirectory() as tree:
        for report in reports:
            (Path(tree) / report).parent.mkdir(parents=True, exist_ok=True)
            (Path(tree) / report).write_text("<testsuites/>")
        for report in reports:
            matched = {PurePosixPath(path) for pattern in patterns
                       for path in glob.glob(pattern, root_dir=tree, recursive=True)}
            if not any(report == path or report.is_relative_to(path) for path in matched):
                problems.append(f"{where}: {', '.join(patterns) or 'no pattern'} does not match "
                                f"{report}, where the container tests' JUnit report lands")
    return problems


def github_branch_pattern(pattern):
    """A GitHub Actions branch/tag filter as a regular expression (* stops at /, ** does not)."""
    return re.compile("".join(".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
                              for part in re.split(r"(\*\*|\*)", pattern)) + r"\Z")


def github_scripts(job_name, job):
    return [(f"jobs.{job_name}.steps[{i}].run", step["run"])
            for i, step in enumerate(job.get("steps", [])) if "run" in step]


def check_github(doc, project):
    problems = []
    on = doc.get("on", doc.get(True))  # YAML 1.1, as PyYAML reads it: a bare `on` is true
    push = (on or {}).get("push") or {}
    if not any(github_branch_pattern(p).match(branch)
               for p in push.get("branches", []) for branch in ("main", "topic/x")):
        problems.append("on.push.branches: a push to any branch does not run the workflow")
    if not any(github_branch_pattern(p).match("v1.2.3") for p in push.get("tags", [])):
        problems.append("on.push.tags: no pattern matches a tag v1.2.3")
    if "pull_request" not in (on or {}):
        problems.append("on: no pull_request")

    jobs = doc.get("jobs", {})
    testing = {n for n, j in jobs.items() if workflow_runs(github_scripts(n, j), "test")}
    releasing = {n for n, j in jobs.items() if workflow_runs(github_scripts(n, j), "release")}
    if not testing:
        problems.append("no job runs `cmake --workflow --preset test`")
    if not releasing:
        problems.append("no job runs `cmake --workflow --preset release`")
    for name in releasing:
        job = jobs[name]
        condition = str(job.get("if", ""))
        if not re.search(r"startsWith\(\s*github\.ref\s*,\s*'refs/tags/v", condition):
            problems.append(f"jobs.{name}.if: {condition!r} does not restrict it to tags v*")
        permissions = job.get("permissions") or {}
        if permissions.get("id-token") != "write" or permissions.get("contents") != "read":
            problems.append(f"jobs.{name}.permissions: {permissions!r}, not id-token: write and "
                            "contents: read (trusted publishing)")
        environment = job.get("environment")
        if (environment.get("name") if isinstance(environment, dict) else environment) != "pypi":
            problems.append(f"jobs.{name}.environment: {environment!r}, not pypi")
        env = {**(doc.get("env") or {}), **(job.get("env") or {})}
        if env.get("TWINE_REPOSITORY_URL") != PYPI_UPLOAD:
            problems.append(f"jobs.{name}.env.TWINE_REPOSITORY_URL is not {PYPI_UPLOAD}")
    for name in testing - releasing:
        job = jobs[name]
        if "id-token" in (job.get("permissions") or {}):
            problems.append(f"jobs.{name}: a test job with an id-token permission")
        if "tags/" in str(job.get("if", "")) and "!" not in str(job.get("if", "")):
            problems.append(f"jobs.{name}.if: runs only on tags")
    for name in testing | releasing:
        uploads = [step for step in jobs[name].get("steps", [])
                   if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
        if not any(step.get("if") == "always()" for step in uploads):
            problems.append(f"jobs.{name}: no actions/upload-artifact step with if: always()")
        patterns = [line for step in uploads
                    for line in str((step.get("with") or {}).get("path", "")).split("\n") if line]
        problems += glob_problems(f"jobs.{name} upload-artifact path", patterns,
                                  project.junit_reports())

    problems += command_problems(project, [script for n, j in jobs.items()
                                           for script in github_scripts(n, j)])
    return problems


def flatten(entries):
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, list):
            yield from flatten(entry)
        elif entry is not None:
            yield entry


def gitlab_scripts(doc, job_name):
    """The script lines a GitLab job runs: its own, else default's before_script/after_script."""
    job = doc[job_name]
    scripts = []
    for key in ("before_script", "script", "after_script"):
        source = job if key in job else doc.get("default", {}) if key != "script" else {}
        scripts += [(f"{job_name}.{key}[{i}]", line)
                    for i, line in enumerate(flatten(source.get(key, [])))]
    return scripts


def gitlab_tag_only(job):
    """Whether a GitLab job's rules (or only/except) let it run on tags v* alone."""
    if "rules" in job:
        running = [rule for rule in job["rules"] if rule.get("when") != "never"]
        if not running:
            return False
        for rule in running:
            condition = str(rule.get("if", ""))
            match = re.fullmatch(r"\s*\$CI_COMMIT_TAG\s*=~\s*/(.*)/\s*", condition)
            pattern = match and re.compile(match.group(1))
            if not pattern or not pattern.search("v1.2.3") or pattern.search("1.2.3"):
                return False
        return True
    only = job.get("only")
    refs = only.get("refs") if isinstance(only, dict) else only
    return refs is not None and all(str(ref).startswith(("tags", "/^v")) for ref in refs)


def check_gitlab(doc, project):
    problems = []
    workflow_rules = [str(rule.get("if", ""))
                      for rule in (doc.get("workflow") or {}).get("rules", [])]
    if not any(re.search(r'\$CI_PIPELINE_SOURCE\s*==\s*"merge_request_event"', r)
               for r in workflow_rules):
        problems.append("workflow.rules: no merge request pipelines")
    if not any(re.fullmatch(r"\s*\$CI_COMMIT_BRANCH\s*", r) for r in workflow_rules):
        problems.append("workflow.rules: no branch pipelines")
    if not any(re.fullmatch(r"\s*\$CI_COMMIT_TAG\s*", r) for r in workflow_rules):
        problems.append("workflow.rules: no tag pipelines")
    variables = doc.get("variables") or {}
    if not str(variables.get("DOCKER_HOST", "")).startswith("tcp://docker:"):
        problems.append("variables.DOCKER_HOST does not name the docker:dind service")
    services = [s if isinstance(s, str) else s.get("name", "")
                for s in (doc.get("default") or {}).get("services", [])]
    if not any(re.fullmatch(r"docker:(\S+-)?dind", s) for s in services):
        problems.append(f"default.services: {services!r} has no docker:dind")

    jobs = [name for name, job in doc.items()
            if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)]
    testing = {n for n in jobs if workflow_runs(gitlab_scripts(doc, n), "test")}
    releasing = {n for n in jobs if workflow_runs(gitlab_scripts(doc, n), "release")}
    if not testing:
        problems.append("no job runs `cmake --workflow --preset test`")
    if not releasing:
        problems.append("no job runs `cmake --workflow --preset release`")
    for name in releasing:
        job = doc[name]
        audience = ((job.get("id_tokens") or {}).get("PYPI_ID_TOKEN") or {}).get("aud")
        if audience != "pypi":
            problems.append(f"{name}.id_tokens.PYPI_ID_TOKEN.aud: {audience!r}, not pypi")
        if not gitlab_tag_only(job):
            problems.append(f"{name}: not restricted to tags v* (rules or only)")
        job_variables = {**variables, **(job.get("variables") or {})}
        if job_variables.get("TWINE_REPOSITORY_URL") != PYPI_UPLOAD:
            problems.append(f"{name}.variables.TWINE_REPOSITORY_URL is not {PYPI_UPLOAD}")
    for name in testing - releasing:
        if gitlab_tag_only(doc[name]):
            problems.append(f"{name}: runs only on tags")
        if "id_tokens" in doc[name]:
            problems.append(f"{name}: a test job with id_tokens")
    for name in testing | releasing:
        artifacts = doc[name].get("artifacts") or {}
        if artifacts.get("when") != "always":
            problems.append(f"{name}.artifacts.when is not always: failed tests' reports are lost")
        patterns = list(flatten((artifacts.get("reports") or {}).get("junit", [])))
        problems += glob_problems(f"{name}.artifacts.reports.junit", patterns,
                                  project.junit_reports())

    problems += command_problems(project, [script for n in [*jobs] for script in
                                           gitlab_scripts(doc, n)])
    return problems


class CiWorkflows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = fresh_dir("example")
        configure(EXAMPLE_PROJECT, binary)
        cls.project = Project(EXAMPLE_PROJECT, binary)
        cls.github = yaml.safe_load(GITHUB.read_text())
        cls.gitlab = yaml.safe_load(GITLAB.read_text())

    def test_the_project_has_what_the_checks_compare_with(self):
        self.assertIn("publish", self.project.targets)
        self.assertIn("pydemo-image", self.project.targets)
        self.assertEqual(self.project.junit_reports(),
                         [PurePosixPath("build/default/pydemo/artifacts/reports/junit.xml")])
        for preset in ("test", "release"):
            steps = self.project.presets["workflow"][preset]["steps"]
            for step in steps:
                self.assertIn(step["name"], self.project.presets[step["type"]], preset)
        for preset in self.project.presets["build"].values():
            for target in preset.get("targets", []):
                self.assertIn(target, self.project.targets, preset["name"])

    def test_github_workflow(self):
        self.assertEqual(check_github(self.github, self.project), [])

    def test_gitlab_pipeline(self):
        self.assertEqual(check_gitlab(self.gitlab, self.project), [])

    def test_a_wrong_preset_target_or_path_is_found(self):
        doc = copy.deepcopy(self.github)
        steps = doc["jobs"]["test"]["steps"]
        for step in steps:
            if "run" in step:
                step["run"] = (step["run"].replace("--preset test", "--preset tests")
                               .replace("ci/make-base-images", "ci/make-base-image"))
        steps.append({"run": "cmake --build --preset images --target pydemo-images"})
        problems = check_github(doc, self.project)
        self.assertTrue(any("no workflow preset 'tests'" in p for p in problems), problems)
        self.assertTrue(any("ci/make-base-image does not exist" in p for p in problems), problems)
        self.assertTrue(any("no target 'pydemo-images'" in p for p in problems), problems)

        doc = copy.deepcopy(self.gitlab)
        doc["release"]["script"] = ["ctest --preset container-test"]
        problems = check_gitlab(doc, self.project)
        self.assertTrue(any("no test preset 'container-test'" in p for p in problems), problems)

    def test_a_wrong_trigger_or_publishing_setup_is_found(self):
        doc = copy.deepcopy(self.github)
        doc[True]["push"]["tags"] = ["release-*"]
        del doc["jobs"]["release"]["permissions"]["id-token"]
        doc["jobs"]["release"]["if"] = "github.event_name == 'push'"
        problems = check_github(doc, self.project)
        self.assertIn("on.push.tags: no pattern matches a tag v1.2.3", problems)
        self.assertTrue(any(p.startswith("jobs.release.permissions") for p in problems), problems)
        self.assertTrue(any(p.startswith("jobs.release.if") for p in problems), problems)

        doc = copy.deepcopy(self.gitlab)
        doc["release"]["rules"] = [{"if": "$CI_COMMIT_BRANCH"}]
        doc["release"]["id_tokens"]["PYPI_ID_TOKEN"]["aud"] = "https://gitlab.com"
        problems = check_gitlab(doc, self.project)
        self.assertIn("release: not restricted to tags v* (rules or only)", problems)
        self.assertTrue(any("PYPI_ID_TOKEN.aud" in p for p in problems), problems)

    def test_a_junit_glob_that_misses_the_reports_is_found(self):
        doc = copy.deepcopy(self.gitlab)
        doc["container-tests"]["artifacts"]["reports"]["junit"] = "build/*/artifacts/*.xml"
        problems = check_gitlab(doc, self.project)
        self.assertTrue(any(p.startswith("container-tests.artifacts.reports.junit")
                            for p in problems), problems)
        doc = copy.deepcopy(self.github)
        for step in doc["jobs"]["test"]["steps"]:
            if "with" in step:
                step["with"]["path"] = "build/*/artifacts/"
        problems = check_github(doc, self.project)
        self.assertTrue(any(p.startswith("jobs.test upload-artifact path") for p in problems),
                        problems)


if __name__ == "__main__":
    unittest.main()
