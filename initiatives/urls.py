from django.urls import include, path

from . import views

app_name = "initiatives"

# One initiative: initiatieven/<pk>/... (its partners under <initiative_pk>)
initiative_pages = [
    path("", views.initiative_detail, name="initiative_detail"),
    path("bewerken/", views.initiative_edit, name="initiative_edit"),
    path("status/", views.status_move, name="status_move"),
]
partner_pages = [
    path("nieuw/", views.partner_add, name="partner_add"),
    path("<int:pk>/verwijderen/", views.partner_remove, name="partner_remove"),
]
# The row lists of one transition plan: transitieplannen/<plan_pk>/<kind>/...
plan_row_pages = [
    path("nieuw/", views.transition_row_create, name="transition_row_create"),
    path("<int:pk>/", views.transition_row_edit, name="transition_row_edit"),
    path("<int:pk>/verwijderen/", views.transition_row_delete, name="transition_row_delete"),
]
# The transition plans: transitieplannen/...
transition_pages = [
    path("", views.transition_list, name="transition_list"),
    path("<int:pk>/", views.transition_detail, name="transition_detail"),
    path("<int:plan_pk>/<slug:kind>/", include(plan_row_pages)),
]
# One agreement: afspraken/<pk>/... (versions and parties under <agreement_pk>)
agreement_pages = [
    path("", views.agreement_detail, name="agreement_detail"),
    path("bewerken/", views.agreement_edit, name="agreement_edit"),
    path("versies/vergelijk/", views.agreement_compare, name="agreement_compare"),
]
agreement_parts = [
    path("versies/nieuw/", views.agreement_version_create, name="agreement_version_create"),
    path("versies/<int:pk>/instemming/", views.agreement_consent, name="agreement_consent"),
    path("partijen/nieuw/", views.agreement_party_add, name="agreement_party_add"),
    path(
        "partijen/<int:pk>/verwijderen/",
        views.agreement_party_delete,
        name="agreement_party_delete",
    ),
]
# What hangs under a region: regios/<region_pk>/...
region_pages = [
    path("initiatieven/nieuw/", views.initiative_create, name="initiative_create"),
    path("afspraken/nieuw/", views.agreement_create, name="agreement_create"),
    path(
        "werkagenda/acties/<int:pk>/initiatieven/",
        views.action_initiatives,
        name="action_initiatives",
    ),
]

urlpatterns = [
    path("initiatieven/", views.initiative_list, name="initiative_list"),
    path("initiatieven/<int:pk>/", include(initiative_pages)),
    path("initiatieven/<int:initiative_pk>/partners/", include(partner_pages)),
    path("transitieplannen/", include(transition_pages)),
    path(
        "locaties/<int:location_pk>/transitieplan/nieuw/",
        views.transition_create,
        name="transition_create",
    ),
    path("afspraken/", views.agreement_list, name="agreement_list"),
    path("afspraken/<int:pk>/", include(agreement_pages)),
    path("afspraken/<int:agreement_pk>/", include(agreement_parts)),
    path("regios/<int:region_pk>/", include(region_pages)),
    path("regios/<int:pk>/aandacht/", views.region_attention, name="region_attention"),
]
