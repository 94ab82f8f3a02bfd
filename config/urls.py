from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Route 2035 beheer"
admin.site.site_title = "Route 2035"

urlpatterns = [
    path("", include("plans.urls")),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("", include("regions.urls")),
    path("", include("learners.urls")),
    path("", include("toolkit.urls")),
    path("", include("initiatives.urls")),
]
