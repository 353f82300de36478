"""What a test checks on the ``/compare/`` page, in a real browser (``browser.chromium``)."""

#: The read paths the page compares, live first.
READ_PATHS = ["/rooms/", "/rooms_mat_view/", "/rooms_v2/", "/rooms_v3/"]


def by_path(rows) -> dict:
    return {row["path"]: row for row in rows}


def groups(comparison) -> list[list[dict]]:
    """The comparison's groups in the page's order: single rooms, then each page size."""
    return [comparison["single_room"], *(group["read_paths"] for group in comparison["lists"])]


def assert_page_shows(page, comparison) -> None:
    """Each chart's bars and each table show the JSON's numbers, group by group."""
    sections = page.locator("section.group")
    assert sections.count() == len(groups(comparison))
    for section, rows in zip(sections.all(), groups(comparison), strict=True):
        assert section.locator("svg").is_visible()
        assert section.locator("svg rect.bar").count() == 3 * sum(1 for r in rows if r["count"])
        for row in rows:
            percentiles = [row[f"{p}_ms"] for p in ("p50", "p95", "p99")]
            chart_row = section.locator(f'svg g.read-path[data-path="{row["path"]}"]')
            assert chart_row.locator("text.value").all_text_contents() == [
                str(value) for value in percentiles if value is not None
            ]
            cells = section.locator(f'tr[data-path="{row["path"]}"] td').all_inner_texts()
            assert cells[1:5] == [
                str(row["count"]),
                *("\N{EN DASH}" if value is None else str(value) for value in percentiles),
            ]
