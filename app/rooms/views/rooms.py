from django.conf import settings

from rooms.models import Room
from rooms.serializers import RoomSerializer

from .base import AtomicModelViewSet


class RoomViewSet(AtomicModelViewSet):
    """Rooms with everything attached, built live from the base tables.

    Writes take `name`, `width`, `length`, `height`, `type`,
    `door_id` and `decoration_id`; windows and furniture are attached from
    their own endpoints.

    A live page of 1,000 rooms takes seconds to build, so anonymous clients
    get at most `ROOMS_ANON_LIVE_MAX_PAGE_SIZE` rooms a page (`next` leads
    on) on top of the list throttle; the stored read paths have no such limit.
    """

    model = Room
    serializer_class = RoomSerializer

    @property
    def anonymous_max_page_size(self):
        return settings.ROOMS_ANON_LIVE_MAX_PAGE_SIZE
