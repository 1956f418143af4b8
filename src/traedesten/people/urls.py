from django.urls import path

from . import request_views, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("ny/", views.create, name="create"),
    path("anonym/", views.create_pseudonymous, name="create_pseudonymous"),
    path("anmodninger/", request_views.data_requests, name="data_requests"),
    path("anmodninger/<int:request_id>/", request_views.data_request, name="data_request"),
    path("<int:person_id>/ret/", views.edit, name="edit"),
    path("<int:person_id>/saml/<int:target_id>/", views.merge, name="merge"),
    path("<int:person_id>/netvaerk/ny/", views.network_add, name="network_add"),
    path("<int:person_id>/samtykke/", views.consents, name="consents"),
    path("<int:person_id>/kontaktpersoner/", views.contact_persons, name="contact_persons"),
    path("<int:person_id>/netvaerkskort/", views.network_map, name="network_map"),
    path("<int:person_id>/samtykke/<int:consent_id>/tilbagekald/", views.consent_withdraw, name="consent_withdraw"),
]
