from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("borger/<int:person_id>/nyt/", views.start, name="start"),
    path("<int:course_id>/afslut/", views.close, name="close"),
]
