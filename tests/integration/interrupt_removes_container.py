"""Ctrl-C during the container tests stops them and leaves no container behind."""

import os
import signal
import subprocess
import time
import unittest

from harness import (HELPER, build, configure, containers_of, fresh_dir, remove_images,
                     wait_for_line)

PIPELINE = "interrupted"
CONSUMER = """cmake_minimum_required(VERSION 3.25)
project(interrupted VERSION 1.0 LANGUAGES NONE)
find_package(DockerPipeline REQUIRED CONFIG)
include(DockerPipeline)
add_docker_pipeline(interrupted
  TEST_COMMAND python3 -c "import time; print('tests started', flush=True); time.sleep(300)"
  DIST_DIR /tmp)
"""


class InterruptRemovesContainer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(remove_images, f"{PIPELINE}:1.0")
        cls.source = fresh_dir("interrupt-source")
        (cls.source / "CMakeLists.txt").write_text(CONSUMER)
        (cls.source / "Dockerfile").write_text("FROM docker-pipeline/python3:bookworm\n")
        cls.binary = fresh_dir("interrupt-build")
        configure(cls.source, cls.binary)
        status, output = build(cls.binary, f"{PIPELINE}-image")
        assert status == 0, output

    def interrupt_tests(self, send):
        helper = subprocess.Popen([HELPER, "test", "--pipeline", self.binary / f"{PIPELINE}.pipeline.json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  start_new_session=True)
        try:
            self.assertIn("tests started", wait_for_line(helper.stdout, "tests started"))
            # The container runs: its output came, and the helper has not finished.
            self.assertIsNone(helper.poll())
            self.assertEqual(len(containers_of(PIPELINE)), 1)
            started = time.monotonic()
            send(helper)
            rest = helper.communicate(timeout=60)[0]
            print(rest)
            self.assertEqual(helper.returncode, 130)
            self.assertLess(time.monotonic() - started, 30)
            self.assertIn("interrupted", rest)
            self.assertEqual(containers_of(PIPELINE), [])
        finally:
            if helper.poll() is None:
                helper.kill()

    def test_ctrl_c_at_a_terminal(self):
        # A terminal's Ctrl-C reaches the whole foreground process group: helper and docker client.
        self.interrupt_tests(lambda helper: os.killpg(helper.pid, signal.SIGINT))

    def test_sigint_to_the_helper_alone(self):
        self.interrupt_tests(lambda helper: helper.send_signal(signal.SIGINT))


if __name__ == "__main__":
    unittest.main()
