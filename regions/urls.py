from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("regios/", views.region_list, name="region_list"),
    path("regios/<int:pk>/", views.region_detail, name="region_detail"),
    path("regios/<int:pk>/bewerken/", views.region_edit, name="region_edit"),
    path("regios/<int:region_pk>/rollen/<int:pk>/", views.role_decision, name="role_decision"),
    path("regios/<int:region_pk>/locaties/nieuw/", views.location_edit, name="location_create"),
    path("regios/<int:region_pk>/locaties/<int:pk>/", views.location_edit, name="location_edit"),
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/nieuw/", views.school_edit, name="school_create"),
    path("scholen/<int:pk>/", views.school_detail, name="school_detail"),
    path("scholen/<int:pk>/bewerken/", views.school_edit, name="school_edit"),
    path("scholen/<int:pk>/gebouw/", views.school_suitability, name="school_suitability"),
    path("scholen/<int:school_pk>/contacten/", views.contact_add, name="contact_add"),
    path(
        "scholen/<int:school_pk>/contacten/<int:pk>/verwijderen/",
        views.contact_delete,
        name="contact_delete",
    ),
    path("samenwerkingsverbanden/", views.swv_list, name="swv_list"),
    path("samenwerkingsverbanden/nieuw/", views.swv_edit, name="swv_create"),
    path("samenwerkingsverbanden/<int:pk>/", views.swv_detail, name="swv_detail"),
    path("samenwerkingsverbanden/<int:pk>/bewerken/", views.swv_edit, name="swv_edit"),
    path("gemeenten/", views.gemeente_list, name="gemeente_list"),
    path("gemeenten/<int:pk>/bewerken/", views.gemeente_edit, name="gemeente_edit"),
    path("import/", views.duo_import, name="duo_import"),
]
