#!/usr/bin/env python3
"""Checks the helper's house rules that a compiler cannot see.

    check_layout.py HELPER_DIR

- Floors: a folder under helper/src includes only folders of its own floor or below (cli on top;
  core, text, version, process, digest and archive at the bottom), and the folders' include graph
  has no cycle. pypi's rooms (pypi/dist, pypi/check, ...) count as folders of their own.
- cli/ holds option declarations, help texts and exit codes only: under 680 lines.
- One primitive of each kind: exactly one file calls OpenSSL's digest API, libarchive's reader,
  `git` and rename() (the atomic write).

Prints every violation, one per line, and exits 1 when there is any.
"""
import re
import sys
from pathlib import Path

FLOORS = [
    ("bottom", {"core", "text", "version", "process", "digest", "archive"}),
    ("components", {"scm", "stamp", "docker", "reports", "registry", "pypi/dist", "pypi/check", "pypi/config",
                    "pypi/http", "pypi/index", "pypi/upload", "pypi/trusted", "pypi"}),
    ("pipeline", {"pipeline"}),
    ("stages", {"stages", "console"}),
    ("cli", {"cli"}),
]
# 600 for the eight commands of the first stages; publish and release made ten, and the CI log
# sections around every command a few lines more.
CLI_LINE_LIMIT = 680
# (what, pattern in the source, the file that may hold it)
ONE_FILE_EACH = [
    ("OpenSSL's digest API", re.compile(r"\bEVP_Digest|\bEVP_MD_CTX_new\b")),
    ("libarchive's reader", re.compile(r"\barchive_read_new\b")),
    ("a git process", re.compile(r'\{\s*"git"\s*[,}]')),
    ("rename() for atomic writes", re.compile(r"(?<![\w.:>])(?:std::)?rename\s*\(|::rename\s*\(|fs::rename\s*\(")),
]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(relative: Path) -> str:
    """The folder (or pypi room) a path under src/ belongs to."""
    parts = relative.parts
    if parts[0] == "pypi" and len(parts) > 2:
        return f"pypi/{parts[1]}"
    return parts[0]


def floor_of(folder: str):
    for rank, (_, folders) in enumerate(FLOORS):
        if folder in folders:
            return rank
    return None


def find_cycle(graph):
    """One cycle of the graph as a list of nodes, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def main(helper: Path) -> int:
    src = helper / "src"
    problems = []
    sources = sorted(p for p in src.rglob("*") if p.suffix in {".cpp", ".hpp"})
    graph = {}
    for path in sources:
        relative = path.relative_to(src)
        folder = folder_of(relative)
        rank = floor_of(folder)
        if rank is None:
            problems.append(f"{relative}: folder '{folder}' is on no floor; add it to FLOORS in {Path(__file__).name}")
            continue
        for included in INCLUDE.findall(path.read_text()):
            target_path = src / included
            if not target_path.exists():
                continue  # a third-party or generated header
            target = folder_of(Path(included))
            if target == folder:
                continue
            graph.setdefault(folder, set()).add(target)
            target_rank = floor_of(target)
            if target_rank is not None and target_rank > rank:
                problems.append(
                    f"{relative}: includes {included}, which is on a higher floor "
                    f"({FLOORS[target_rank][0]} above {FLOORS[rank][0]})")
    cycle = find_cycle(graph)
    if cycle:
        problems.append("folders include one another in a cycle: " + " -> ".join(cycle))

    cli_lines = sum(len(p.read_text().splitlines()) for p in (src / "cli").iterdir() if p.is_file())
    if cli_lines >= CLI_LINE_LIMIT:
        problems.append(f"cli/ has {cli_lines} lines (limit {CLI_LINE_LIMIT}): move behaviour into stages/")

    for what, pattern in ONE_FILE_EACH:
        users = [str(p.relative_to(src)) for p in sources if pattern.search(p.read_text())]
        if len(users) != 1:
            problems.append(f"{what} is used in {len(users)} files, not one: {', '.join(users) or 'none'}")

    for problem in problems:
        print(problem)
    if not problems:
        print(f"layout ok: {len(sources)} files in {len(graph)} folders; cli/ {cli_lines} lines")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
