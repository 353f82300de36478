import functools
import random
import time
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction
from django.db.models import Model
from idempotency.writes import idempotent
from rest_framework import viewsets

from rooms.auth.throttles import AnonymousLiveListThrottle

#: PostgreSQL errors after which the whole transaction may simply be run again.
RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure
ATTEMPTS = 4


def atomic_with_retry(method):
    """Run a write in one transaction; run it again if PostgreSQL broke a deadlock.

    Two concurrent writes can lock the same rows in opposite orders (for
    instance one linking beds to rooms while another renames them); PostgreSQL
    then aborts one of them. That is no fault of the client's, so it must not
    reach it: the aborted transaction is rolled back whole and run again with
    a short random back-off. Only the outermost transaction can be retried.
    """

    @functools.wraps(method)
    def wrapper(self, request, *args, **kwargs):
        retryable = not connection.in_atomic_block
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return method(self, request, *args, **kwargs)
            except OperationalError as error:
                code = getattr(error.__cause__, "pgcode", None)
                if not retryable or code not in RETRYABLE or attempt == ATTEMPTS:
                    raise
            time.sleep(random.uniform(0, 0.05 * attempt))

    return wrapper


#: An id in a URL is ASCII digits: ``int()`` alone would also read ``+5``, ``0_5`` or an
#: Arabic-Indic five as 5, and answer for an id nobody wrote.
ID_PATTERN = "[0-9]+"


class AtomicModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose writes are all-or-nothing.

    Each write runs in one transaction, so a failure half-way (a nested
    souvenir that clashes, a database refusal) leaves the data and every read
    model as they were, and the read models are brought up to date once, when
    the transaction commits, before the response is sent. A transaction that
    PostgreSQL aborts to break a deadlock is run again (``atomic_with_retry``).

    A write sent with an ``Idempotency-Key`` header is claimed and recorded in
    that same transaction (``idempotency.writes``), so a client retrying it
    gets the first outcome instead of a second write.

    ``get_queryset`` applies the serializer's eager loading, so lists and
    details cost a fixed number of queries. Serializers without nested
    relations (doors, souvenirs) need none and need not declare any.

    Lists are built live, by serializers, and a large page takes seconds:
    anonymous clients are throttled on them (``AnonymousLiveListThrottle``).
    """

    model: type[Model] | None = None
    lookup_value_regex = ID_PATTERN
    #: The largest page an anonymous client gets (None: the paginator's maximum).
    anonymous_max_page_size = None
    #: Each model's viewset: the subclass that declares it as its ``model``
    #: (``views.routing`` gives each its URLs).
    of_model: ClassVar[dict[type[Model], type["AtomicModelViewSet"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "model" in vars(cls):
            if cls.model in AtomicModelViewSet.of_model:
                raise ImproperlyConfigured(f"{cls.model.__name__} has two viewsets")
            AtomicModelViewSet.of_model[cls.model] = cls

    def get_throttles(self):
        if self.action == "list":
            return [*super().get_throttles(), AnonymousLiveListThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        setup_eager_loading = getattr(self.get_serializer_class(), "setup_eager_loading", None)
        return setup_eager_loading(queryset) if setup_eager_loading else queryset

    @atomic_with_retry
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @atomic_with_retry
    @idempotent
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @atomic_with_retry
    @idempotent
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)
