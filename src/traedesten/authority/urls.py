from django.urls import path

from . import matching_views, outcome_views, views

app_name = "authority"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("borger/<int:person_id>/overdragelse/", views.person_handover, name="person_handover"),
    path("borger/<int:person_id>/rettigheder/", views.person_rights, name="rights"),
    path("borger/<int:person_id>/bevilling/ny/", views.grant_new, name="grant_new"),
    path("overdragelse/<int:handover_id>/", views.handover_detail, name="handover"),
    path("bevilling/<int:grant_id>/", views.grant_detail, name="grant"),
    path("bestillinger/", views.order_inbox, name="orders"),
    path("bestilling/<int:order_id>/", views.order_detail, name="order"),
    path("matchning/", matching_views.queue, name="matching_queue"),
    path("matchning/<int:person_id>/", matching_views.matching, name="matching"),
    path("borger/<int:person_id>/anden-medarbejder/", matching_views.worker_change, name="worker_change"),
    path("borger/<int:person_id>/progression/opfoelgning/<int:follow_up_id>/", outcome_views.progression_follow_up,
         name="progression_follow_up"),
    path("borger/<int:person_id>/progression/forloeb/<int:course_id>/", outcome_views.progression_closing,
         name="progression_closing"),
    path("borger/<int:person_id>/klager/", outcome_views.complaints, name="complaints"),
    path("klage/<int:complaint_id>/", outcome_views.complaint, name="complaint"),
    path("sagsdroeftelse/ny/", views.conference_new, name="conference_new"),
    path("sagsdroeftelse/<int:conference_id>/", views.conference, name="conference"),
    path("sagsdroeftelse/punkt/<int:item_id>/", views.conference_decide, name="conference_decide"),
]
