from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from traedesten.accounts import staff_views, views as account_views
from traedesten.accounts.forms import LoginForm
from traedesten.api import api
from traedesten.core import views as core_views
from traedesten.insights import survey_views
from traedesten.overview.views import overview
from traedesten.people import urls as people_urls
from traedesten.plans import oncall_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("status/", core_views.session_status, name="session_status"),
    path("log-ind/", auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm,
        extra_context={"oidc_enabled": settings.OIDC_ENABLED}), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # the citizen overview is composed from every app, so it joins the people namespace here
    path("borgere/", include(([path("<int:person_id>/", overview, name="overview"), *people_urls.urlpatterns], "people"))),
    path("borgere/", include("traedesten.records.urls")),
    path("borgere/", include("traedesten.overview.urls")),
    path("indgang/", include("traedesten.frontdoor.urls")),
    path("forloeb/", include("traedesten.courses.urls")),
    path("maaling/", include("traedesten.measures.urls")),
    path("plan/", include("traedesten.plans.urls")),
    # the on-call service: its pages come from the plan (the crisis sheet) and the staff register (the roster)
    path("vagt/", include(([
        path("", oncall_views.home, name="home"),
        path("borger/<int:person_id>/", oncall_views.crisis_sheet, name="crisis_sheet"),
        path("vagtplan/", staff_views.roster, name="roster"),
        path("vagtplan/<int:shift_id>/slet/", staff_views.shift_delete, name="shift_delete"),
    ], "oncall"))),
    path("oekonomi/", include("traedesten.economy.urls")),
    path("faellesskaber/", include("traedesten.civil.urls")),
    path("myndighed/", include("traedesten.authority.urls")),
    path("indsigt/", include("traedesten.insights.urls")),
    path("svar/<str:token>/", survey_views.answer, name="answer"),
    path("adgang/", include("traedesten.accounts.urls")),
    path(settings.TRAEDESTEN_CITIZEN_PATH.strip("/") + "/", include("traedesten.citizen.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "traedesten.core.views.permission_denied"
handler404 = "traedesten.core.views.not_found"
handler500 = "traedesten.core.views.server_error"
