from django.urls import path

from . import staff_views, views

app_name = "accounts"
urlpatterns = [
    path("borger/<int:person_id>/begrundelse/", views.outside_access, name="outside_access"),
    path("borger/<int:person_id>/opslag/", views.person_audit, name="person_audit"),
    path("borger/<int:person_id>/indsigt/", views.subject_access, name="subject_access"),
    path("borger/<int:person_id>/inhabilitet/", views.recusals, name="recusals"),
    path("log/eksport/", views.audit_export, name="audit_export"),
    path("adgang/markerede/", views.flagged_accesses, name="flagged"),
    path("adgang/markerede/<int:access_id>/gennemset/", views.review_access, name="review_access"),
    path("kompetencer/", staff_views.competences, name="competences"),
    path("kompetencer/<int:competence_id>/slet/", staff_views.competence_delete, name="competence_delete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/tilbagekald/", views.token_revoke, name="token_revoke"),
    path("kode/", views.otp_verify, name="otp_verify"),
    path("tofaktor/", views.otp_setup, name="otp_setup"),
]
