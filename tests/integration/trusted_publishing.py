"""Trusted publishing end to end: `docker-pipeline upload` in a GitHub Actions or GitLab CI job,
against fakes of both sides on 127.0.0.1. The runner's ID token service (GitHub's
ACTIONS_ID_TOKEN_REQUEST_URL) and an index that implements PyPI's audience and mint-token
endpoints and takes uploads only with a token it minted. No password is configured anywhere.
"""

import base64
import json
import os
import re
import subprocess
import threading
import unittest
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from dist_factory import write_sdist, write_wheel
from harness import HELPER, fresh_dir

PROJECT = "dp-trusted-demo"
AUDIENCE = "pypi"
REQUEST_TOKEN = "runner-request-Token-8c2f"  # what GitHub gives the job to ask for ID tokens
CLAIMS = {"sub": "repo:octo/pydemo:ref:refs/tags/v1.0", "repository": "octo/pydemo",
          "ref": "refs/tags/v1.0", "workflow_ref": "octo/pydemo/.github/workflows/release.yml@v1.0",
          "environment": "pypi"}
REFUSAL = {"message": "Token request failed", "errors": [
    {"code": "invalid-publisher",
     "description": "valid token, but no corresponding publisher (All lookup strategies exhausted)"}]}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(audience, serial):
    """A JWT as a CI provider's would look: header.claims.signature."""
    claims = dict(CLAIMS, aud=audience, jti=f"id-{serial}")
    return ".".join([b64url(b'{"alg":"RS256","typ":"JWT"}'), b64url(json.dumps(claims).encode()),
                     b64url(f"signature-{serial}".encode())])


