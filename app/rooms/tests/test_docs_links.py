"""Every relative link in README.md and docs/*.md leads somewhere in a user's clone.

A moved or deleted file, or a renamed heading, breaks a link silently: GitHub shows it
as a link all the same. So each Markdown link and image, ``[text](target)`` and
``![alt](target)``, that is not an absolute URL must name a file of the repository, and
its ``#anchor``, if any, a heading of that Markdown file (GitHub's slugs).

Nor may README.md, docs/ or a Python file under app/ point at ``FORBIDDEN``'s paths
(the specification files beside the repository): they are not in it, so a user's clone
does not have them.
"""

import re
from collections import Counter
from urllib.parse import unquote

import pytest

from .project import REPO_DIR as ROOT

MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PYTHON = sorted((ROOT / "app").rglob("*.py"))
#: (Written so that a search of the repository for those paths does not find this file.)
FORBIDDEN = re.compile(r"\.\./shared/|shared[/]spec")

FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
ABSOLUTE_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto:, …


def _without_code(text):
    """The text with code blocks blanked (line numbers kept) and code spans emptied."""
    text = FENCED_CODE.sub(lambda m: "\n" * m.group().count("\n"), text)
    return INLINE_CODE.sub("``", text)


def slug(heading):
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(markdown_file):
    """Every heading's anchor in a Markdown file; a repeated one gets -1, -2, … as on GitHub."""
    seen = Counter()
    result = set()
    for heading in HEADING.findall(FENCED_CODE.sub("", markdown_file.read_text())):
        base = slug(heading)
        result.add(f"{base}-{seen[base]}" if seen[base] else base)
        seen[base] += 1
    return result


def broken_links(markdown_file):
    """Each relative link of the file that does not resolve, as 'line: target: why'."""
    problems = []
    text = _without_code(markdown_file.read_text())
    for number, line in enumerate(text.splitlines(), start=1):
        for target in LINK.findall(line):
            if not target or ABSOLUTE_URL.match(target):
                continue
            path, _, anchor = unquote(target).partition("#")
            base = ROOT if path.startswith("/") else markdown_file.parent
            linked = (base / path.lstrip("/")).resolve() if path else markdown_file
            if not linked.is_relative_to(ROOT) or not linked.exists():
                problems.append(f"{number}: {target}: no such file in the repository")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                problems.append(f"{number}: {target}: no heading with that anchor")
    return problems


def _name(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("markdown_file", MARKDOWN, ids=_name)
def test_relative_links_resolve(markdown_file):
    problems = broken_links(markdown_file)
    assert not problems, "\n".join(f"{_name(markdown_file)}:{problem}" for problem in problems)


@pytest.mark.parametrize("source", MARKDOWN + PYTHON, ids=_name)
def test_nothing_points_outside_the_repository(source):
    offending = [
        f"{_name(source)}:{number}: {line.strip()}"
        for number, line in enumerate(source.read_text().splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert not offending, "\n".join(offending)


def test_the_slugs_follow_github():
    assert slug("Locally: `make run REPLICAS=1`") == "locally-make-run-replicas1"
    assert slug("The trigger table (`/rooms_v3/`): change capture") == (
        "the-trigger-table-rooms_v3-change-capture"
    )
    assert slug('An "editor" group') == "an-editor-group"
