"""The README's Brian2 example runs, and does what it says."""
import os
import re
import subprocess
import sys

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


def test_readme_brian2_example(tmp_path):
    text = open(README, encoding="utf-8").read()
    section = text[text.index("## The Python module"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "import brian2" in code and "wslfp.Stream" in code
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240,
                         env=dict(os.environ, MPLBACKEND="Agg"))
    assert run.returncode == 0, run.stderr
    assert "LFP (2000, 16) µV" in run.stdout
    assert "stream equals batch: True" in run.stdout
