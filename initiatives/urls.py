from django.urls import path  # noqa: F401

from . import views  # noqa: F401

app_name = "initiatives"
urlpatterns = []

# --- transition plans ---
urlpatterns += [
    path("transitieplannen/", views.transition_list, name="transition_list"),
    path("transitieplannen/<int:pk>/", views.transition_detail, name="transition_detail"),
    path(
        "locaties/<int:location_pk>/transitieplan/nieuw/",
        views.transition_create,
        name="transition_create",
    ),
    path(
        "transitieplannen/<int:plan_pk>/<slug:kind>/nieuw/",
        views.transition_row_create,
        name="transition_row_create",
    ),
    path(
        "transitieplannen/<int:plan_pk>/<slug:kind>/<int:pk>/",
        views.transition_row_edit,
        name="transition_row_edit",
    ),
    path(
        "transitieplannen/<int:plan_pk>/<slug:kind>/<int:pk>/verwijderen/",
        views.transition_row_delete,
        name="transition_row_delete",
    ),
]
