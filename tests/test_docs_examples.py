"""Every Python code block of README.rst and docs/**/*.rst runs, so the examples cannot rot.

One test per file. The blocks of a file run in order in one namespace that starts with:

- ``sandbox``: a running :class:`bigcommerce.sandbox.Sandbox` seeded with the demo data of
  ``bigcommerce demo`` (:data:`bigcommerce.cli.SANDBOX_SEED`), one store per file;
- ``api``: ``sandbox.api()``, an OAuth ``BigcommerceApi`` bound to it;
- ``bigcommerce``: the package, imported.

A block whose first line is ``# needs a real store`` is skipped (and counted). A failure names the
file and the line of the block, and the traceback points at the line in the ``.rst`` file.
``python tests/test_docs_examples.py`` prints how many blocks each file has (run and skipped).
"""

from __future__ import annotations

import re
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIP_MARK = "# needs a real store"

# ``.. code-block:: python`` (and its spellings ``.. code::`` / ``.. sourcecode::``, ``py``/``python3``):
# every Python block is executed, so no spelling slips through unrun.
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?:code-block|code|sourcecode)::[ \t]*(?:python3?|py)[ \t]*$")
_OPTION = re.compile(r"^[ \t]*:[\w-]+:")


@dataclass(frozen=True)
class Block:
    """One Python code block: its source (dedented) and the line of its first source line (1-based)."""

    line: int
    source: str

    @property
    def needs_real_store(self) -> bool:
        return self.source.lstrip().startswith(SKIP_MARK)


def doc_files() -> List[Path]:
    """README.rst and every .rst file under docs/ (the build output excluded), in a stable order."""
    docs = REPO / "docs"
    pages = sorted(p for p in docs.rglob("*.rst") if "_build" not in p.relative_to(docs).parts) if docs.is_dir() else []
    return [REPO / "README.rst", *pages]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def parse_blocks(text: str) -> List[Block]:
    """The Python code blocks of an rst text, in order.

    :raises ValueError: for a directive with no indented body, which rst would render as an empty
        block (usually a missing blank line or indentation); the message gives its line.
    """
    lines = text.splitlines()
    blocks: List[Block] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            i += 1
            continue
        directive_line, base = i + 1, _indent(lines[i])
        i += 1
        while i < len(lines) and lines[i].strip() and _OPTION.match(lines[i]) and _indent(lines[i]) > base:
            i += 1  # directive options such as :caption:
        body: List[str] = []
        first = None
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
            if lines[i].strip() and first is None:
                first = i + 1
            if first is not None:
                body.append(lines[i])
            i += 1
        if first is None:
            raise ValueError(f"line {directive_line}: python code block without an indented body")
        blocks.append(Block(first, textwrap.dedent("\n".join(body)).rstrip() + "\n"))
    return blocks


def run_blocks(path: Path, blocks: List[Block], namespace: Dict[str, Any]) -> Tuple[int, int]:
    """Execute the blocks in order in ``namespace``; return (executed, skipped).

    :raises AssertionError: for the first block that raises, naming the file and the block's line,
        with the traceback (whose line numbers are the ``.rst`` file's).
    """
    executed = skipped = 0
    for block in blocks:
        if block.needs_real_store:
            skipped += 1
            continue
        # Padding with blank lines makes the compiled code's line numbers those of the .rst file.
        code = compile("\n" * (block.line - 1) + block.source, str(path), "exec")
        try:
            exec(code, namespace)
        except Exception as error:
            frames = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
            raise AssertionError(f"{path.name}: the code block at line {block.line} failed:\n{frames}") from None
        executed += 1
    return executed, skipped


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", doc_files(), ids=_name)
def test_code_blocks_run_against_the_sandbox(path: Path, request: pytest.FixtureRequest) -> None:
    import bigcommerce
    from bigcommerce.cli import SANDBOX_SEED
    from bigcommerce.sandbox import Sandbox

    blocks = parse_blocks(path.read_text(encoding="utf-8"))
    if not blocks:
        return  # nothing to run: no store started
    with Sandbox(**SANDBOX_SEED) as sandbox:
        namespace: Dict[str, Any] = {
            "__name__": "__docs__",
            "sandbox": sandbox,
            "api": sandbox.api(),
            "bigcommerce": bigcommerce,
        }
        executed, skipped = run_blocks(path, blocks, namespace)
    assert executed + skipped == len(blocks)
    request.node.user_properties.extend([("blocks_executed", executed), ("blocks_skipped", skipped)])


# -- the runner itself -----------------------------------------------------------------------------

SAMPLE = """\
Title
=====

.. code-block:: python

    x = 1

Text.

.. code:: python
   :caption: second

   x += 1
   if x:

       y = x * 10

.. code-block:: console

   $ not python

.. code-block:: python

    # needs a real store
    raise SystemExit("never run")

::

    literal, not run
"""


def test_parse_blocks_finds_python_blocks_with_their_lines() -> None:
    blocks = parse_blocks(SAMPLE)
    assert [b.line for b in blocks] == [6, 13, 24]
    assert blocks[1].source == "x += 1\nif x:\n\n    y = x * 10\n"
    assert [b.needs_real_store for b in blocks] == [False, False, True]


def test_parse_blocks_refuses_an_empty_block() -> None:
    with pytest.raises(ValueError, match="line 1:"):
        parse_blocks(".. code-block:: python\nnot indented\n")


def test_run_blocks_shares_one_namespace_and_skips_marked_blocks(tmp_path: Path) -> None:
    namespace: Dict[str, Any] = {}
    assert run_blocks(tmp_path / "page.rst", parse_blocks(SAMPLE), namespace) == (2, 1)
    assert namespace["y"] == 20


def test_a_failing_block_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    text = "Page\n====\n\n.. code-block:: python\n\n    ok = True\n    1 / 0\n"
    with pytest.raises(AssertionError) as failure:
        run_blocks(tmp_path / "page.rst", parse_blocks(text), {})
    message = str(failure.value)
    assert "page.rst: the code block at line 6 failed" in message
    assert "line 7" in message and "ZeroDivisionError" in message


def test_the_readme_links_to_pages_that_exist() -> None:
    readme = (REPO / "README.rst").read_text(encoding="utf-8")
    links = re.findall(r"<(docs/[^>]+\.rst)>`_", readme)
    assert len(links) >= 10
    missing = sorted({link for link in links if not (REPO / link).is_file()})
    assert missing == []


if __name__ == "__main__":
    total_run = total_skipped = 0
    for page in doc_files():
        found = parse_blocks(page.read_text(encoding="utf-8"))
        skip = sum(b.needs_real_store for b in found)
        total_run, total_skipped = total_run + len(found) - skip, total_skipped + skip
        print(f"{_name(page):32} {len(found) - skip:3} to run  {skip:2} skipped")
    print(f"{'total':32} {total_run:3} to run  {total_skipped:2} skipped")
