"""``/compare/``: how fast each read path answers, as a page and as JSON."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.auth.throttles import AnonymousComparisonThrottle
from rooms.schema import ERROR
from rooms.selectors.read_path_timings import MAX_LAST, read_path_timings
from rooms.serializers.compare import CompareQuerySerializer, ComparisonSerializer

from .compare_chart import charts


class ComparisonHTMLRenderer(TemplateHTMLRenderer):
    """The comparison's JSON as a page: tables and SVG charts of the same numbers.

    A bad query parameter gets the same page with the message, and the form
    to correct it, rather than DRF's bare "400 Bad Request".
    """

    template_name = "rooms/compare.html"
    exception_template_names = ["rooms/compare.html"]

    def get_template_context(self, data, renderer_context):
        request = renderer_context["request"]
        context = {
            "max_last": MAX_LAST,
            "last": request.query_params.get("last", ""),
            "anonymous_live_page_size": settings.ROOMS_ANON_LIVE_MAX_PAGE_SIZE,
        }
        if renderer_context["response"].exception:
            return {**context, "errors": data}
        return {
            **context,
            "last": data["window"]["last"],
            "comparison": data,
            "charts": charts(data),
        }


class CompareView(APIView):
    """How fast each read path answers, from the server's timing log.

    For the latest requests (`last`, 10,000 by default): the count and the
    50th, 95th and 99th percentiles of the time spent in the server, in
    milliseconds, for a single room and for a list page of each size on each
    read path, and how many times faster than the live `/rooms/` each one is.
    Writes, errors, redirects, the admin, the docs and the health check are
    counted apart. Browsers get a page with charts; scripts ask for
    `Accept: application/json`.
    """

    renderer_classes = [JSONRenderer, ComparisonHTMLRenderer]
    permission_classes = [AllowAny]
    #: Each request reads up to 100,000 lines of the log: a loop of them must not starve
    #: the read paths. Signed-in users are not limited.
    throttle_classes = [AnonymousComparisonThrottle]
    #: OPTIONS would describe the view in a body the page cannot show; the schema does.
    metadata_class = None

    @extend_schema(
        parameters=[
            CompareQuerySerializer,
            # DRF's override of the Accept header; empty is the same as absent.
            OpenApiParameter(
                "format",
                {"type": "string", "pattern": "^(json|html)?$"},
                OpenApiParameter.QUERY,
                description="`json` or `html`, instead of the `Accept` header.",
            ),
        ],
        responses={
            (200, "application/json"): ComparisonSerializer,
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="The page: tables and charts of the same figures."
            ),
            (400, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="`last` is not a whole number in range."
            ),
            (400, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="The page, saying what is wrong with `last`."
            ),
            (404, "application/json"): OpenApiResponse(
                ERROR, description="`format` is neither `json` nor `html`."
            ),
        },
    )
    def get(self, request):
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        comparison = read_path_timings(query.validated_data["last"], leave_out=request.path)
        return Response(ComparisonSerializer(comparison).data)
