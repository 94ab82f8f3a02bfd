from django.urls import path

from . import document_views, views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    # The plan's documents: exports, frozen versions, their log, compare, sharing.
    path("regios/<int:pk>/plan/export/", document_views.plan_export, name="plan_export"),
    path("regios/<int:pk>/plan/vaststellen/", document_views.plan_freeze, name="plan_freeze"),
    path("regios/<int:pk>/plan/versies/", document_views.plan_versions, name="plan_versions"),
    path("regios/<int:pk>/plan/vergelijk/", document_views.plan_compare, name="plan_compare"),
    path(
        "regios/<int:region_pk>/plan/documenten/<int:pk>/",
        document_views.plan_document,
        name="plan_document",
    ),
    path(
        "regios/<int:region_pk>/plan/documenten/<int:pk>/pdf/",
        document_views.plan_download,
        name="plan_download",
    ),
    path(
        "regios/<int:region_pk>/plan/documenten/<int:pk>/opnieuw/",
        document_views.plan_retry,
        name="plan_retry",
    ),
    path(
        "regios/<int:region_pk>/plan/documenten/<int:pk>/delen/",
        document_views.plan_share,
        name="plan_share",
    ),
    path("plannen/", document_views.shared_plans, name="shared_plans"),
]
