from django.urls import path

from . import views

app_name = "learners"
urlpatterns = [
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/deadlines/", views.deadlines, name="deadlines"),
    path("leerlingen/cijfers/", views.figures, name="figures"),
    path("leerlingen/import/", views.pupil_import, name="pupil_import"),
    path("regios/<int:region_pk>/leerlingen/nieuw/", views.pupil_create, name="pupil_create"),
    path("regios/<int:region_pk>/leerlingen/export/", views.pupil_export, name="pupil_export"),
    path("regios/<int:region_pk>/inzagelog/", views.access_log, name="access_log"),
    path("leerlingen/<str:code>/", views.pupil_detail, name="pupil_detail"),
    path("leerlingen/<str:code>/bewerken/", views.pupil_edit, name="pupil_edit"),
    path(
        "leerlingen/<str:code>/plaatsingen/<int:pk>/",
        views.placement_detail,
        name="placement_detail",
    ),
    path(
        "leerlingen/<str:code>/plaatsingen/<int:pk>/stap/<slug:step>/",
        views.placement_step,
        name="placement_step",
    ),
    path("leerlingen/<str:code>/<slug:kind>/nieuw/", views.record_form, name="record_create"),
    path("leerlingen/<str:code>/<slug:kind>/<int:pk>/", views.record_form, name="record_edit"),
]
