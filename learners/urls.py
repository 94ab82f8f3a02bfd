from django.urls import include, path

from . import views

app_name = "learners"

# One pupil's pages: leerlingen/<code>/...
placement_pages = [
    path("", views.placement_detail, name="placement_detail"),
    path("stap/<slug:step>/", views.placement_step, name="placement_step"),
]
record_pages = [
    path("nieuw/", views.record_form, name="record_create"),
    path("<int:pk>/", views.record_form, name="record_edit"),
]
pupil_pages = [
    path("", views.pupil_detail, name="pupil_detail"),
    path("bewerken/", views.pupil_edit, name="pupil_edit"),
    path("inzageverzoek/", views.pupil_access_request, name="pupil_access_request"),
    # Before <kind>/: "plaatsingen" would pass for a record kind.
    path("plaatsingen/<int:pk>/", include(placement_pages)),
    path("<slug:kind>/", include(record_pages)),
]
# A region's pupil pages: regios/<region_pk>/...
region_pages = [
    path("leerlingen/nieuw/", views.pupil_create, name="pupil_create"),
    path("leerlingen/export/", views.pupil_export, name="pupil_export"),
    path("inzagelog/", views.access_log, name="access_log"),
]
urlpatterns = [
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/deadlines/", views.deadlines, name="deadlines"),
    path("leerlingen/cijfers/", views.figures, name="figures"),
    path("leerlingen/import/", views.pupil_import, name="pupil_import"),
    path(
        "leerlingen/import/sjabloon/<slug:kind>/",
        views.pupil_import_template,
        name="pupil_import_template",
    ),
    path("regios/<int:region_pk>/", include(region_pages)),
    path("leerlingen/<str:code>/", include(pupil_pages)),
]
