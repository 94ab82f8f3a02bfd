from django.urls import include, path

from . import views

app_name = "regions"

# One region: regios/<pk>/...; what hangs under it: regios/<region_pk>/...
region_pages = [
    path("", views.region_detail, name="region_detail"),
    path("bewerken/", views.region_edit, name="region_edit"),
]
region_parts = [
    path("rollen/<int:pk>/", views.role_decision, name="role_decision"),
    path("locaties/nieuw/", views.location_edit, name="location_create"),
    path("locaties/<int:pk>/", views.location_edit, name="location_edit"),
]
# One school: scholen/<pk>/...; its contacts: scholen/<school_pk>/contacten/...
school_pages = [
    path("", views.school_detail, name="school_detail"),
    path("bewerken/", views.school_edit, name="school_edit"),
    path("gebouw/", views.school_suitability, name="school_suitability"),
]
contact_pages = [
    path("", views.contact_add, name="contact_add"),
    path("<int:pk>/verwijderen/", views.contact_delete, name="contact_delete"),
]
# The SWVs: samenwerkingsverbanden/...
swv_pages = [
    path("", views.swv_list, name="swv_list"),
    path("nieuw/", views.swv_edit, name="swv_create"),
    path("<int:pk>/", views.swv_detail, name="swv_detail"),
    path("<int:pk>/bewerken/", views.swv_edit, name="swv_edit"),
]

urlpatterns = [
    path("regios/", views.region_list, name="region_list"),
    path("regios/<int:pk>/", include(region_pages)),
    path("regios/<int:region_pk>/", include(region_parts)),
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/nieuw/", views.school_edit, name="school_create"),
    path("scholen/<int:pk>/", include(school_pages)),
    path("scholen/<int:school_pk>/contacten/", include(contact_pages)),
    path("samenwerkingsverbanden/", include(swv_pages)),
    path("gemeenten/", views.gemeente_list, name="gemeente_list"),
    path("gemeenten/<int:pk>/bewerken/", views.gemeente_edit, name="gemeente_edit"),
    path("import/", views.duo_import, name="duo_import"),
    path("import/taak/<int:pk>/", views.import_job, name="import_job"),
]
