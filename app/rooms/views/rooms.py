from django.conf import settings

from rooms.models import Room
from rooms.serializers import RoomSerializer

from .base import AtomicModelViewSet


class RoomViewSet(AtomicModelViewSet):
    """Rooms with everything attached, built live from the tables at every read.

    Write a room's `name`, `width`, `length`, `height`, `type`, `door_id` and
    `decoration_id` here; attach windows at `/windows/` and furniture at `/beds/`,
    `/chairs/` and `/tables/`.

    Every read builds the documents anew, so a large page is slow: anonymous
    clients get smaller pages (follow `next`) and a few lists a minute. The
    stored read paths, `/rooms_v3/`, `/rooms_mat_view/` and `/rooms_v2/`, serve
    the same documents without those limits; [`/compare/`](/compare/) shows how
    much faster.
    """

    model = Room
    serializer_class = RoomSerializer

    @property
    def anonymous_max_page_size(self):
        return settings.ROOMS_ANON_LIVE_MAX_PAGE_SIZE
