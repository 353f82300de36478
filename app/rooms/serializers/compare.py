"""The comparison of the read paths (``/compare/``): its query and its JSON.

Each class names a component of the OpenAPI schema: names must not clash
with the API's other serializers (``Window`` is a window of a room).
"""

from rest_framework import serializers

from rooms.selectors.read_path_timings import DEFAULT_LAST, MAX_LAST


class CompareQuerySerializer(serializers.Serializer):
    last = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LAST,
        default=DEFAULT_LAST,
        help_text="How many of the latest requests to summarise.",
    )


class FiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="figures.count")
    p50_ms = serializers.FloatField(source="figures.p50_ms", allow_null=True)
    p95_ms = serializers.FloatField(source="figures.p95_ms", allow_null=True)
    p99_ms = serializers.FloatField(source="figures.p99_ms", allow_null=True)


class SpeedupSerializer(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)
    p99 = serializers.FloatField(allow_null=True)


class ReadPathSerializer(serializers.Serializer):
    path = serializers.CharField()
    read_path = serializers.CharField(source="name")


class ReadPathFiguresSerializer(ReadPathSerializer, FiguresSerializer):
    speedup = SpeedupSerializer(help_text="How many times faster than live, per percentile.")


class PageSizeFiguresSerializer(serializers.Serializer):
    page_size = serializers.IntegerField()
    read_paths = ReadPathFiguresSerializer(source="paths", many=True)


class KindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class OtherFiguresSerializer(KindSerializer, FiguresSerializer):
    pass


class TimingWindowSerializer(serializers.Serializer):
    last = serializers.IntegerField(help_text="The window asked for, in requests.")
    lines = serializers.IntegerField(help_text="The requests it held.")
    malformed_lines = serializers.IntegerField(source="malformed")


class ComparisonSerializer(serializers.Serializer):
    window = TimingWindowSerializer(source="*")
    single_room = ReadPathFiguresSerializer(many=True)
    lists = PageSizeFiguresSerializer(many=True)
    other = OtherFiguresSerializer(many=True)
