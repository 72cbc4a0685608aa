"""The README's Python example runs as it is, on Debian's plugins."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, run_python


def test_the_readme_example_runs(debian: Path) -> None:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Python: `import ladspa`") :]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example is not None
    result = run_python(example.group(1))
    assert result.returncode == 0, result.stderr
    assert "[0.5 0.5 0.5 0.5]" in result.stdout
    assert "'/usr/lib/ladspa/filter.so:lpf'" in result.stdout
