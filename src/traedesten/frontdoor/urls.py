from django.urls import path

from . import views

app_name = "frontdoor"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("<int:contact_id>/modtag/", views.route, name="route"),
    path("guidesamtale/", views.guide_conversation, name="guide_conversation"),
    path("ad-hoc/", views.ad_hoc, name="ad_hoc"),
]
