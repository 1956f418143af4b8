from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.report, name="report"),
    path("tal/", views.figures, name="figures"),
    path("udskrift/", views.printable, name="print"),
    path("eksport.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("eksport.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
