"""The API's root: a link to every list, and to the comparison of the read paths."""

from rest_framework import routers


class ApiRootView(routers.APIRootView):
    """The room document (a room with its door, decoration and souvenirs, windows and their
    fittings, beds, chairs and tables) served four ways, to compare what each costs:

    * `/rooms/`: built live from the tables at every read; rooms are written here;
    * `/rooms_v3/`: stored in a table kept fresh by PostgreSQL triggers;
    * `/rooms_mat_view/`: stored in a materialized view, refreshed after writes;
    * `/rooms_v2/`: stored in a table kept fresh by the application when a write commits.

    [`/compare/`](/compare/) shows how fast each one answers. The other endpoints read and
    write what a room is made of.

    Reads are open to everyone; writes need a login (top right). Lists come in pages of
    100 (`page_size` takes up to 1000; follow `next` for more). Interactive docs:
    [`/api/docs/`](/api/docs/).
    """

    name = "The rooms API"


class ApiRouter(routers.DefaultRouter):
    """DRF's router, with our root view and links to pages that are no viewset's list."""

    APIRootView = ApiRootView
    #: The root's key -> URL name, for pages beside the viewsets.
    root_links = {"compare": "compare"}

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        links = {
            prefix: list_name.format(basename=basename)
            for prefix, _viewset, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict={**links, **self.root_links})
