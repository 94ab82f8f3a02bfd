from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    # --- initiatives ---
    path("initiatieven/", views.initiative_list, name="initiative_list"),
    path("initiatieven/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path(
        "regios/<int:region_pk>/initiatieven/nieuw/",
        views.initiative_create,
        name="initiative_create",
    ),
    path("initiatieven/<int:pk>/bewerken/", views.initiative_edit, name="initiative_edit"),
    path("initiatieven/<int:pk>/status/", views.status_move, name="status_move"),
    path(
        "initiatieven/<int:initiative_pk>/partners/nieuw/",
        views.partner_add,
        name="partner_add",
    ),
    path(
        "initiatieven/<int:initiative_pk>/partners/<int:pk>/verwijderen/",
        views.partner_remove,
        name="partner_remove",
    ),
]


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
        "regios/<int:pk>/aandacht/",
        views.region_attention,
        name="region_attention",
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
