"""Generated mutants: every mutation site of the C sources and of the Python
modules, one textual change each, for build-aux/mutate.py (--sample).

A site is a place on one line where one of these changes applies:

  relational   <  <=  >  >=  ==  !=  swapped for a neighbour (< for <=, == for !=)
  arithmetic   binary + - * / swapped (+ for -, * for /)
  logical      && for ||, and back (Python: and / or)
  bound        "+ 1" or "- 1" dropped, or a bare index bound i < n made i < n - 1
  constant     an integer literal n made n + 1 (0 and 1 swapped), a decimal
               literal x made 2x
  negation     if (C) made if (!(C)); Python: if C: made if not (C):
  statement    a line that is one call statement (f (...);) dropped
  swap         f (a, b) with two plain arguments made f (b, a) (not where f
               is fmax, fmin, hypot or g_str_equal, whose arguments commute,
               or a string comparison only tested against 0)

Comments, string literals, preprocessor lines, declarations of arrays
and generated files (a "generated" in their first lines: data tables made
by build-aux scripts) are left alone; a change that does not compile is "stillborn" in the run
(not a kill).  The sites are listed in a fixed order, so a seed picks the
same sample of the same tree again.
"""

import os
import random
import re

C_FOLDERS = ["src/engine", "src/io", "src/plot", "src/cli", "src/app", "src/sim"]
PY_FOLDERS = ["src/python/wslfp", "src/python/tklfp"]

RELATIONAL = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
ARITHMETIC = {"+": "-", "-": "+", "*": "/", "/": "*"}


class Site:
    """One generated mutant: in @path, line @line (1-based), the text @old at
    column @col made @new."""

    def __init__(self, path, line, col, old, new, kind):
        self.path, self.line, self.col, self.old, self.new, self.kind = path, line, col, old, new, kind
        self.id = "g%d.%d.%s" % (line, col, kind)
        self.occurrence, self.equivalent, self.why, self.lineno = 0, False, None, line

    @property
    def folder(self):
        parts = self.path.split("/")
        if parts[:2] == ["src", "python"]:
            return "python"
        return parts[1] if parts[0] == "src" and len(parts) > 2 else parts[0]

    def label(self):
        return "%s:%s" % (self.path, self.id)

    def apply(self, text):
        """The mutated text, or (None, why)."""
        lines = text.split("\n")
        if self.line > len(lines):
            return None, "the file has no line %d" % self.line
        row = lines[self.line - 1]
        if row[self.col:self.col + len(self.old)] != self.old:
            return None, "line %d no longer has %r at column %d" % (self.line, self.old, self.col)
        lines[self.line - 1] = row[:self.col] + self.new + row[self.col + len(self.old):]
        return "\n".join(lines), None


def _blank_strings_and_comments(line, in_block, python):
    """@line with string literals and comments replaced by spaces (same
    length), and whether a C block comment is still open after it."""
    out, i, n = [], 0, len(line)
    while i < n:
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                out.append(" " * (n - i))
                return "".join(out), True
            out.append(" " * (end + 2 - i))
            i, in_block = end + 2, False
            continue
        c = line[i]
        if not python and line.startswith("/*", i):
            in_block = True
            continue
        if (not python and line.startswith("//", i)) or (python and c == "#"):
            out.append(" " * (n - i))
            break
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block


