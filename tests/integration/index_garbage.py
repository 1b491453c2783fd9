"""`docker-pipeline upload` against an index that answers garbage: HTML where JSON was asked, a
truncated body, a 200 that is an error page, a redirect loop, an answer that stalls mid-body.

Each case: the exit status, one line naming the file or URL and what was wrong, nothing sent twice,
no hang (--timeout 2 where the index stalls), and the password given through TWINE_PASSWORD
printed nowhere. A connection reset mid-upload is upload_faults'
test_reset_mid_body_asks_the_index_before_sending_again.
"""

import re
import unittest

from dist_factory import write_wheel
from fault_server import Answer, BrokenAnswer, FaultServer
from harness import HELPER, fresh_dir, run

SECRET = "s3cret-Garbage-Token-5d1e"
PROJECT = "dp-fault-demo"
WHEEL = "dp_fault_demo-1.0-py3-none-any.whl"
PAGE = f"/simple/{PROJECT}/"
NGINX_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
             "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
             "</body>\r\n</html>\r\n")
PYPISERVER_ERROR = ("<!DOCTYPE html><html><head><title>Error: 500 Internal Server Error</title>"
                    "</head><body><h1>Error: 500 Internal Server Error</h1><p>Sorry, the requested "
                    "URL caused an error:</p><pre>Internal Server Error</pre></body></html>\n")
JSON_TYPE = "application/vnd.pypi.simple.v1+json"


