"""N+1-free serializers: each serializer declares the joins it needs."""


class EagerLoadingMixin:
    """Lets a serializer say which relations its nested fields walk.

    A nested serializer reads ``room.door``, ``room.windows.all()`` and so on
    once per row; without eager loading a page of 100 rooms costs hundreds of
    queries. Declaring the relations next to the fields that use them keeps the
    two in step, and ``setup_eager_loading`` (called by the viewset's
    ``get_queryset``) turns a page into a fixed number of queries:

    * ``select_related_fields``: to-one relations, joined into the main query;
    * ``prefetch_related_fields``: to-many relations, one query each, given as
      names or ``Prefetch`` objects where ordering or columns matter.
    """

    select_related_fields: tuple = ()
    prefetch_related_fields: tuple = ()

    @classmethod
    def setup_eager_loading(cls, queryset):
        if cls.select_related_fields:
            queryset = queryset.select_related(*cls.select_related_fields)
        if cls.prefetch_related_fields:
            queryset = queryset.prefetch_related(*cls.prefetch_related_fields)
        return queryset
