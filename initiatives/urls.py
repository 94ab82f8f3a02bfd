from django.urls import path  # noqa: F401

from . import views  # noqa: F401

app_name = "initiatives"
urlpatterns = []

# --- agreements ------------------------------------------------------------------------
urlpatterns += [
    path("afspraken/", views.agreement_list, name="agreement_list"),
    path("afspraken/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "regios/<int:region_pk>/afspraken/nieuw/",
        views.agreement_create,
        name="agreement_create",
    ),
    path(
        "regios/<int:pk>/afspraken/aandacht/",
        views.agreement_attention,
        name="agreement_attention",
    ),
    path("afspraken/<int:pk>/bewerken/", views.agreement_edit, name="agreement_edit"),
    path(
        "afspraken/<int:agreement_pk>/versies/nieuw/",
        views.agreement_version_create,
        name="agreement_version_create",
    ),
    path(
        "afspraken/<int:agreement_pk>/versies/<int:pk>/instemming/",
        views.agreement_consent,
        name="agreement_consent",
    ),
    path(
        "afspraken/<int:pk>/versies/vergelijk/",
        views.agreement_compare,
        name="agreement_compare",
    ),
    path(
        "afspraken/<int:agreement_pk>/partijen/nieuw/",
        views.agreement_party_add,
        name="agreement_party_add",
    ),
    path(
        "afspraken/<int:agreement_pk>/partijen/<int:pk>/verwijderen/",
        views.agreement_party_delete,
        name="agreement_party_delete",
    ),
]
