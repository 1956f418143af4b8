from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("arbejdsliste/<int:course_id>/", views.work_item, name="work_item"),
    path("mine-borgere/", views.my_citizens, name="my_citizens"),
    path("sagstal/", views.caseload_norms, name="caseload_norms"),
    path("borger/<int:person_id>/nyt/", views.start, name="start"),
    path("borger/<int:person_id>/aktivitet/", views.activity, name="activity"),
    path("borger/<int:person_id>/tilmeld-hold/", views.enrol, name="enrol"),
    path("<int:course_id>/afslut/", views.close, name="close"),
    path("<int:course_id>/timepakke/", views.package, name="package"),
    path("<int:course_id>/graense/", views.limit, name="limit"),
    path("<int:course_id>/tilbage/", views.reenter, name="reenter"),
    path("timer/", views.hours, name="hours"),
    path("timer/timepakker/", views.package_hours, name="package_hours"),
    path("hold/", views.group_list, name="groups"),
    path("hold/nyt/", views.group_new, name="group_new"),
    path("hold/<int:group_id>/", views.group_detail, name="group"),
    path("hold/<int:group_id>/gang/", views.session_new, name="session_new"),
    path("hold/<int:group_id>/slut/", views.group_end, name="group_end"),
    path("hold/gang/<int:session_id>/", views.session_edit, name="session_edit"),
]
