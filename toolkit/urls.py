from django.urls import include, path

from . import views

app_name = "toolkit"

# A region's toolkit: regios/<pk>/toolkit/...
toolkit_pages = [
    path("", views.toolkit_page, name="toolkit"),
    path("<slug:slug>/", views.item_progress, name="item_progress"),
    path("<slug:slug>/rij/", views.item_row, name="item_row"),
]
# A region's werkagenda: regios/<pk>/werkagenda/...
werkagenda_pages = [
    path("", views.werkagenda_page, name="werkagenda"),
    path("maatregelen/<str:code>/", views.measure_decision, name="measure_decision"),
    path("maatregelen/<str:code>/rij/", views.measure_row, name="measure_row"),
    path("acties/nieuw/", views.action_create, name="action_create"),
]
# One werkagenda action of a region: regios/<region_pk>/werkagenda/acties/<pk>/...
action_pages = [
    path("", views.action_edit, name="action_edit"),
    path("status/", views.action_status, name="action_status"),
    path("details/", views.action_detail, name="action_detail"),
    path("rij/", views.action_row, name="action_row"),
]
# One werkagenda line's actions: regios/<region_pk>/werkagenda/lijnen/<pk>/acties/...
line_pages = [
    path("", views.line_actions, name="line_actions"),
    path("dicht/", views.line_folded, name="line_folded"),
]
urlpatterns = [
    path("regios/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("regios/<int:pk>/toolkit/", include(toolkit_pages)),
    path("regios/<int:pk>/werkagenda/", include(werkagenda_pages)),
    path("regios/<int:region_pk>/werkagenda/acties/<int:pk>/", include(action_pages)),
    path("regios/<int:region_pk>/werkagenda/lijnen/<int:pk>/acties/", include(line_pages)),
    # The practice-example library: national content, no region.
    path("voorbeelden/", views.example_list, name="example_list"),
    path("voorbeelden/<slug:slug>/", views.example_detail, name="example_detail"),
]
