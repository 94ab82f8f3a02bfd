from django.urls import path

from . import views

app_name = "toolkit"
urlpatterns = [
    path("regios/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("regios/<int:pk>/toolkit/", views.toolkit_page, name="toolkit"),
    path("regios/<int:pk>/toolkit/<slug:slug>/", views.item_progress, name="item_progress"),
    path("regios/<int:pk>/toolkit/<slug:slug>/rij/", views.item_row, name="item_row"),
    path("regios/<int:pk>/werkagenda/", views.werkagenda_page, name="werkagenda"),
    path(
        "regios/<int:pk>/werkagenda/maatregelen/<str:code>/",
        views.measure_decision,
        name="measure_decision",
    ),
    path(
        "regios/<int:pk>/werkagenda/maatregelen/<str:code>/rij/",
        views.measure_row,
        name="measure_row",
    ),
    path("regios/<int:pk>/werkagenda/acties/nieuw/", views.action_create, name="action_create"),
    path(
        "regios/<int:region_pk>/werkagenda/acties/<int:pk>/",
        views.action_edit,
        name="action_edit",
    ),
    path(
        "regios/<int:region_pk>/werkagenda/acties/<int:pk>/status/",
        views.action_status,
        name="action_status",
    ),
    path("voorbeelden/", views.example_list, name="example_list"),
    path("voorbeelden/<slug:slug>/", views.example_detail, name="example_detail"),
]
