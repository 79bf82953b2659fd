"""Shared vocabularies: occupations (national classification 2022), skills and places."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """One node of the 2022 national occupational classification (大类 → 职业)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("major group")
        MIDDLE = 2, _("middle group")
        MINOR = 3, _("minor group")
        OCCUPATION = 4, _("occupation")

    code = models.CharField(_("code"), max_length=12, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    definition = models.TextField(_("definition"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_digital = models.BooleanField(_("digital occupation"), default=False)
    is_green = models.BooleanField(_("green occupation"), default=False)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SkillGroup(models.Model):
    """A family of related skills (handicraft, housekeeping …); related skills earn partial credit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill people have or need, with everyday aliases used to resolve free text."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    group = models.ForeignKey(SkillGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="skills")
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    occupations = models.ManyToManyField(Occupation, verbose_name=_("related occupations"), blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["group__code", "name"]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """An administrative division or a resettlement site, with town-level coordinates (GCJ-02)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        TOWN = "town", _("town / street")
        VILLAGE = "village", _("village / community")
        SITE = "site", _("resettlement site")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=60, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_resettlement_site = models.BooleanField(_("resettlement site"), default=False)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def county_code(self) -> str:
        return self.code[:6]
