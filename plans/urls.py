from django.urls import path

from . import overview_views, plan_views, views

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

# The regional plan page (plans/plan_views.py).
urlpatterns += [
    path("regios/<int:pk>/plan/", plan_views.plan, name="plan"),
    path(
        "regios/<int:pk>/plan/tekst/<slug:section>/<slug:part>/",
        plan_views.text_edit,
        name="plan_text",
    ),
    path("regios/<int:region_pk>/plan/doelen/nieuw/", plan_views.goal_create, name="goal_create"),
    path("regios/<int:region_pk>/plan/doelen/<int:pk>/", plan_views.goal_edit, name="goal_edit"),
    path(
        "regios/<int:region_pk>/plan/doelen/<int:pk>/verwijderen/",
        plan_views.goal_delete,
        name="goal_delete",
    ),
]
