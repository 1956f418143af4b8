from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PriceItem(models.Model):
    """An ordinary offer in the price catalogue (§85 package, §107/§108 placement, §103/§104 day offer…)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=40, blank=True)
    share_kommune = models.DecimalField(_("kommunens andel"), max_digits=4, decimal_places=3, default=1)
    share_region = models.DecimalField(_("regionens andel"), max_digits=4, decimal_places=3, default=0)
    share_stat = models.DecimalField(_("statens andel"), max_digits=4, decimal_places=3, default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["legal_basis", "name"]
        verbose_name = _("prispost")
        verbose_name_plural = _("priskatalog")
        constraints = [models.CheckConstraint(
            condition=models.Q(share_kommune__gte=0, share_region__gte=0, share_stat__gte=0), name="price_shares_positive")]

    def __str__(self) -> str:
        return self.name


class Price(models.Model):
    """An annual cost for a catalogue item, valid for a period; the history is kept."""

    item = models.ForeignKey(PriceItem, on_delete=models.CASCADE, related_name="prices")
    annual_cost = models.DecimalField(_("årlig pris (kr)"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("gælder fra"))
    valid_to = models.DateField(_("gælder til"), null=True, blank=True)

    class Meta:
        ordering = ["item", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(annual_cost__gte=0), name="price_not_negative"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="price_period_ordered"),
        ]


class HourlyRate(models.Model):
    """The price of one hour of support, used to value invested hours, valid for a period."""

    amount = models.DecimalField(_("timepris (kr)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("gælder fra"))
    valid_to = models.DateField(_("gælder til"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("timepris")
        verbose_name_plural = _("timepriser")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="rate_not_negative")]


class FixedCost(models.Model):
    """Fixed costs of running the front door, such as premises or a coordinator post, per year."""

    name = models.CharField(_("navn"), max_length=200)
    annual_cost = models.DecimalField(_("årlig udgift (kr)"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("gælder fra"))
    valid_to = models.DateField(_("gælder til"), null=True, blank=True)

    class Meta:
        verbose_name = _("fast udgift")
        verbose_name_plural = _("faste udgifter")
        constraints = [models.CheckConstraint(condition=models.Q(annual_cost__gte=0), name="fixed_cost_not_negative")]


class ShadowAssessment(models.Model):
    """Shadow visitation at closing: what the citizen would have been granted without us, and what they got."""

    class Confidence(models.TextChoices):
        LOW = "low", _("Lav")
        MEDIUM = "medium", _("Middel")
        HIGH = "high", _("Høj")

    course = models.OneToOneField("courses.Course", on_delete=models.CASCADE, related_name="shadow")
    would_have = models.ForeignKey(PriceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("ville have fået"))
    actually_got = models.ForeignKey(PriceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("fik efterfølgende"))
    confidence = models.CharField(_("sikkerhed"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    authority_experience = models.BooleanField(_("vurderet af medarbejder med myndighedserfaring"), default=False)
    assessed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)
