#!/usr/bin/env python3
"""Mutation testing for wslfp: does the test suite notice a small wrong edit?

Each mutant in build-aux/mutants.txt is one textual edit of one source file
(a flipped sign, a changed constant, a dropped statement, an off-by-one).
The script copies the working tree to a scratch directory, builds it once,
checks that the suites pass there, then applies the mutants one at a time:
rebuild, run the suites from the fastest to the slowest, stop at the first
failure.  A mutant is

  killed      a suite failed (or timed out, or the build broke);
  survived    every suite passed: a wrong program that no test noticed;
  equivalent  marked so in the list, with the reason: it cannot change what
              the program does, so it is not run (--run-equivalent runs it).

The score of a folder is killed / (killed + survived).  This is a developer
tool, run before stopping work on an issue; it is not part of .ci/run.

Generated mutants (build-aux/mutant_sites.py): --sample N --seed S draws N
of every mutation site of the C sources and the Python modules (operators,
bounds, constants, negated conditions, dropped calls, swapped arguments);
--per-folder N[,FOLDER=M]... draws N from each folder instead (M from the
folders named); --sites counts the sites.  The report (--report) is written
after every mutant and records each generated mutant in full: --resume goes
on with a run that was cut short (same seed), and --replay REPORT runs the
survivors of an earlier report again, found by their line's text, to see
whether new tests kill them; --score REPORT [--killed-in REPLAY]... prints
a report's figures before (and after) such tests.  Generated mutants that
cannot change behaviour are listed, with the reason, in
build-aux/mutants-equivalent.txt.
A generated mutant that does not build is "stillborn": neither killed nor
survived.  A kill that could be the machine's (a time-out, a wait that ran
out, a suite of another folder) is checked by running the failed tests on
the unmutated tree: if they fail there too, the mutant runs once more, and
is "flaky" (neither killed nor survived) if that happens again.  A build
with gcov coverage (made once per tree, kept in the scratch directory)
tells which tests run each line, down to the cases of a GLib test
program (each run alone for its counts): a generated mutant runs only
those (--no-coverage: every suite that reaches its folder), and one
whose line no test runs (as gcov sees it: it misses a process that execs,
calls _exit or dies of a signal) runs its own folder's suites whole.
--jobs N runs N mutants at once, each worker in a copy of the scratch tree
with builds of its own (and its own TMPDIR and X display numbers): the
test programs mostly keep one core busy.  --mpi builds with -Dmpi=enabled and runs the MPI suite too;
--sanitize runs a plain survivor on a line that allocates, copies or
frees, or on a C line that indexes an array or bounds a loop, again in an
AddressSanitizer/UBSan build, as .ci/run does (an overflow or a leak only
the sanitizers see); --sanitize-all runs every C survivor there (a read
past an array's end made in another function; an app survivor with the
app's cases that reach its line, the others without the app suite).

Usage: build-aux/mutate.py [--only SUBSTRING]... [--suite NAME]... [--list FILE]
                           [--scratch DIR] [--report FILE]
                           [--sample N | --per-folder N[,FOLDER=M]...] [--seed S] [--sites] [--mpi]
                           [--sanitize | --sanitize-all] [--resume [--keep-tree | --draw-from TREE|COMMIT]]
                           [--pause-file FILE] [--jobs N]
                           [--replay REPORT [--status STATUS]...]
       build-aux/mutate.py --score REPORT [--killed-in REPLAY]...

The list's format (see the head of mutants.txt):

  [src/engine/wslfp-profile.c]
  id: OLD => NEW
  id@2: OLD => NEW                  the second occurrence of OLD
  equivalent id: OLD => NEW  # why it cannot change behaviour

OLD must occur in the file (exactly once unless an occurrence is given);
NEW may be empty (the statement is dropped).  '\\n' in OLD or NEW stands for
a newline.  Lines starting with '#' are comments.
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutant_sites  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITES = ["engine", "sim", "io", "plot", "cli", "python", "app", "mpi"]
LINE = re.compile(r"^(?P<equiv>equivalent\s+)?(?P<id>[A-Za-z0-9_.-]+)(@(?P<occ>\d+))?:\s(?P<old>.*?)\s=>\s?(?P<new>.*?)(\s+#\s(?P<why>.*))?$")
# The suites that run a folder's code, where that is not all of them: the
# Explorer's code is linked only into the app suite's programs, the Python
# module is imported only by the python suite.  Other suites cannot kill
# such a mutant, so a survivor is not run through them.
REACHED_BY = {"app": ["app"], "python": ["python"]}
# Lines where a mutant can make a memory error that only the sanitizers
# see (a size, a copy, a free): --sanitize runs those survivors again.
MEMORY = re.compile(r"free|alloc|g_new|_new\b|clear|memcpy|memmove|memset|strdup|unref|destroy|close")
# (a C line that indexes an array or bounds a loop: a changed bound or
# index reads or writes one element past the end, which only the
# sanitizers see, as CI's sanitized suites would)
BOUNDS = re.compile(r"\[|\bfor\s*\(|\bwhile\s*\(")


def enclosing_function(m, text):
    """The name of the C function a generated mutant's line is in (GNU
    style: the name starts a line), or ''. A mutant anywhere in a function
    that frees (a negated NULL check in a _free) leaks or crashes where only
    the sanitizers see it, whatever its own line says."""
    if not isinstance(m, mutant_sites.Site) or not m.path.endswith(".c"):
        return ""
    lines = text.split("\n")[:m.line]
    for line in reversed(lines):
        found = re.match(r"([A-Za-z_]\w*) \(", line)
        if found:
            return found.group(1)
    return ""


def mutated_line(m, text):
    """The mutated line of a generated mutant (its whole text otherwise)."""
    if isinstance(m, mutant_sites.Site):
        return text.split("\n")[m.line - 1]
    return m.new


class Mutant:
    def __init__(self, path, ident, occurrence, old, new, equivalent, why, lineno):
        self.path, self.id, self.occurrence = path, ident, occurrence
        self.old, self.new = old, new
        self.equivalent, self.why, self.lineno = equivalent, why, lineno

    @property
    def folder(self):
        parts = self.path.split("/")
        return parts[1] if parts[0] == "src" and len(parts) > 2 else parts[0]

    def label(self):
        return "%s:%s" % (self.path, self.id)


def unescape(s):
    return s.replace("\\n", "\n")


def parse_list(path):
    mutants, current = [], None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1]
                continue
            m = LINE.match(line)
            if m is None or current is None:
                sys.exit("%s:%d: cannot read this mutant line" % (path, lineno))
            equiv = m.group("equiv") is not None
            if equiv and not m.group("why"):
                sys.exit("%s:%d: an equivalent mutant needs its reason after ' # '" % (path, lineno))
            mutants.append(Mutant(current, m.group("id"), int(m.group("occ") or 0), unescape(m.group("old")),
                                  unescape(m.group("new")), equiv, m.group("why"), lineno))
    return mutants


def apply(text, mutant):
    """The mutated text, or an error message."""
    if isinstance(mutant, mutant_sites.Site):
        return mutant.apply(text)
    count = text.count(mutant.old)
    if count == 0:
        return None, "its text is not in the file"
    if mutant.occurrence == 0 and count != 1:
        return None, "its text occurs %d times; give an occurrence (id@N)" % count
    n = mutant.occurrence or 1
    if n > count:
        return None, "occurrence %d of %d" % (n, count)
    at = -1
    for _ in range(n):
        at = text.find(mutant.old, at + 1)
    return text[:at] + mutant.new + text[at + len(mutant.old):], None


def per_folder_counts(text):
    """'60,sim=40,python=40' -> {None: 60, 'sim': 40, 'python': 40}."""
    counts = {}
    for part in text.split(","):
        folder, _, n = part.rpartition("=")
        counts[folder or None] = int(n)
    return counts


def record(m, root):
    """What a report keeps of a generated mutant to find it again."""
    if not isinstance(m, mutant_sites.Site):
        return {}
    with open(os.path.join(root, m.path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    return dict(line=m.line, col=m.col, old=m.old, new=m.new, kind=m.kind, text=lines[m.line - 1],
                before=lines[m.line - 2] if m.line >= 2 else "", after=lines[m.line] if m.line < len(lines) else "")


def neighbours(r):
    """The lines before and after a report's mutant (older reports lack
    them: then today's file's, where the mutant's line is still at its
    number; else None)."""
    if "before" in r:
        return r["before"], r.get("after")
    try:
        with open(os.path.join(ROOT, r["file"]), encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError:
        return None, None
    n = r["line"]
    if 2 <= n < len(lines) and lines[n - 1] == r["text"]:
        return lines[n - 2], lines[n]
    return None, None


EQUIVALENT_LIST = os.path.join(ROOT, "build-aux", "mutants-equivalent.txt")


def parse_equivalents(path=EQUIVALENT_LIST):
    """The generated mutants marked equivalent: (file, line text, column,
    old, new) -> [(line before or None, line after or None, why)].  See
    the head of mutants-equivalent.txt."""
    marked, current, text, before, after = {}, None, None, None, None
    if not os.path.exists(path):
        return marked
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith("< "):
                before = line[2:]
            elif line.startswith("> "):
                after = line[2:]
            elif line.startswith("| "):
                text = line[2:]
            elif line.startswith("@"):
                m = re.match(r"^@(\d+): (.*?) => ?(.*?)  # (.+)$", line)
                if m is None or current is None or text is None:
                    sys.exit("%s:%d: expected '@COL: OLD => NEW  # why' after a file and a '| line'" % (path, lineno))
                key = (current, text, int(m.group(1)), unescape(m.group(2)), unescape(m.group(3)))
                marked.setdefault(key, []).append((before, after, m.group(4)))
            else:
                current, text, before, after = line.strip(), None, None, None
    return marked


def equivalent_why(marked, key, before, after):
    """Why the mutant at @key (with these neighbouring lines) is marked
    equivalent, or None."""
    for b, a, why in marked.get(key, []):
        if (b is None or b == before) and (a is None or a == after):
            return why
    return None


def mark_equivalents(mutants, tree):
    """Marks the generated mutants listed as equivalent, and those in a
    Python docstring (not run)."""
    marked = parse_equivalents()
    for m in mutants:
        if isinstance(m, mutant_sites.Site):
            key = (m.path, record(m, tree)["text"], m.col, m.old, m.new)
            r = record(m, tree)
            why = equivalent_why(marked, key, r["before"], r["after"])
            if why is not None:
                m.equivalent, m.why = True, why
            elif m.path.endswith(".py"):
                with open(os.path.join(tree, m.path), encoding="utf-8") as f:
                    if mutant_sites.in_docstring(f.read(), m.line):
                        m.equivalent, m.why = True, "a docstring"


def print_scores(results):
    folders = sorted({r["folder"] for r in results})
    total_k = total_s = 0
    for folder in folders:
        rs = [r for r in results if r["folder"] == folder]
        k = sum(r["status"] == "killed" for r in rs)
        s = sum(r["status"] == "survived" for r in rs)
        e = sum(r["status"].startswith("equivalent") for r in rs)
        b = sum(r["status"] == "stillborn" for r in rs)
        f = sum(r["status"] == "flaky" for r in rs)
        total_k, total_s = total_k + k, total_s + s
        score = 100.0 * k / (k + s) if k + s else 100.0
        print("%-8s %3d killed %3d survived %3d equivalent %3d stillborn %3d flaky  score %5.1f %%"
              % (folder, k, s, e, b, f, score))
    score = 100.0 * total_k / (total_k + total_s) if total_k + total_s else 100.0
    print("%-8s %3d killed %3d survived                 score %5.1f %%" % ("all", total_k, total_s, score))


def score_report(path, replays):
    """A report's scores, its survivors marked equivalent since counted as
    such, and those a later --replay report killed counted as killed (the
    figures after the tests written for them)."""
    with open(path) as f:
        results = json.load(f)
    marked = parse_equivalents()
    later = {}
    for replay in replays:
        with open(replay) as f:
            for r in json.load(f):
                if "text" in r:
                    later[(r["file"], r["text"], r["col"], r["old"], r["new"])] = r["status"]
    for r in results:
        if r["status"] != "survived" or "text" not in r:
            continue
        key = (r["file"], r["text"], r["col"], r["old"], r["new"])
        why = equivalent_why(marked, key, *neighbours(r))
        if why is not None:
            r["status"], r["why"] = "equivalent", why
        elif later.get(key) == "killed":
            r["status"], r["by"] = "killed", "a later test"
    print_scores(results)
    for r in results:
        if r["status"] == "survived":
            print("  survived: %s:%d  %r => %r   | %s" % (r["file"], r["line"], r["old"], r["new"], r["text"].strip()))


# A worker's own environment (TMPDIR, pytest's base folder) and the first X
# display number its xvfb-run tries, when --jobs runs several at once.
WORKER = threading.local()


def run(cmd, cwd, timeout, env=None):
    if env is None:
        env = getattr(WORKER, "env", None)
    # (in a process group of its own, all killed at the time limit: killing
    # only xvfb-run or meson left their Xvfb and test programs running,
    # taking the cores from the mutants after)
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = p.communicate()
        return "timeout", (out or b"").decode(errors="replace")


def checkout_commit(commit, scratch):
    """The sources of COMMIT, in the scratch directory: a draw made from a
    commit can be made again on another machine (the report and the commit
    are all a later session needs to go on)."""
    rev = subprocess.run(["git", "rev-parse", "--verify", commit + "^{commit}"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if rev.returncode != 0:
        sys.exit("--draw-from %s: neither a directory nor a git commit" % commit)
    sha = rev.stdout.decode().strip()
    dest = os.path.join(scratch, "drawn-" + sha[:12])
    if not os.path.isdir(dest):
        os.makedirs(dest + ".part", exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout
        subprocess.run(["tar", "-x", "-C", dest + ".part"], input=archive, check=True)
        os.replace(dest + ".part", dest)
    print("drawing from commit %s" % sha)
    return dest


def copy_tree(scratch, origin=None):
    """The sources (of the work tree, or every file under ORIGIN) in
    SCRATCH/src, files that differ copied again."""
    src = os.path.join(scratch, "src")
    if origin is None:
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                               stdout=subprocess.PIPE).stdout.decode().splitlines()
    else:
        files = [os.path.relpath(os.path.join(d, f), origin) for d, _, names in os.walk(origin) for f in names]
    for rel in files:
        if rel.startswith("build"):
            continue
        source = os.path.join(origin or ROOT, rel)
        if not os.path.isfile(source):
            continue
        dest = os.path.join(src, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if not os.path.exists(dest) or open(source, "rb").read() != open(dest, "rb").read():
            # (a fresh time stamp: with the source's own, older than the
            # scratch build's objects, ninja would keep stale objects)
            shutil.copy(source, dest)
    return src


def set_up(build, src, options, mpi, what):
    """A meson build folder of SRC with OPTIONS, made or brought up to
    date.  A folder without build.ninja (a setup or reconfigure cut off
    mid-way) cannot be configured: it is made again."""
    if os.path.isdir(build) and not os.path.exists(os.path.join(build, "build.ninja")):
        shutil.rmtree(build)
    if not os.path.isdir(build):
        rc, out = run(["meson", "setup", build, src, "-Dfuzzing=false", mpi] + options, os.path.dirname(build), 600)
        if rc != 0:
            sys.exit("meson setup of %s failed:\n%s" % (what, out))
    else:
        run(["meson", "configure", build, mpi], os.path.dirname(build), 600)


def test_command(build, suite, test=None, cases=None):
    """The command that runs SUITE, or one TEST of it, or some CASES of
    that test (a GLib test program's paths)."""
    cmd = ["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs", "--suite", suite,
           "--num-processes", "2",
           # (one failure kills the mutant: the suite's other tests need not finish)
           "--maxfail", "1"]
    if test:
        cmd.append(test)
    if cases:
        cmd += ["--test-args", " ".join("-p " + shlex.quote(c) for c in cases)]
    if suite == "app" and not os.environ.get("DISPLAY"):
        first_display = ["-n", str(WORKER.display)] if getattr(WORKER, "display", None) else []
        cmd = ["xvfb-run", "-a"] + first_display + ["-s", "-screen 0 1400x900x24"] + cmd
    return cmd


FAILED_TEST = re.compile(r"^\s*\d+/\d+\s+\S+:(?P<suite>\S+) / (?P<name>\S+)\s+(FAIL|TIMEOUT|ERROR)\b", re.M)


def grouped(units):
    """UNITS ("suite", "suite/test" or "suite/test//case") as runs in
    their order: (suite, test or None, [cases] or None), one a test."""
    runs = []
    for unit in units:
        suite, _, rest = unit.partition("/")
        test, _, case = rest.partition("/")
        last = runs[-1] if runs else None
        if case and last and last[:2] == (suite, test) and last[2] is not None:
            last[2].append(case)
        elif not any(r[:2] == (suite, test or None) and r[2] is None for r in runs):
            runs.append((suite, test or None, [case] if case else None))
    return runs


def run_suites(build, suites, timeout):
    """(None, '', []) if all pass, else (suite, log tail, failed tests) of
    the first failure; the failed tests are (suite, name) pairs, the name
    None if the suite as a whole timed out or could not start.  SUITES
    may name tests and cases (see grouped)."""
    for suite, test, cases in grouped(suites):
        rc, out = run(test_command(build, suite, test, cases), build, timeout)
        if rc != 0:
            failed = [(f.group("suite"), f.group("name")) for f in FAILED_TEST.finditer(out)]
            return suite, out[-3000:], failed or [(suite, test)]
    return None, "", []


def passes_unmutated(build, failed, timeout, chosen):
    """Whether the tests that failed on a mutant pass on the unmutated tree
    (built again by the caller).  A test that fails on both is flaky, or
    broken by the machine's load: its failure says nothing about the
    mutant, which must not be counted as killed on that evidence.  Only
    the cases the mutant ran are run again (CHOSEN, as run_suites takes
    them): the whole app test under load outlasts the time limit, and
    made a kill by one case look flaky."""
    for suite, name in failed:
        mine = [u for u in chosen if u.partition("/")[0] == suite
                and (name is None or u.partition("/")[2].partition("/")[0] in ("", name))]
        if name is not None and mine:
            again, _, _ = run_suites(build, mine, timeout)
            if again:
                return False
            continue
        cmd = test_command(build, suite)
        # (name alone: with no name, the whole suite, for a suite that
        # timed out as a whole)
        cmd = cmd[:cmd.index("--maxfail")] + ([name] if name else [])
        rc, _ = run(cmd, build, timeout)
        if rc != 0:
            return False
    return True


def tree_digest(src):
    """A digest of the scratch tree's files, to know a coverage map is its."""
    h = hashlib.sha1()
    for top, dirs, files in sorted(os.walk(src)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            h.update(os.path.relpath(path, src).encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def gcov_lines(build, src):
    """{(path, line): executed?} over every object the build compiled with
    coverage (an object no test ran counts as run zero times)."""
    datas = [os.path.join(top, n[:-len(".gcno")] + ".gcda")
             for top, _, files in os.walk(build) for n in files if n.endswith(".gcno")]
    lines = {}
    for i in range(0, len(datas), 50):
        p = subprocess.run(["gcov", "--json-format", "--stdout"] + datas[i:i + 50], cwd=build,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for doc in p.stdout.decode(errors="replace").splitlines():
            doc = json.loads(doc)
            for f in doc["files"]:
                path = os.path.relpath(os.path.normpath(os.path.join(doc["current_working_directory"], f["file"])), src)
                for ln in f["lines"]:
                    key = (path, ln["line_number"])
                    lines[key] = lines.get(key, False) or ln["count"] > 0
    return lines


def clear_counts(build):
    for top, _, files in os.walk(build):
        for n in files:
            if n.endswith(".gcda"):
                os.unlink(os.path.join(top, n))


def gtest_cases(test, build, timeout):
    """The test paths of a meson test that is a GLib test program (its
    command a program of the build's tests/ folder), else None."""
    cmd = test["cmd"]
    if len(cmd) != 1 or not cmd[0].startswith(os.path.join(build, "tests", "test-")):
        return None
    env = dict(os.environ, **test["env"])
    wrap = ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24"] if "app" in suite_of(test) and not os.environ.get("DISPLAY") else []
    p = subprocess.run(wrap + cmd + ["-l"], cwd=test["workdir"] or build, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=timeout)
    cases = [line.strip() for line in p.stdout.decode(errors="replace").splitlines() if line.startswith("/")]
    return cases or None


def suite_of(test):
    return [x.split(":")[-1] for x in test["suite"]]


def coverage_map(scratch, src, suites, mpi, timeout):
    """Which tests run each executable line of the C sources:
    {"path:line": [unit, ...]}, from a build with gcov coverage (kept in
    the scratch directory for the tree it was made from).  A unit is a
    test case of a GLib test program ("suite/test//path/of/case"), or a
    meson test that is not one ("suite/test").  A test that never runs a
    line cannot kill a mutant of it, so it is not run for one: an app
    mutant runs its few cases, not the suite's ten minutes.  A line gcov
    does not know (a declaration, a macro, a table) gets every suite."""
    digest = tree_digest(src)
    cached = os.path.join(scratch, "units-%s.json" % digest[:16])
    if os.path.exists(cached):
        with open(cached) as f:
            return json.load(f)
    # (a run that spans sessions keeps its tree's map beside its report:
    # a new machine then skips the hour of running each case alone)
    kept = os.path.join(ROOT, "build-aux", "mutation-runs", "units-%s.json.gz" % digest[:16])
    if os.path.exists(kept):
        with gzip.open(kept, "rt", encoding="utf-8") as f:
            return json.load(f)
    build = os.path.join(scratch, "build-coverage")
    set_up(build, src, ["--buildtype=debug", "-Db_coverage=true"], mpi, "the coverage build")
    rc, out = run(["ninja", "-C", build], src, 2400)
    if rc != 0:
        sys.exit("the unmutated tree does not build with coverage:\n" + out[-3000:])
    tests = json.loads(subprocess.run(["meson", "introspect", build, "--tests"], stdout=subprocess.PIPE,
                                      check=True).stdout)
    runs = {}

    def add(unit):
        for key, executed in gcov_lines(build, src).items():
            runs.setdefault("%s:%d" % key, [])
            if executed:
                runs["%s:%d" % key].append(unit)

    for suite in suites:
        for test in [t for t in tests if suite in suite_of(t)]:
            cases = gtest_cases(test, build, timeout)
            whole = "%s/%s" % (suite, test["name"])
            if cases is None:
                clear_counts(build)
                failed, log, _ = run_suites(build, [whole], timeout * 2)
                if failed:
                    sys.exit("the unmutated tree fails %s with coverage:\n%s" % (whole, log))
                add(whole)
                continue
            for case in cases:
                clear_counts(build)
                failed, log, _ = run_suites(build, [whole + "/" + case], timeout * 2)
                # (a case that fails alone leans on the cases before it:
                # its lines get the whole test)
                add(whole if failed else whole + "/" + case)
    with open(cached + ".tmp", "w") as f:
        json.dump(runs, f)
    os.replace(cached + ".tmp", cached)
    return runs


def doubtful(m, by, log):
    """Whether a kill by suite BY, with this log, could be the machine's
    and not the mutant's: a time-out, a wait in a test that ran out, or
    a suite other than the mutant's own folder's (whose programs may not
    even hold the mutated line)."""
    return ("TIMEOUT" in log or "timed out" in log or "timeout" in log
            or by.split(" ")[0] != m.folder)


def suites_for(m, suites, covered):
    """The suites (or, with a coverage map, the tests and test cases that
    run its line) that can kill M, its own folder's first (most mutants
    die there), of the suites that reach its folder."""
    own = [x for x in suites if x == m.folder]
    reach = REACHED_BY.get(m.folder, suites)
    rest = [x for x in suites if x not in own and x in reach]
    key = "%s:%d" % (m.path, m.line) if isinstance(m, mutant_sites.Site) else None
    if covered is not None and key in covered:
        units = [u for x in own + rest for u in covered[key] if u.partition("/")[0] == x]
        # (gcov writes its counts when a process exits: a line run only by
        # a process that then calls exec or _exit, or dies of a signal,
        # reads as run by no test, so its own folder's suites decide)
        return units or own
    return own + rest


def run_by_no_test(m, covered):
    """Whether the coverage map says no test runs M's line."""
    key = "%s:%d" % (m.path, m.line) if isinstance(m, mutant_sites.Site) else None
    return covered is not None and key in covered and not covered[key]


def run_mutant(m, path, original, mutated, pending, build, sanitized, src, chosen, args):
    """Builds the tree with M applied and runs the CHOSEN suites; the
    original is back in place on return.  Returns (status, killed by, the
    failed tests, the failing suite's log, the build they ran in)."""
    failed, log, used = [], "", build
    try:
        # (the original kept beside the scratch tree until it is back:
        # a run killed now leaves no mutant behind for --keep-tree)
        with open(pending, "w", encoding="utf-8") as f:
            json.dump(dict(path=path, original=original), f)
        with open(path, "w", encoding="utf-8") as f:
            f.write(mutated)
        rc, out = run(["ninja", "-C", build], src, 1200)
        if rc != 0 and isinstance(m, mutant_sites.Site):
            return "stillborn", None, [], "", build   # not a program: neither killed nor survived
        if rc != 0:
            return "killed", "build", [], "", build
        suite, log, failed = run_suites(build, chosen, args.timeout)
        if suite:
            return "killed", suite, failed, log, build
        memory = " ".join((m.old, mutated_line(m, mutated), enclosing_function(m, mutated)))
        bounds = m.path.endswith(".c") and BOUNDS.search(mutated_line(m, mutated))
        # (--sanitize-all: every C survivor, as CI's sanitized suites
        # would see a read past an array's end made two calls away, or a
        # read of a freed cell, which no line rule finds)
        every = args.sanitize_all and m.path.endswith(".c")
        if (args.sanitize or args.sanitize_all) and (MEMORY.search(memory) or bounds or every):
            rc, _ = run(["ninja", "-C", sanitized], src, 2400)
            if rc != 0:
                return "killed", "build (sanitized)", [], "", sanitized
            # (the app suite sanitized takes ~10 min: run for the app's
            # own mutants only; a kill it alone would make is not
            # counted, so the score stays a lower bound)
            plain = [x for x in chosen if x.partition("/")[0] != "app" or m.folder == "app"]
            suite, log, failed = run_suites(sanitized, plain, args.timeout * 3)
            if suite:
                return "killed", suite + " (sanitized)", failed, log, sanitized
        return "survived", None, [], "", build
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        os.unlink(pending)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", default=os.path.join(ROOT, "build-aux", "mutants.txt"))
    ap.add_argument("--scratch", default="/tmp/wslfp-mutate")
    ap.add_argument("--only", action="append", default=[],
                    help="run the mutants whose file:id contains this (repeatable)")
    ap.add_argument("--report", help="write the results as JSON here")
    ap.add_argument("--run-equivalent", action="store_true")
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds per suite (a safety net: meson's own limits stop a test sooner; the whole app "
                    "test takes 8 minutes next to another worker)")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies")
    ap.add_argument("--suite", action="append", default=[], choices=SUITES,
                    help="run only these suites (for a quick look at one folder's mutants; a full run uses all)")
    ap.add_argument("--sample", type=int, default=0, help="run N generated mutants drawn at random")
    ap.add_argument("--per-folder", type=per_folder_counts, help="run N generated mutants of each folder "
                    "(N,FOLDER=M,...: M of the folders named)")
    ap.add_argument("--resume", action="store_true", help="skip the mutants the report already has")
    ap.add_argument("--sanitize-all", action="store_true",
                    help="like --sanitize, and run every C survivor sanitized too")
    ap.add_argument("--keep-tree", action="store_true",
                    help="with --resume: go on with the scratch copy of the tree the run began on, not today's; "
                    "with --draw-from COMMIT: run on that commit's tree, tests included")
    ap.add_argument("--draw-from", metavar="TREE",
                    help="draw the generated mutants from the sources in TREE (a copy of the tree a run began on, "
                    "or a git commit) and run them on today's tree, each found by its line's text: a run goes on "
                    "with today's tests (with --keep-tree, on that tree)")
    ap.add_argument("--replay", help="run again the generated mutants of this report (the survivors, or --status)")
    ap.add_argument("--status", action="append", default=[], help="with --replay: the statuses to run again")
    ap.add_argument("--score", metavar="REPORT", help="print a report's scores (survivors since marked equivalent "
                    "counted so) and stop")
    ap.add_argument("--killed-in", dest="replay_report", action="append", default=[], metavar="REPLAY",
                    help="with --score: count the survivors this --replay report killed as killed")
    ap.add_argument("--seed", type=int, help="the draw's seed (default: a new one, printed)")
    ap.add_argument("--sites", action="store_true", help="count the generated mutation sites per folder and stop")
    ap.add_argument("--mpi", action="store_true", help="build with -Dmpi=enabled and run the MPI suite")
    ap.add_argument("--sanitize", action="store_true",
                    help="run a plain build's survivors again in an AddressSanitizer/UBSan build, as .ci/run does")
    ap.add_argument("--no-coverage", action="store_true",
                    help="run every suite that reaches a mutant's folder, not only those that run its line")
    ap.add_argument("--pause-file", metavar="FILE",
                    help="while FILE exists, wait before the next mutant (to benchmark on an idle machine mid-run)")
    ap.add_argument("--jobs", type=int, default=1, help="mutants run at once, each in a tree of its own")
    args = ap.parse_args()
    if args.score:
        score_report(args.score, args.replay_report)
        return

    # A run killed while a mutant was applied left its file's original here
    # (one file a worker).
    pending = os.path.join(args.scratch, "pending-mutant.json")
    for k in range(max(args.jobs, 1) if os.path.isdir(args.scratch) else 0):
        left_file = pending if k == 0 else os.path.join(args.scratch, "worker-%d" % k, "pending-mutant.json")
        if os.path.exists(left_file):
            with open(left_file, encoding="utf-8") as f:
                left = json.load(f)
            with open(left["path"], "w", encoding="utf-8") as f:
                f.write(left["original"])
            os.unlink(left_file)
            print("restored %s, which a run cut short left mutated" % left["path"])
    # The tree the mutants are drawn from and applied to: today's, or with
    # --keep-tree the scratch copy a cut-short run began on (the same seed
    # then draws the same mutants, whatever changed since).
    kept = os.path.join(args.scratch, "src")
    keep = args.keep_tree and os.path.isdir(kept)
    if args.draw_from and not os.path.isdir(args.draw_from):
        args.draw_from = checkout_commit(args.draw_from, args.scratch)
    tree = args.draw_from or (kept if keep else ROOT)
    if args.replay:
        with open(args.replay) as f:
            earlier = json.load(f)
        wanted = set(args.status or ["survived"])
        mutants = []
        for r in earlier:
            if r["status"] not in wanted or "old" not in r:
                continue
            m = mutant_sites.from_record(r, ROOT)
            if m is None:
                print("%s:%s: its line %r is no longer in the file" % (r["file"], r["id"], r["text"]))
            else:
                mutants.append(m)
    elif args.sites or args.sample or args.per_folder:
        every = mutant_sites.sites(tree)
        if args.sites:
            for folder in sorted({m.folder for m in every}):
                mine = [m for m in every if m.folder == folder]
                kinds = {}
                for m in mine:
                    kinds[m.kind] = kinds.get(m.kind, 0) + 1
                print("%-8s %5d sites  %s" % (folder, len(mine), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
            print("%-8s %5d sites" % ("all", len(every)))
            return
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
        print("generated mutants: seed %d (--seed %d draws the same ones again)" % (seed, seed))
        mutants = mutant_sites.sample(every, args.sample, seed, args.per_folder)
        if args.draw_from and not args.keep_tree:
            # Drawn from that tree, run on today's: each found by its line's
            # text (under the id it was drawn with, so --resume knows it).
            found = []
            for m in mutants:
                today = mutant_sites.from_record(dict(file=m.path, **record(m, tree)), ROOT)
                if today is None:
                    print("%s: its line is no longer in today's tree; left out" % m.label())
                    continue
                today.id = m.id
                found.append(today)
            mutants, tree = found, ROOT
    else:
        mutants = parse_list(args.list)
    if args.only:
        mutants = [m for m in mutants if any(o in m.label() for o in args.only)]
    mark_equivalents(mutants, ROOT if args.replay else tree)

    bad = 0
    for m in mutants:
        with open(os.path.join(tree, m.path), encoding="utf-8") as f:
            _, err = apply(f.read(), m)
        if err:
            print("%s:%d: %s: %s" % (args.list, m.lineno, m.label(), err))
            bad += 1
    if bad:
        sys.exit(1)
    print("%d mutants apply (%d marked equivalent)" % (len(mutants), sum(m.equivalent for m in mutants)))
    if args.check:
        return

    # (--draw-from COMMIT --keep-tree: run on that commit's own tree, so a
    # run's figure is the same whichever machine or session goes on with it)
    if args.draw_from and args.keep_tree:
        src = copy_tree(args.scratch, args.draw_from)
    else:
        src = kept if keep and not args.draw_from else copy_tree(args.scratch)
    build = os.path.join(args.scratch, "build")
    mpi = "-Dmpi=%s" % ("enabled" if args.mpi else "disabled")
    set_up(build, src, ["--buildtype=debug"], mpi, "the build")
    rc, out = run(["ninja", "-C", build], src, 1200)
    if rc != 0:
        sys.exit("the unmutated tree does not build:\n" + out[-3000:])
    # CI runs every suite in a sanitized build too (build-aux/run-tests.sh):
    # a wrong size or a forgotten free that only the sanitizers see is
    # killed there, so a plain survivor gets that chance as well.
    sanitized = os.path.join(args.scratch, "build-sanitize")
    if args.sanitize or args.sanitize_all:
        set_up(sanitized, src, ["-Db_sanitize=address,undefined", "-Db_lundef=false"], mpi, "the sanitized build")
        rc, out = run(["ninja", "-C", sanitized], src, 2400)
        if rc != 0:
            sys.exit("the unmutated tree does not build sanitized:\n" + out[-3000:])
    suites = [x for x in SUITES if (not args.suite or x in args.suite) and (x != "mpi" or args.mpi)]
    # (a tree that passed these suites here once is not run whole again
    # when a cut-short run resumes: a quarter of an hour saved)
    passed = os.path.join(args.scratch, "passed-%s-%s" % (tree_digest(src)[:16], "-".join(suites)))
    failed = None
    if not os.path.exists(passed):
        failed, log, _ = run_suites(build, suites, args.timeout)
    if failed:
        # (once more: the app suite's waits have run out now and then on a
        # loaded machine; a tree that fails twice is broken)
        print("the unmutated tree failed the %s suite once; running the suites again:\n%s" % (failed, log[-1500:]),
              flush=True)
        failed, log, _ = run_suites(build, suites, args.timeout)
    if failed:
        sys.exit("the unmutated tree fails the %s suite:\n%s" % (failed, log))
    open(passed, "w").close()
    covered = None if args.no_coverage else coverage_map(args.scratch, src, suites, mpi, args.timeout)

    # The workers: the first in the scratch tree, each other one in a copy
    # of it with builds of its own.
    workers = [dict(src=src, build=build, sanitized=sanitized, pending=pending, env=None, display=None)]
    for k in range(1, max(args.jobs, 1)):
        home = os.path.join(args.scratch, "worker-%d" % k)
        w_src = copy_tree(home, src)
        w_build, w_sanitized = os.path.join(home, "build"), os.path.join(home, "build-sanitize")
        set_up(w_build, w_src, ["--buildtype=debug"], mpi, "worker %d's build" % k)
        if run(["ninja", "-C", w_build], w_src, 1200)[0] != 0:
            sys.exit("worker %d's copy of the tree does not build" % k)
        if args.sanitize or args.sanitize_all:
            set_up(w_sanitized, w_src, ["-Db_sanitize=address,undefined", "-Db_lundef=false"], mpi,
                   "worker %d's sanitized build" % k)
            if run(["ninja", "-C", w_sanitized], w_src, 2400)[0] != 0:
                sys.exit("worker %d's copy of the tree does not build sanitized" % k)
        tmp = os.path.join(home, "tmp")
        os.makedirs(tmp, exist_ok=True)
        env = dict(os.environ, TMPDIR=tmp, PYTEST_ADDOPTS="--basetemp=" + os.path.join(home, "pytest"))
        workers.append(dict(src=w_src, build=w_build, sanitized=w_sanitized,
                            pending=os.path.join(home, "pending-mutant.json"), env=env, display=100 + 100 * k))

    results = []
    if args.resume and args.report and os.path.exists(args.report):
        with open(args.report) as f:
            results = json.load(f)
        done = {(r["file"], r["id"]) for r in results}
        print("resuming: %d mutants already in %s" % (len(done), args.report))
    else:
        done = set()
    lock = threading.Lock()

    def save():
        if args.report:
            with open(args.report + ".tmp", "w") as f:
                json.dump(results, f, indent=1)
            os.replace(args.report + ".tmp", args.report)

    def finish(entry, line):
        with lock:
            results.append(entry)
            save()
            print(line, flush=True)

    todo = [(i, m) for i, m in enumerate(mutants, 1) if (m.path, m.id) not in done]

    def next_mutant():
        with lock:
            return todo.pop(0) if todo else (None, None)

    def work(w):
        WORKER.env, WORKER.display = w["env"], w["display"]
        w_src, w_build, w_sanitized = w["src"], w["build"], w["sanitized"]
        while True:
            i, m = next_mutant()
            if m is None:
                return
            while args.pause_file and os.path.exists(args.pause_file):
                time.sleep(5)
            start = time.time()
            if m.equivalent and not args.run_equivalent:
                finish(dict(file=m.path, id=m.id, folder=m.folder, status="equivalent", why=m.why),
                       "[%d/%d] %-60s equivalent (%s)" % (i, len(mutants), m.label(), m.why))
                continue
            path = os.path.join(w_src, m.path)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            mutated, _ = apply(original, m)
            # A kill on evidence that may not be the mutant's (a time-out, a
            # wait that ran out, a suite whose programs do not hold the line)
            # is checked on the unmutated tree; a test that fails there too
            # says nothing, and the mutant is run once more, then "flaky".
            chosen = suites_for(m, suites, covered)
            for attempt in (1, 2):
                status, by, failed, log, used = run_mutant(m, path, original, mutated, w["pending"], w_build,
                                                           w_sanitized, w_src, chosen, args)
                if status != "killed" or by == "build" or not doubtful(m, by, log):
                    break
                run(["ninja", "-C", used], w_src, 2400)
                if passes_unmutated(used, failed, args.timeout * (3 if used == w_sanitized else 1), chosen):
                    break
                with lock:
                    print("  %s: %s failed on the unmutated tree too (attempt %d)" % (m.label(), by, attempt),
                          flush=True)
                status, by = "flaky", by
            if m.equivalent:
                status = "equivalent-" + status
            unmapped = run_by_no_test(m, covered)
            finish(dict(file=m.path, id=m.id, folder=m.folder, status=status, by=by,
                        suites=sorted({u.partition("/")[0] for u in chosen}), tests=len(chosen),
                        seconds=round(time.time() - start, 1), **record(m, w_src),
                        **(dict(unmapped=True) if unmapped else {})),
                   "[%d/%d] %-60s %s%s (%.0f s)%s" % (i, len(mutants), m.label(), status, " by " + by if by else "",
                                                      time.time() - start,
                                                      ", its line run by no test in the coverage map" if unmapped
                                                      else ""))

    threads = [threading.Thread(target=work, args=(w,)) for w in workers[1:]]
    for t in threads:
        t.start()
    work(workers[0])
    for t in threads:
        t.join()
    # Leave the scratch builds matching the sources again.
    for w in workers:
        run(["ninja", "-C", w["build"]], w["src"], 1200)
        if args.sanitize or args.sanitize_all:
            run(["ninja", "-C", w["sanitized"]], w["src"], 2400)

    print()
    print_scores(results)
    survivors = [r for r in results if r["status"] == "survived"]
    if survivors:
        print("\nsurvivors:")
        for r in survivors:
            m = next((x for x in mutants if x.path == r["file"] and x.id == r["id"]), None)
            if m is not None:
                print("  %s:%s  %r => %r" % (r["file"], r["id"], m.old, m.new))
            else:
                print("  %s:%s  %r => %r" % (r["file"], r["id"], r.get("old"), r.get("new")))
    save()


if __name__ == "__main__":
    main()
