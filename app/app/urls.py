from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from rooms import views
from rooms.views.compare import CompareView
from rooms.views.root import ApiRouter
from rooms.views.schema import SchemaView

router = ApiRouter()
for prefix, viewset, basename in views.routes():
    router.register(prefix, viewset, basename=basename)

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
