from django.contrib import admin

from .models import LocalOffer, Volunteer

admin.site.register(LocalOffer, list_display=("name", "kind", "organiser", "free_seats", "active"), search_fields=["name"])
admin.site.register(Volunteer, list_display=("name", "status", "agreement_on", "record_check_on"), search_fields=["name"])
