"""One pagination for every list: keyset on ``id``, no COUNT(*).

Cursor pagination turns "page 10 000" into ``WHERE id > last_seen ORDER BY id
LIMIT n``: an index range scan whatever the depth, where offset pagination
reads and throws away every row before the page and counts the whole table
on each request. The price is that pages are reached by following
``next``/``previous`` links rather than by number.
"""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        """Refuses a cursor whose position is not an id, with 404.

        DRF checks the cursor's offset but hands its position to the query as
        it came, so a mangled or made-up cursor (``p=abc``) failed inside the
        ORM with a 500.
        """
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor
