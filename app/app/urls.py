from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from rooms import views
from rooms.views.compare import CompareView
from rooms.views.root import ApiRouter
from rooms.views.schema import SchemaView

router = ApiRouter()
router.register("rooms", views.RoomViewSet, basename="room")
router.register("rooms_mat_view", views.RoomsMaterializedViewViewSet, basename="room-mat-view")
router.register("rooms_v2", views.RoomsAppTableViewSet, basename="room-v2")
router.register("rooms_v3", views.RoomsTriggerTableViewSet, basename="room-v3")
router.register("doors", views.DoorViewSet, basename="door")
router.register("souvenirs", views.SouvenirViewSet, basename="souvenir")
router.register("decorations", views.DecorationViewSet, basename="decoration")
router.register("windows", views.WindowViewSet, basename="window")
router.register("window_fittings", views.WindowFittingsViewSet, basename="windowfittings")
router.register("beds", views.BedViewSet, basename="bed")
router.register("chairs", views.ChairViewSet, basename="chair")
router.register("tables", views.TableViewSet, basename="table")

urlpatterns = [
    path("", include(router.urls)),
    path("healthz", views.healthz, name="healthz"),
    path("compare/", CompareView.as_view(), name="compare"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
]

# JSON, like every other answer of the API, for unknown URLs and unhandled errors.
handler404 = "rooms.views.errors.not_found"
handler500 = "rooms.views.errors.server_error"
