from django.urls import path

from . import views

app_name = "economy"
urlpatterns = [
    path("", views.business_case, name="business_case"),
    path("excel/", views.excel, name="excel"),
    path("skygge/<int:course_id>/", views.shadow, name="shadow"),
]
