from django.urls import path

from . import login, views

app_name = "citizen"
urlpatterns = [
    path("", views.home, name="home"),
    path("log-ind/", login.login, name="login"),
    path("log-ind/udloebet/", login.login_expired, name="login_expired"),
    path("log-ind/mitid/", login.login_start, name="login_start"),
    path("log-ind/svar/", login.callback, name="callback"),
    path("log-ud/", login.logout, name="logout"),
    path("plan/", views.plan, name="plan"),
    path("plan/traedesten/", views.tick, name="tick"),
    path("maalinger/", views.scores, name="scores"),
    path("maalinger/<str:code>/", views.score_home, name="score_home"),
    path("samtykker/", views.consents, name="consents"),
    path("samtykker/<int:consent_id>/traek-tilbage/", views.consent_withdraw, name="consent_withdraw"),
    path("log/", views.log, name="log"),
    path("breve/", views.letters, name="letters"),
    path("breve/<int:letter_id>/", views.letter, name="letter"),
    path("mine-data/", views.my_data, name="my_data"),
]
