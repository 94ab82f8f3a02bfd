from django.urls import path

from . import overview_views, views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("instelling/", overview_views.institution_overview_page, name="institution_overview"),
    path(
        "plannen/<int:pk>/download/",
        overview_views.document_download_placeholder,
        name="document_download",
    ),
]
