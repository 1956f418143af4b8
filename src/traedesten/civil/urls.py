from django.urls import path

from . import views

app_name = "civil"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("ny/", views.offer_edit, name="offer_new"),
    path("<int:offer_id>/ret/", views.offer_edit, name="offer_edit"),
    path("import/", views.offer_import, name="offer_import"),
    path("frivillige/", views.volunteers, name="volunteers"),
    path("frivillige/ny/", views.volunteer_edit, name="volunteer_new"),
    path("frivillige/<int:volunteer_id>/", views.volunteer_edit, name="volunteer_edit"),
    path("borger/<int:person_id>/", views.citizen_page, name="citizen"),
    path("ledsagelse/<int:escort_id>/opfoelgning/", views.follow_up, name="follow_up"),
    path("koordinator/", views.coordinator, name="coordinator"),
    path("mine-opgaver/", views.volunteer_home, name="volunteer_home"),
    path("hold/<int:group_id>/fortsaet/", views.continue_group, name="continue_group"),
]
