"""One pagination for every list: keyset on ``id``, no COUNT(*).

Cursor pagination turns "page 10 000" into ``WHERE id > last_seen ORDER BY id
LIMIT n``: an index range scan whatever the depth, where offset pagination
reads and throws away every row before the page and counts the whole table
on each request. The price is that pages are reached by following
``next``/``previous`` links rather than by number.

``page_size`` is validated, not guessed at: anything but a whole number from
1 to ``max_page_size`` is a 400 naming the parameter (DRF would quietly serve
the default page for ``page_size=null`` and the maximum for ``page_size=5000``),
and the schema states the same bounds.
"""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.anonymous_max_page_size = getattr(view, "anonymous_max_page_size", None)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            size = self.page_size
        else:
            # Plain ASCII digits only: int() would also take "+5", "5_0" and other scripts' digits.
            size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 8 else 0
            if not 1 <= size <= self.max_page_size:
                raise ValidationError(
                    {
                        self.page_size_query_param: [
                            f"Must be a whole number from 1 to {self.max_page_size}."
                        ]
                    }
                )
        limit = getattr(self, "anonymous_max_page_size", None)
        if limit is not None and not request.user.is_authenticated:
            size = min(size, limit)
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters

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
