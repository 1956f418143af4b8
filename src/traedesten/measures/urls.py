from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("borger/<int:person_id>/", views.person_page, name="person"),
    path("borger/<int:person_id>/<str:code>/", views.trajectory, name="trajectory"),
    path("borger/<int:person_id>/<str:code>/ny/", views.start, name="start"),
    path("borger/<int:person_id>/<str:code>/frekvens/", views.schedule, name="schedule"),
    path("kiosk/<str:token>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:token>/tilbage/", views.kiosk_return, name="kiosk_return"),
    path("resultater/", views.results, name="results"),
]
