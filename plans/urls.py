from django.urls import include, path

from . import document_views, overview_views, plan_views, views

# A region's plan (plans/plan_views.py), its versions and documents (plans/document_views.py).
plan_pages = [
    path("", plan_views.plan, name="plan"),
    path("tekst/<slug:section>/<slug:part>/", plan_views.text_edit, name="plan_text"),
]
version_pages = [
    path("export/", document_views.plan_export, name="plan_export"),
    path("vaststellen/", document_views.plan_freeze, name="plan_freeze"),
    path("versies/", document_views.plan_versions, name="plan_versions"),
    path("vergelijk/", document_views.plan_compare, name="plan_compare"),
]
goal_pages = [
    path("nieuw/", plan_views.goal_create, name="goal_create"),
    path("<int:pk>/", plan_views.goal_edit, name="goal_edit"),
    path("<int:pk>/verwijderen/", plan_views.goal_delete, name="goal_delete"),
]
document_pages = [
    path("", document_views.plan_document, name="plan_document"),
    path("pdf/", document_views.plan_download, name="plan_download"),
    path("opnieuw/", document_views.plan_retry, name="plan_retry"),
    path("delen/", document_views.plan_share, name="plan_share"),
]

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("instelling/", overview_views.institution_overview_page, name="institution_overview"),
    path("plannen/", document_views.shared_plans, name="shared_plans"),
    path("regios/<int:pk>/plan/", include(plan_pages)),
    path("regios/<int:pk>/plan/", include(version_pages)),
    path("regios/<int:region_pk>/plan/doelen/", include(goal_pages)),
    path("regios/<int:region_pk>/plan/documenten/<int:pk>/", include(document_pages)),
]
