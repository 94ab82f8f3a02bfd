from django.urls import include, path

from . import views

app_name = "learners"

# One pupil's pages: leerlingen/<code>/...
pupil_pages = [
    path("", views.pupil_detail, name="pupil_detail"),
    path("bewerken/", views.pupil_edit, name="pupil_edit"),
    path("plaatsingen/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("plaatsingen/<int:pk>/stap/<slug:step>/", views.placement_step, name="placement_step"),
    path("<slug:kind>/nieuw/", views.record_form, name="record_create"),
    path("<slug:kind>/<int:pk>/", views.record_form, name="record_edit"),
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
    path("regios/<int:region_pk>/", include(region_pages)),
    path("leerlingen/<str:code>/", include(pupil_pages)),
]