class TrustedIndex:
    """The runner's token service and the index, one server. `refuse` answers every exchange 422
    as PyPI does for a publisher that does not match; `expire_after` uploads, a minted token stops
    being accepted (403) and each token minted after it, when `expire_every_token`, too."""

    def __init__(self, refuse=False, expire_after=None, expire_every_token=False):
        self.refuse, self.expire_after, self.expire_every_token = refuse, expire_after, expire_every_token
        self.lock = threading.Lock()
        self.id_tokens = []        # issued by the runner's service
        self.minted = []           # issued by the index
        self.valid = set()         # minted tokens the index accepts now
        self.requests = []         # (method, path) of every request
        self.uploads = []          # (file name, status)
        self.token_requests = []   # (audience, authorization) the runner's service saw
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.origin + "/legacy/"
        self.token_url = self.origin + "/runner/idtoken?api-version=2.0"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def mint(self, token):
        with self.lock:
            if token not in self.id_tokens:
                return 403, {"message": "Token request failed",
                             "errors": [{"code": "invalid-token", "description": "unknown token"}]}
            if self.refuse:
                return 422, REFUSAL
            minted = f"pypi-minted-{len(self.minted)}-Xk29"
            self.minted.append(minted)
            self.valid.add(minted)
            return 200, {"success": True, "token": minted, "expires": 900}

    def upload(self, authorization, file_name):
        with self.lock:
            user, _, password = base64.b64decode(authorization.split(" ", 1)[1]).decode().partition(":")
            accepted = user == "__token__" and password in self.valid
            status = 200 if accepted else 403
            self.uploads.append((file_name, status))
            done = sum(1 for _, s in self.uploads if s == 200)
            if accepted and self.expire_after is not None and done >= self.expire_after:
                self.valid.clear()  # every token so far has expired
                if not self.expire_every_token:
                    self.expire_after = None
            return status

    def _handler(self):
        index = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def answer(self, status, document, content_type="application/json"):
                data = (json.dumps(document) if content_type == "application/json" else document).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                with index.lock:
                    index.requests.append(("GET", parts.path))
                if parts.path == "/_/oidc/audience":
                    return self.answer(200, {"audience": AUDIENCE})
                if parts.path == "/runner/idtoken":
                    audience = parse_qs(parts.query).get("audience", [""])[0]
                    authorization = self.headers.get("Authorization", "")
                    with index.lock:
                        index.token_requests.append((audience, authorization))
                        if authorization != f"bearer {REQUEST_TOKEN}":
                            return self.answer(401, {"message": "bad request token"})
                        token = id_token(audience, len(index.id_tokens))
                        index.id_tokens.append(token)
                    return self.answer(200, {"count": 1, "value": token})
                self.answer(404, "not found", "text/plain")

            def do_POST(self):
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with index.lock:
                    index.requests.append(("POST", parts.path))
                if parts.path == "/_/oidc/mint-token":
                    token = json.loads(body).get("token", "")
                    return self.answer(*index.mint(token))
                if parts.path == "/legacy/":
                    message = BytesParser(policy=policy.HTTP).parsebytes(
                        b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
                    name = next((p.get_filename() for p in message.iter_parts()
                                 if p.get_param("name", header="content-disposition") == "content"), None)
                    status = index.upload(self.headers.get("Authorization", "Basic Og=="), name)
                    text = "OK" if status == 200 else "Invalid or non-existent authentication information."
                    return self.answer(status, text, "text/plain")
                self.answer(404, "not found", "text/plain")

        return Handler


class TrustedPublishing(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"trusted/{self._testMethodName}")
        self.home = self.work / "home"  # no ~/.pypirc: no password anywhere
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()
        self.files = [write_wheel(self.dists, PROJECT, "1.0"), write_sdist(self.dists, PROJECT, "1.0")]

    def upload(self, index, ci, *arguments, extra_env=None):
        """Runs `docker-pipeline upload` as a job of `ci` ("github", "gitlab" or None) would;
        returns (status, output)."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWINE_", "GITHUB_", "GITLAB_", "ACTIONS_", "DOCKER_PIPELINE_"))
               and k not in ("CI", "PYPI_ID_TOKEN")}
        env.update(HOME=str(self.home), TWINE_REPOSITORY_URL=index.url)
        if ci == "github":
            env.update(CI="true", GITHUB_ACTIONS="true", ACTIONS_ID_TOKEN_REQUEST_URL=index.token_url,
                       ACTIONS_ID_TOKEN_REQUEST_TOKEN=REQUEST_TOKEN)
        elif ci == "gitlab":
            env.update(CI="true", GITLAB_CI="true")
        env.update(extra_env or {})
        argv = [HELPER, "upload", "--no-journal", *arguments, *map(str, self.files)]
        done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=120)
        print(f"$ {' '.join(argv)}\n{done.stdout}(exit status {done.returncode})", flush=True)
        return done.returncode, done.stdout

    def assertSecretsHidden(self, index, output, github=True):
        """The runner's request token and the ID tokens never appear; a minted token only in the
        ::add-mask:: line that hides it on GitHub Actions, elsewhere nowhere."""
        self.assertNotIn(REQUEST_TOKEN, output)
        for token in index.id_tokens:
            self.assertNotIn(token, output)
            self.assertNotIn(token.split(".")[1], output)
        for token in index.minted:
            lines = [line for line in output.splitlines() if token in line]
            self.assertEqual(lines, [f"::add-mask::{token}"] if github else [], output)

    def uploaded(self, index):
        return sorted(name for name, status in index.uploads if status == 200)

    def test_github_job_mints_a_token_and_uploads_with_it(self):
        with TrustedIndex() as index:
            status, output = self.upload(index, "github")
        self.assertEqual(status, 0, output)
        self.assertEqual(self.uploaded(index), sorted(f.name for f in self.files))
        self.assertEqual(index.token_requests, [(AUDIENCE, f"bearer {REQUEST_TOKEN}")])
        self.assertEqual(len(index.minted), 1)
        self.assertEqual([u for u in index.uploads if u[1] != 200], [])
        self.assertIn(("GET", "/_/oidc/audience"), index.requests)
        self.assertSecretsHidden(index, output)
        # The mask comes first: nothing before it could have shown the token.
        self.assertTrue(output.startswith("::group::docker-pipeline upload\n::add-mask::pypi-minted-0"),
                        output)

    def test_a_dry_run_mints_nothing(self):
        with TrustedIndex() as index:
            status, output = self.upload(index, "github", "--dry-run")
        self.assertEqual(status, 0, output)
        self.assertEqual(index.requests, [])
        self.assertRegex(output, r"(?m)^would upload .* as __token__$")

    def test_an_expired_token_is_minted_again_once(self):
        with TrustedIndex(expire_after=1) as index:
            status, output = self.upload(index, "github")
        self.assertEqual(status, 0, output)
        self.assertEqual(len(index.minted), 2, index.minted)
        self.assertEqual(self.uploaded(index), sorted(f.name for f in self.files))
        self.assertEqual([s for _, s in index.uploads], [200, 403, 200])
        self.assertRegex(output, r"the index refused the credentials \(403\): renewing them")
        self.assertSecretsHidden(index, output)

    def test_a_token_that_keeps_expiring_is_minted_again_only_once(self):
        with TrustedIndex(expire_after=1, expire_every_token=True) as index:
            self.files.append(write_wheel(self.dists, PROJECT, "1.1"))
            status, output = self.upload(index, "github")
        self.assertEqual(status, 1, output)
        self.assertEqual(len(index.minted), 2, index.minted)
        self.assertEqual([s for _, s in index.uploads], [200, 403, 200, 403])
        self.assertRegex(output, rf"(?m)^failed {re.escape(self.files[1].name)} .*403")
        self.assertSecretsHidden(index, output)

    def test_a_refused_exchange_names_the_reason_and_the_claims_and_uploads_nothing(self):
        with TrustedIndex(refuse=True) as index:
            status, output = self.upload(index, "github")
        self.assertEqual(status, 1, output)
        self.assertEqual(index.uploads, [])
        self.assertIn("invalid-publisher: valid token, but no corresponding publisher", output)
        self.assertIn("repository=octo/pydemo", output)
        self.assertIn("environment=pypi", output)
        self.assertRegex(output, r"(?m)^::error title=docker-pipeline upload::.*refused the ID token")
        self.assertSecretsHidden(index, output)

    def test_gitlab_job_exchanges_the_id_token_its_job_declares(self):
        with TrustedIndex() as index:
            with index.lock:
                token = id_token(AUDIENCE, 0)
                index.id_tokens.append(token)
            status, output = self.upload(index, "gitlab", extra_env={"PYPI_ID_TOKEN": token})
            self.assertEqual(status, 0, output)
            self.assertEqual(self.uploaded(index), sorted(f.name for f in self.files))
            self.assertEqual(index.token_requests, [])
            self.assertSecretsHidden(index, output, github=False)
            status, output = self.upload(index, "gitlab")
        self.assertEqual(status, 1, output)
        self.assertIn("declares no ID token PYPI_ID_TOKEN: add `id_tokens: PYPI_ID_TOKEN: aud: pypi`",
                      output)

    def test_a_configured_password_wins_in_auto_mode_and_always_ignores_it(self):
        with TrustedIndex() as index:
            password = {"TWINE_USERNAME": "__token__", "TWINE_PASSWORD": "pypi-stored-Secret-77"}
            status, output = self.upload(index, "github", extra_env=password)
            self.assertEqual(status, 1, output)  # the index takes only minted tokens
            self.assertEqual(index.minted, [])
            self.assertEqual(index.token_requests, [])
            self.assertIn("::add-mask::pypi-stored-Secret-77", output)
            status, output = self.upload(index, "github", "--trusted-publishing", "always",
                                         extra_env=password)
            self.assertEqual(status, 0, output)
            self.assertEqual(len(index.minted), 1)

    def test_never_and_always_outside_ci_say_what_is_missing(self):
        with TrustedIndex() as index:
            status, output = self.upload(index, "github", "--trusted-publishing", "never")
            self.assertEqual(status, 1, output)
            self.assertIn("no username for", output)
            self.assertNotIn("id-token", output)
            status, output = self.upload(index, None, "--trusted-publishing", "always")
            self.assertEqual(status, 1, output)
            self.assertIn("trusted publishing is 'always', but this job has no OpenID Connect ID token",
                          output)
            # The environment variable as the option: never.
            status, output = self.upload(index, "github",
                                         extra_env={"DOCKER_PIPELINE_TRUSTED_PUBLISHING": "never"})
            self.assertEqual(status, 1, output)
            self.assertIn("no username for", output)
            self.assertNotIn("id-token", output)
            status, output = self.upload(index, "github",
                                         extra_env={"DOCKER_PIPELINE_TRUSTED_PUBLISHING": "maybe"})
            self.assertEqual(status, 1, output)
            self.assertIn("DOCKER_PIPELINE_TRUSTED_PUBLISHING is 'maybe': use auto, always or never",
                          output)
            self.assertEqual(index.requests, [])

    def test_a_github_job_without_the_id_token_permission_is_told_how_to_get_one(self):
        with TrustedIndex() as index:
            status, output = self.upload(index, "github", extra_env={
                "ACTIONS_ID_TOKEN_REQUEST_URL": "", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": ""})
        self.assertEqual(status, 1, output)
        self.assertRegex(output, r"no username for .*permissions: id-token: write")


if __name__ == "__main__":
    unittest.main()
