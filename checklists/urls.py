from django.urls import include, path

from . import views

app_name = "checklists"

# One assignment as the school fills it in: checklists/<pk>/...
assignment_pages = [
    path("", views.assignment_detail, name="assignment_detail"),
    path("vragen/<slug:key>/", views.answer_save, name="answer_save"),
    path("onderdelen/<slug:section>/", views.section_save, name="section_save"),
    path("gebouw/", views.building, name="building"),
]
# ... and as it is handed in and reviewed: checklists/<pk>/...
review_pages = [
    path("indienen/", views.submit, name="submit"),
    path("heropenen/", views.reopen, name="reopen"),
    path("opmerkingen/<slug:key>/", views.remark_save, name="remark_save"),
    path("beoordelen/", views.mark_reviewed, name="mark_reviewed"),
    path("volgende-stap/", views.next_step, name="next_step"),
]
# The roll-up of one checklist over the schools: checklists/overzicht/<slug>/...
rollup_pages = [
    path("", views.rollup_page, name="rollup"),
    path("export/", views.rollup_export, name="rollup_export"),
]
# A region's checklists: regios/<region_pk>/checklists/...
region_pages = [
    path("toewijzen/", views.assign, name="assign"),
    path("<slug:slug>/volgende-stap/", views.rollup_next_step, name="rollup_next_step"),
]

urlpatterns = [
    path("checklists/", views.assignment_list, name="assignment_list"),
    path("checklists/<int:pk>/", include(assignment_pages)),
    path("checklists/<int:pk>/", include(review_pages)),
    path("checklists/overzicht/<slug:slug>/", include(rollup_pages)),
    path("regios/<int:region_pk>/checklists/", include(region_pages)),
]
