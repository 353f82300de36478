"""The OpenAPI schema (``/api/schema/``), built once per process and sent compressed.

``/api/docs/`` is blank until its page has fetched the schema, and the
schema is large (430 KB of JSON: every operation's error answers are
documented). drf-spectacular builds it anew on every request, though it
follows from the code alone, and sends it uncompressed, though it compresses
some fortyfold. So the first request of each process builds it, later ones
reuse it, and every client that accepts gzip gets it gzipped.
"""

from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView


class OncePerProcessSchemaGenerator(SchemaGenerator):
    """Builds each variant of the schema once per process.

    The served schema is the public one (``SERVE_PUBLIC``): it does not depend
    on who asks, only on the API version and the language asked for, which key
    the cache. The renderers only read the schema, so the one copy is shared.
    """

    _schemas: dict = {}

    def get_schema(self, request=None, public=False):
        key = (
            self.api_version or getattr(request, "version", None),
            public,
            translation.get_language(),
        )
        if key not in self._schemas:
            self._schemas[key] = super().get_schema(request=request, public=public)
        return self._schemas[key]


@method_decorator(gzip_page, name="dispatch")
class SchemaView(SpectacularAPIView):
    generator_class = OncePerProcessSchemaGenerator
