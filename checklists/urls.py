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
]
