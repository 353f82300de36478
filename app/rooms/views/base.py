from django.db import transaction
from rest_framework import viewsets


class AtomicModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose writes are all-or-nothing.

    Each write runs in one transaction, so a failure half-way (a nested
    souvenir that clashes, a database refusal) leaves the data and every read
    model as they were, and the read models are brought up to date once, when
    the transaction commits, before the response is sent.

    ``get_queryset`` applies the serializer's eager loading, so lists and
    details cost a fixed number of queries. Serializers without nested
    relations (doors, souvenirs) need none and need not declare any.
    """

    model = None

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        setup_eager_loading = getattr(self.get_serializer_class(), "setup_eager_loading", None)
        return setup_eager_loading(queryset) if setup_eager_loading else queryset

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)
