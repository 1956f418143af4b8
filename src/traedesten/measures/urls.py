from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("borger/<int:person_id>/", views.person_page, name="person"),
    path("borger/<int:person_id>/fit/", views.fit_start, name="fit_start"),
    path("borger/<int:person_id>/fit/<int:activity_id>/", views.fit_session, name="fit_session"),
    path("borger/<int:person_id>/fit/<int:activity_id>/<str:code>/", views.fit_kiosk, name="fit_kiosk"),
    path("borger/<int:person_id>/<str:code>/", views.trajectory, name="trajectory"),
    path("borger/<int:person_id>/<str:code>/ny/", views.start, name="start"),
    path("borger/<int:person_id>/<str:code>/frekvens/", views.schedule, name="schedule"),
    path("fit-praksis/", views.fit_practice, name="fit_practice"),
    path("gruppegang/<int:session_id>/srs/<int:person_id>/", views.group_srs, name="group_srs"),
    path("kiosk/<str:token>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:token>/tilbage/", views.kiosk_return, name="kiosk_return"),
    path("resultater/", views.results, name="results"),
]