def _matching_paren(code, start):
    depth = 0
    for j in range(start, len(code)):
        if code[j] == "(":
            depth += 1
        elif code[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


CALL_STATEMENT = re.compile(r"^\s*[a-z_][a-z0-9_]*\s*\(.*\);\s*$")
DECLARATION = re.compile(r"^\s*(static\s+|const\s+)*(unsigned\s+)?(int|double|float|gsize|gssize|size_t|guint|gint|"
                         r"gint64|guint64|int64_t|char|bool|gboolean|hsize_t|[A-Z][A-Za-z]+)\b[\s*]+\w+\s*\[")
OPERATOR = re.compile(r"(?<=\s)(<=|>=|==|!=|<|>|&&|\|\||\+|-|\*|/)(?=\s)")
INTEGER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")
DECIMAL = re.compile(r"(?<![\w.])(\d+\.\d+(?:[eE][-+]?\d+)?)(?![\w.])")
TWO_ARGS = re.compile(r"\((\s*)([A-Za-z_][\w.>\-]*)(\s*,\s*)([A-Za-z_][\w.>\-]*)(\s*)\)")
# Functions whose two arguments commute (NaN too, as C99 defines fmax,
# fmin and hypot): swapping them cannot change anything.  (MAX and MIN do
# not: MAX (NaN, 1) is 1, MAX (1, NaN) is NaN.)
SYMMETRIC_CALL = re.compile(r"\b(?:fmax|fmin|hypot|g_str_equal)\s*$")
# A comparison whose result is only tested for (in)equality with 0: its
# arguments commute there.
COMPARISON_CALL = re.compile(r"\b(?:strcmp|g_strcmp0|strcasecmp|g_ascii_strcasecmp)\s*$")
EQUAL_TO_ZERO = re.compile(r"\s*[!=]=\s*0(?![\w.])")


def _line_sites(path, lineno, raw, code, python):
    sites = []
    stripped = code.strip()
    if not stripped or (not python and stripped.startswith("#")) or DECLARATION.match(code):
        return sites
    for m in OPERATOR.finditer(code):
        op = m.group(1)
        if op in RELATIONAL:
            sites.append(Site(path, lineno, m.start(), op, RELATIONAL[op], "rel"))
        elif op in ARITHMETIC:
            # a binary operator only: something before it on the line
            if code[:m.start()].strip() and not code[:m.start()].rstrip().endswith(("(", ",", "=", "return")):
                sites.append(Site(path, lineno, m.start(), op, ARITHMETIC[op], "arith"))
        elif op in ("&&", "||") and not python:
            sites.append(Site(path, lineno, m.start(), op, "||" if op == "&&" else "&&", "logic"))
    if python:
        for m in re.finditer(r"(?<=\s)(and|or)(?=\s)", code):
            sites.append(Site(path, lineno, m.start(), m.group(1), "or" if m.group(1) == "and" else "and", "logic"))
    for m in re.finditer(r" [+-] 1(?![\w.])", code):
        sites.append(Site(path, lineno, m.start(), m.group(0), "", "bound"))
    for m in DECIMAL.finditer(code):
        value = float(m.group(1))
        sites.append(Site(path, lineno, m.start(), m.group(1), repr(2 * value) if value else "1.0", "const"))
    for m in INTEGER.finditer(code):
        v = int(m.group(1))
        new = {0: "1", 1: "0"}.get(v, str(v + 1))
        sites.append(Site(path, lineno, m.start(), m.group(1), new, "const"))
    if not python:
        at = code.find("if (")
        if at >= 0 and (at == 0 or not (code[at - 1].isalnum() or code[at - 1] == "_")):
            end = _matching_paren(code, at + 3)
            if end > 0:
                cond = raw[at + 4:end]
                sites.append(Site(path, lineno, at, raw[at:end + 1], "if (!(%s))" % cond, "neg"))
        if CALL_STATEMENT.match(code) and not code.strip().startswith(("return", "g_return", "g_assert")):
            body = raw.strip()
            sites.append(Site(path, lineno, raw.index(body), body, "", "stmt"))
    else:
        m = re.match(r"^(\s*)(if|elif|while) (.+):\s*$", code)
        if m:
            start = len(m.group(1)) + len(m.group(2)) + 1
            cond = raw[start:start + len(m.group(3))]
            sites.append(Site(path, lineno, start, cond, "not (%s)" % cond, "neg"))
        m = re.match(r"^(\s*)([a-z_][\w.]*\(.*\))\s*$", code)
        if m and not code.strip().startswith(("return", "raise")):
            body = raw.strip()
            sites.append(Site(path, lineno, raw.index(body), body, "pass", "stmt"))
    for m in TWO_ARGS.finditer(code):
        a, b = m.group(2), m.group(4)
        commutes = SYMMETRIC_CALL.search(code[:m.start()]) or (
            COMPARISON_CALL.search(code[:m.start()]) and EQUAL_TO_ZERO.match(code[m.end():]))
        if a != b and not commutes:
            old = raw[m.start():m.end()]
            new = "(%s%s%s%s%s)" % (m.group(1), b, m.group(3), a, m.group(5))
            sites.append(Site(path, lineno, m.start(), old, new, "swap"))
    return sites


def sites(root):
    """Every site of the tree at @root, in a fixed order."""
    found = []
    for folders, ext, python in ((C_FOLDERS, ".c", False), (PY_FOLDERS, ".py", True)):
        for folder in folders:
            base = os.path.join(root, folder)
            if not os.path.isdir(base):
                continue
            for name in sorted(os.listdir(base)):
                if not name.endswith(ext):
                    continue
                rel = "%s/%s" % (folder, name)
                in_block = False
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
                if "generated" in "\n".join(text.split("\n")[:5]).lower():
                    continue
                for lineno, raw in enumerate(text.split("\n"), 1):
                    code, in_block = _blank_strings_and_comments(raw, in_block, python)
                    found.extend(_line_sites(rel, lineno, raw, code, python))
    return found


def in_docstring(text, lineno):
    """Whether line @lineno (1-based) of the Python source @text lies in a
    triple-quoted string (a docstring): the sites are found line by line and
    do not see such strings, so a mutant there changes no behaviour."""
    inside, quote = False, None
    for number, line in enumerate(text.split("\n"), 1):
        starts_inside = inside
        at = 0
        while True:
            if inside:
                end = line.find(quote, at)
                if end < 0:
                    break
                inside, at = False, end + 3
            else:
                found = [(line.find(q, at), q) for q in ('"""', "'''") if line.find(q, at) >= 0]
                hash_at = line.find("#", at)
                if not found or (0 <= hash_at < min(found)[0]):
                    break
                start, quote = min(found)
                inside, at = True, start + 3
        if number == lineno:
            return starts_inside or inside or line.strip().startswith(('"""', "'''"))
    return False


def from_record(record, root):
    """The site a report recorded (mutate.py --replay), found again in the
    tree at @root: on its line if that still reads the same, else on the one
    line nearest to it that does (the file may have grown since)."""
    site = Site(record["file"], record["line"], record["col"], record["old"], record["new"], record["kind"])
    with open(os.path.join(root, site.path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if site.line <= len(lines) and lines[site.line - 1] == record["text"]:
        return site
    same = [i + 1 for i, row in enumerate(lines) if row == record["text"]]
    if not same:
        return None
    site.line = min(same, key=lambda i: abs(i - record["line"]))
    site.id = "g%d.%d.%s" % (site.line, site.col, site.kind)
    return site


def sample(all_sites, n, seed, per_folder=None):
    """@n sites drawn at random with @seed (or, with @per_folder, a dict
    folder -> count with a default under None, that many from each folder,
    all of a smaller folder's)."""
    rng = random.Random(seed)
    if per_folder:
        picked = []
        for folder in sorted({s.folder for s in all_sites}):
            mine = [s for s in all_sites if s.folder == folder]
            want = per_folder.get(folder, per_folder.get(None, 0))
            picked.extend(rng.sample(mine, min(want, len(mine))))
        # Run them in a mixed order, so a run cut short still covers every folder.
        rng.shuffle(picked)
        return picked
    return rng.sample(all_sites, min(n, len(all_sites)))
