from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("<int:person_id>/journal/", views.journal, name="journal"),
    path("<int:person_id>/journal/<int:note_id>/", views.note, name="note"),
    path("<int:person_id>/dokumenter/", views.document_list, name="documents"),
    path("<int:person_id>/dokumenter/<int:document_id>/", views.download, name="download"),
    path("<int:person_id>/breve/nyt/", views.letter, name="letter"),
]
