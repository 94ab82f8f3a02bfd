from django.urls import path

from . import views

app_name = "checklists"
urlpatterns = [
    path("checklists/", views.assignment_list, name="assignment_list"),
    path("regios/<int:region_pk>/checklists/toewijzen/", views.assign, name="assign"),
    path("checklists/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("checklists/<int:pk>/vragen/<slug:key>/", views.answer_save, name="answer_save"),
    path("checklists/<int:pk>/onderdelen/<slug:section>/", views.section_save, name="section_save"),
    path("checklists/<int:pk>/indienen/", views.submit, name="submit"),
    path("checklists/<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("checklists/<int:pk>/opmerkingen/<slug:key>/", views.remark_save, name="remark_save"),
    path("checklists/<int:pk>/beoordelen/", views.mark_reviewed, name="mark_reviewed"),
    path("checklists/<int:pk>/gebouw/", views.building, name="building"),
    path("checklists/<int:pk>/volgende-stap/", views.next_step, name="next_step"),
    path("checklists/overzicht/<slug:slug>/", views.rollup_page, name="rollup"),
    path("checklists/overzicht/<slug:slug>/export/", views.rollup_export, name="rollup_export"),
    path(
        "regios/<int:region_pk>/checklists/<slug:slug>/volgende-stap/",
        views.rollup_next_step,
        name="rollup_next_step",
    ),
]