class IndexGarbage(unittest.TestCase):
    def setUp(self):
        self.work = fresh_dir(f"garbage/{self._testMethodName}")
        self.home = self.work / "home"  # no ~/.pypirc of the machine's user
        self.home.mkdir()
        self.dists = self.work / "dist"
        self.dists.mkdir()
        self.wheel = write_wheel(self.dists, PROJECT, "1.0")

    def upload(self, server, *arguments):
        """Runs the helper on the wheel (--timeout 2: a stall costs seconds, not minutes);
        returns (status, output). Fails the test if the secret shows."""
        env = {"HOME": str(self.home), "TWINE_USERNAME": "uploader", "TWINE_PASSWORD": SECRET,
               "TWINE_REPOSITORY_URL": server.url}
        status, output = run([HELPER, "upload", "--timeout", "2", *arguments, str(self.wheel)],
                             env=env, timeout=120)
        self.assertNotIn(SECRET, output)
        return status, output

    def assertOutcome(self, output, outcome, file_name=WHEEL):
        self.assertRegex(output, rf"(?m)^{outcome}\s+{re.escape(file_name)}\b")

    def assertLine(self, output, *parts):
        """Some one line of the output holds every part, in this order."""
        pattern = ".*".join(re.escape(part) for part in parts)
        self.assertRegex(output, rf"(?m)^.*{pattern}.*$")

    # The simple API

    def test_html_where_json_was_asked_is_read_as_pep_503(self):
        with FaultServer(html_only=True) as server:
            server.store(WHEEL, self.wheel.read_bytes())
            status, output = self.upload(server, "--skip-existing")
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "skipped")
        self.assertEqual(server.requests_seen(), 0, "bytes were sent for a file the index has")

    def test_an_error_page_served_as_json_is_named_by_verify(self):
        page = Answer(200, body=NGINX_502, headers={"Content-Type": JSON_TYPE})
        with FaultServer(simple_script=[page]) as server:
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertOutcome(output, "uploaded")
        self.assertLine(output, WHEEL, server.url + PAGE[1:], "not a PEP 691 project page")
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_an_html_error_page_where_json_was_asked_lists_nothing(self):
        page = Answer(200, body=PYPISERVER_ERROR, headers={"Content-Type": "text/html"})
        with FaultServer(simple_script=[page]) as server:
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertLine(output, WHEEL, "not listed on", server.url)
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_a_truncated_project_page_is_named_by_verify(self):
        page = BrokenAnswer(200, body='<!DOCTYPE html><html><body>\n<a href="../../pack')
        with FaultServer(simple_script=[page]) as server:
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertLine(output, WHEEL, "cannot verify", server.url + PAGE[1:])
        self.assertRegex(output, r"bytes remaining|transfer closed|[Pp]artial")

    def test_a_truncated_project_page_with_skip_existing_uploads_once(self):
        page = BrokenAnswer(200, body='<!DOCTYPE html><html><body>\n<a href="../../pack')
        with FaultServer(simple_script=[page]) as server:
            status, output = self.upload(server, "--skip-existing", "--verbose")
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded")
        self.assertLine(output, WHEEL, "no simple index answered", server.url + PAGE[1:])
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_a_project_page_stalling_mid_body_times_out_naming_it(self):
        page = BrokenAnswer(200, body="<!DOCTYPE html><html><body>\n", stall=True)
        with FaultServer(simple_script=[page]) as server:
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertOutcome(output, "uploaded")
        self.assertLine(output, WHEEL, "cannot verify", server.url + PAGE[1:], "timed out")

    def test_a_project_page_redirecting_to_itself_is_a_redirect_loop(self):
        with FaultServer() as server:
            server.redirects[PAGE] = server.url + PAGE[1:]
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertLine(output, WHEEL, "cannot verify", "redirect loop", server.url + PAGE[1:])
        self.assertLessEqual(server.gets.count(PAGE), 5)

    def test_a_redirect_loop_between_two_pages_is_named_and_not_taken_for_absent(self):
        with FaultServer() as server:
            other = "/elsewhere/dp-fault-demo/"
            server.redirects.update({PAGE: server.url + other[1:], other: server.url + PAGE[1:]})
            status, output = self.upload(server, "--skip-existing", "--verify")
        self.assertEqual(status, 1, output)
        self.assertOutcome(output, "uploaded")
        self.assertLine(output, WHEEL, "cannot verify", "redirect loop", server.url + PAGE[1:],
                        server.url + other[1:])
        self.assertLessEqual(len(server.gets), 10)
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    # The upload's answer

    def test_a_truncated_upload_answer_asks_the_index_and_sends_nothing_twice(self):
        with FaultServer([BrokenAnswer(200, "OK", content_type="text/plain")]) as server:
            status, output = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded")
        self.assertEqual(server.posts_with_body(WHEEL), 1, "the file was sent again")
        self.assertEqual(server.gets, [PAGE])

    def test_a_truncated_upload_answer_of_a_file_not_stored_is_sent_again(self):
        broken = BrokenAnswer(200, "OK", content_type="text/plain", accept=False)
        with FaultServer([broken]) as server:
            status, output = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded")
        self.assertEqual(server.posts_with_body(WHEEL), 2)
        self.assertEqual(list(server.files), [WHEEL])

    def test_an_upload_answer_stalling_mid_body_times_out_then_asks_the_index(self):
        with FaultServer([BrokenAnswer(200, "O", content_type="text/plain", stall=True)]) as server:
            status, output = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertOutcome(output, "uploaded")
        self.assertEqual(server.posts_with_body(WHEEL), 1, "the file was sent again")

    def test_a_200_that_is_an_error_page_is_uploaded_and_says_so(self):
        # As twine, a 2xx answer is taken as stored, but the result line names the page.
        page = Answer(200, "OK", PYPISERVER_ERROR, {"Content-Type": "text/html"})
        with FaultServer([page]) as server:
            status, output = self.upload(server)
        self.assertEqual(status, 0, output)
        self.assertRegex(output, rf"(?m)^uploaded\s+{re.escape(WHEEL)}\b.*HTTP 200 .*error page"
                                 r".*Error: 500 Internal Server Error.*--verify checks")
        self.assertEqual(server.files, {})

    def test_a_200_that_is_an_error_page_is_caught_by_verify(self):
        page = Answer(200, "OK", NGINX_502, {"Content-Type": "text/html"})
        with FaultServer([page]) as server:
            status, output = self.upload(server, "--verify")
        self.assertEqual(status, 1, output)
        self.assertLine(output, WHEEL, "error page", "502 Bad Gateway")
        self.assertLine(output, WHEEL, "not listed on", server.url)
        self.assertEqual(server.files, {})
        self.assertEqual(server.posts_with_body(WHEEL), 1)

    def test_an_upload_redirected_to_its_own_url_is_a_redirect_loop(self):
        with FaultServer() as server:
            server.script = [Answer(301, "Moved Permanently", headers={"Location": server.url})]
            status, output = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertOutcome(output, "failed")
        self.assertLine(output, "redirect", "loop", server.url)
        self.assertNotIn("upload to that URL instead", output)
        self.assertEqual(server.requests_seen(), 1)

    def test_an_upload_redirected_elsewhere_names_the_url_and_follows_nothing(self):
        with FaultServer() as server:
            elsewhere = server.url + "b/"
            server.script = [Answer(301, "Moved Permanently", headers={"Location": elsewhere})]
            status, output = self.upload(server)
        self.assertEqual(status, 1, output)
        self.assertLine(output, WHEEL, elsewhere)
        self.assertEqual(server.requests_seen(), 1)


if __name__ == "__main__":
    unittest.main()
