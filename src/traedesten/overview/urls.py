from django.urls import path

from . import views

app_name = "overview"
urlpatterns = [
    path("<int:person_id>/tidslinje/", views.timeline_page, name="timeline"),
]
