from django.urls import path

from . import frozen_views, survey_views, views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("tal/", views.figures, name="figures"),
    path("udskrift/", views.printable, name="print"),
    path("eksport.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("eksport.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("frosne/", frozen_views.frozen_reports, name="frozen"),
    path("undersoegelser/", survey_views.survey_list, name="surveys"),
    path("undersoegelser/<slug:code>/", survey_views.survey, name="survey"),
    path("undersoegelser/<slug:code>/inviter/", survey_views.invite, name="survey_invite"),
    path("invitation/<int:pk>/aarsag/", survey_views.non_response, name="non_response"),
]
