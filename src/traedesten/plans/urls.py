from django.urls import path

from . import exemption_views, family_views, views

app_name = "plans"
urlpatterns = [
    path("<int:person_id>/", views.plan_page, name="plan"),
    path("<int:person_id>/ret/", views.edit, name="edit"),
    path("<int:person_id>/versioner/", views.versions, name="versions"),
    path("<int:person_id>/tovholder/", views.coordinator, name="coordinator"),
    path("<int:person_id>/moede/", views.meeting, name="meeting"),
    path("<int:person_id>/pause/", views.pause, name="pause"),
    path("<int:person_id>/pause/slut/", views.resume, name="resume"),
    path("<int:person_id>/fritagelser/", exemption_views.exemptions, name="exemptions"),
    path("<int:person_id>/fritagelser/<int:exemption_id>/ophaev/", exemption_views.exemption_end, name="exemption_end"),
    path("<int:person_id>/helbredstjek/", views.health_check, name="health_check"),
    path("<int:person_id>/til-egen-laege/", views.gp_print, name="gp_print"),
    path("<int:person_id>/til-egen-laege.pdf", views.gp_pdf, name="gp_pdf"),
    path("<int:person_id>/familie/", family_views.family, name="family"),
    path("<int:person_id>/familie/ny/", family_views.family_new, name="family_new"),
    path("<int:person_id>/familie/medlem/", family_views.family_add, name="family_add"),
    path("<int:person_id>/familie/udmeld/", family_views.family_remove, name="family_remove"),
    path("<int:person_id>/familie/retning/", family_views.family_direction, name="family_direction"),
    path("<int:person_id>/familie/koordinator/", family_views.family_coordinator, name="family_coordinator"),
    path("<int:person_id>/familie/klynge/", family_views.family_cluster, name="family_cluster"),
    path("<int:person_id>/klynge/", family_views.cluster, name="cluster"),
    path("<int:person_id>/udskrift/<str:part>/", views.print_view, name="print"),
    path("<int:person_id>/udskrift/<str:part>.pdf", views.print_pdf, name="pdf"),
]
