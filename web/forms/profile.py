"""The resident profile form of the liaison pages: household, identity, situation, preferences and skills."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from residents.models import Household, PiiRevealLog, PovertyStatus, Resident, ResidentSkill
from residents.services import SkillLevel
from taxonomy.coding import code_titles
from taxonomy.identifiers import IdentifierError, parse_id_number, validate_phone
from taxonomy.models import Occupation, Place
from taxonomy.selectors import occupation_get
from taxonomy.validators import ID_NUMBER_MESSAGES, PHONE_MESSAGE

from .bureau import SkillLevelsField
from .common import PlaceChoiceField, lines

# Profile fields the form hands to `resident_create` / `resident_update` as they are.
PROFILE_FIELDS = (
    "name", "ethnicity", "education", "employment_status", "care_duties", "has_disability", "disability_note",
    "consent_share_with_employers", "min_monthly_wage", "max_commute_km", "work_time", "accepts_home_based",
    "accepts_outside_county", "notes",
)


@dataclass(frozen=True)
class OccupationWishes:
    """Occupations wanted: those recognised, and the lines kept in the person's own words for staff to map."""

    occupations: list[Occupation]
    own_words: list[str]


class OccupationListField(forms.CharField):
    """Occupations wanted, one a line: a code (4-10-01-01), a name, or a job title in plain words that is
    coded to the classification; a line that codes to nothing ("刮腻子") is kept as typed for staff to map."""

    widget = forms.Textarea(attrs={"rows": 2})
    MIN_CONFIDENCE = 0.6  # a plain-words line coded less surely than this is kept as typed rather than guessed

    def clean(self, value) -> OccupationWishes:
        found: dict[int, Occupation] = {}
        pending: list[str] = []
        for line in lines(super().clean(value))[:20]:
            occupation = occupation_get(code=line) or Occupation.objects.filter(name=line).order_by("-level").first()
            if occupation is None:
                pending.append(line)
            else:
                found[occupation.pk] = occupation
        own_words = []
        for line, coded in zip(pending, code_titles(pending) if pending else [], strict=True):
            if coded.occupation is None or coded.result.confidence < self.MIN_CONFIDENCE:
                own_words.append(line)
            else:
                found[coded.occupation.pk] = coded.occupation
        return OccupationWishes(list(found.values()), own_words)


def wanted_occupation_lines(resident: Resident) -> str:
    """The wanted occupations one a line, by name (the field reads names back, and codes), then the own words kept."""
    return "\n".join([*(o.name for o in resident.wanted_occupations.order_by("code")),
                      *resident.unresolved_occupation_texts])


class ResidentProfileForm(forms.Form):
    """A resident as liaison staff register or edit them.

    The household is named by its number: an existing household of the worker's station is used (its
    poverty status updated), a new number registers a household at the chosen site. On edit the ID number
    and phone are never shown in full: left empty they stay as they are.
    """

    household_number = forms.CharField(label=_("Household number"), max_length=30,
                                       help_text=_("An existing household of the station, or a new number."))
    site = PlaceChoiceField(label=_("Site"), required=False,
                            help_text=_("Where a new household lives; not needed for an existing one."))
    poverty_status = forms.ChoiceField(label=_("Poverty status"), choices=PovertyStatus.choices,
                                       initial=PovertyStatus.NONE)
    name = forms.CharField(label=_("Full name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=32,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    remove_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=Resident.Education.choices,
                                  initial=Resident.Education.JUNIOR)
    employment_status = forms.ChoiceField(label=_("Employment status"), choices=Resident.EmploymentStatus.choices,
                                          initial=Resident.EmploymentStatus.SEEKING)
    care_duties = forms.ChoiceField(label=_("Care duties"), choices=Resident.CareDuties.choices,
                                    initial=Resident.CareDuties.NONE)
    has_disability = forms.BooleanField(label=_("Has a disability"), required=False)
    disability_note = forms.CharField(label=_("Disability note"), max_length=200, required=False)
    consent_share_with_employers = forms.BooleanField(label=_("Agrees to share the profile with employers"),
                                                      required=False)
    min_monthly_wage = forms.DecimalField(label=_("Minimum monthly wage (CNY)"), required=False, min_value=0,
                                          max_digits=9, decimal_places=2)
    max_commute_km = forms.DecimalField(label=_("Longest commute (km)"), required=False, min_value=0,
                                        max_digits=6, decimal_places=1)
    work_time = forms.ChoiceField(label=_("Working time"), choices=Resident.WorkTime.choices,
                                  initial=Resident.WorkTime.ANY)
    accepts_home_based = forms.BooleanField(label=_("Accepts home-based work"), required=False, initial=True)
    accepts_outside_county = forms.BooleanField(label=_("Accepts work outside the county"), required=False)
    wanted_occupations = OccupationListField(
        label=_("Occupations wanted"), required=False,
        help_text=_("One a line: a code, a name or a job title in plain words, e.g. 家政服务员."),
    )
    skills = SkillLevelsField(
        label=_("Skills (self-reported)"), required=False,
        help_text=_("One a line, with the level 1–5 after it, e.g. 藤编 3. Skills from training stay as they are."),
    )
    skill_texts = forms.CharField(
        label=_("Other skills in their own words"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. 会编藤椅、做保洁. Recognised skills are added at level 2; the rest are kept for review."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, households, places, resident: Resident | None = None, **kwargs):
        self.households = households
        self.resident = resident
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = places.filter(level__in=[Place.Level.VILLAGE, Place.Level.SITE])
        if resident is None:
            del self.fields["remove_phone"]
        else:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": resident.id_number_masked}
            self.fields["phone"].help_text = (
                _("Now %(masked)s. Leave empty to keep it.") % {"masked": resident.phone_masked}
                if resident.phone_masked else _("None on record.")
            )
            self.trained = [link for link in resident.skill_links.all() if link.source != ResidentSkill.Source.SELF]

    SECTIONS = (
        (_("Household"), ("household_number", "site", "poverty_status")),
        (_("Person"), ("name", "id_number", "phone", "remove_phone", "ethnicity", "education", "employment_status",
                       "care_duties", "has_disability", "disability_note", "consent_share_with_employers")),
        (_("What work they look for"), ("min_monthly_wage", "max_commute_km", "work_time", "accepts_home_based",
                                         "accepts_outside_county", "wanted_occupations")),
        (_("Skills"), ("skills", "skill_texts", "notes")),
    )

    def sections(self):
        """The fields in the order of the page's sections, as (title, bound fields)."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    @classmethod
    def initial_for(cls, resident: Resident) -> dict:
        initial = {name: getattr(resident, name) for name in PROFILE_FIELDS}
        household = resident.household
        initial.update(household_number=household.number, site=household.site_id,
                       poverty_status=household.poverty_status)
        initial["wanted_occupations"] = wanted_occupation_lines(resident)
        initial["skills"] = "\n".join(
            f"{link.skill.name} {link.level}" for link in resident.skill_links.all()
            if link.source == ResidentSkill.Source.SELF
        )
        return initial

    def clean_id_number(self) -> str:
        """Checked here as well as in the service, so that every wrong field shows at once."""
        raw = self.cleaned_data["id_number"].strip()
        if raw:
            try:
                parse_id_number(raw)
            except IdentifierError as exc:
                raise forms.ValidationError(ID_NUMBER_MESSAGES[exc.code]) from None
        return raw

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if raw:
            try:
                validate_phone(raw)
            except IdentifierError:
                raise forms.ValidationError(PHONE_MESSAGE) from None
        return raw

    def clean(self):
        data = super().clean()
        number = (data.get("household_number") or "").strip()
        if not number:
            return data
        existing = Household.objects.filter(number=number).first()
        if existing is None:
            data["household"] = None
            if not data.get("site"):
                self.add_error("site", _("Choose the site where this new household lives."))
        elif not self.households.filter(pk=existing.pk).exists():
            self.add_error("household_number", _("This household number is registered at another station."))
        else:
            data["household"] = existing
        return data

    def household_data(self) -> dict:
        """What the household services get (the poverty status only when the form asks it)."""
        data = self.cleaned_data
        result = {"number": data["household_number"].strip(), "site": data["site"]}
        if "poverty_status" in self.fields:
            result["poverty_status"] = data["poverty_status"]
        return result

    def resident_data(self) -> dict:
        """What the resident services get: the fields this form has; ID number and phone only when typed (or the
        phone removed)."""
        data = self.cleaned_data
        result = {name: data[name] for name in PROFILE_FIELDS if name in self.fields}
        if data["id_number"].strip():
            result["id_number"] = data["id_number"].strip()
        if data["phone"].strip() or data.get("remove_phone"):
            result["phone"] = "" if data.get("remove_phone") else data["phone"].strip()
        if "wanted_occupations" in self.fields:
            result["wanted_occupations"] = data["wanted_occupations"].occupations
            result["unresolved_occupation_texts"] = data["wanted_occupations"].own_words
        if "skills" in self.fields:
            result["skills"] = [SkillLevel(skill=skill, level=level) for skill, level in data["skills"]]
        if "skill_texts" in self.fields:
            result["skill_texts"] = lines(data["skill_texts"])
        return result


class QuickResidentForm(ResidentProfileForm):
    """Registering a resident at the reception desk in under a minute: household (an existing number of the
    station, or a new one at a site), name, ID number, phone. The same checks as the full form (all errors at
    once); the rest of the profile keeps its defaults and is filled in later."""

    FIELDS = ("household_number", "site", "name", "id_number", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in self.FIELDS]:
            del self.fields[name]
        self.fields["id_number"].widget.attrs["inputmode"] = "text"


class MyPreferencesForm(forms.Form):
    """What residents may change themselves (as in the API): phone, what work they want, skills in their words."""

    FIELDS = ("min_monthly_wage", "max_commute_km", "work_time", "accepts_home_based", "accepts_outside_county")

    phone = forms.CharField(label=_("New phone number"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    min_monthly_wage = ResidentProfileForm.base_fields["min_monthly_wage"]
    max_commute_km = ResidentProfileForm.base_fields["max_commute_km"]
    work_time = ResidentProfileForm.base_fields["work_time"]
    accepts_home_based = ResidentProfileForm.base_fields["accepts_home_based"]
    accepts_outside_county = ResidentProfileForm.base_fields["accepts_outside_county"]
    wanted_occupations = OccupationListField(
        label=_("What work would you like?"), required=False,
        help_text=_("One a line in your own words, e.g. 保洁员, 藤编."),
    )
    skill_texts = forms.CharField(
        label=_("What else can you do?"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In your own words, e.g. 会编藤椅、做保洁."),
    )

    def __init__(self, *args, resident: Resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = (
            _("Now %(masked)s. Leave empty to keep it.") % {"masked": resident.phone_masked}
            if resident.phone_masked else _("None on record.")
        )

    @classmethod
    def initial_for(cls, resident: Resident) -> dict:
        return {**{name: getattr(resident, name) for name in cls.FIELDS},
                "wanted_occupations": wanted_occupation_lines(resident)}

    def clean_phone(self) -> str:
        # Checked here, with every other field, rather than by the service after the form has passed.
        raw = self.cleaned_data["phone"].strip()
        if raw:
            try:
                validate_phone(raw)
            except IdentifierError:
                raise forms.ValidationError(PHONE_MESSAGE) from None
        return raw

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["wanted_occupations"] = self.cleaned_data["wanted_occupations"].occupations
        data["unresolved_occupation_texts"] = self.cleaned_data["wanted_occupations"].own_words
        if self.cleaned_data["phone"].strip():
            data["phone"] = self.cleaned_data["phone"].strip()
        texts = lines(self.cleaned_data["skill_texts"])  # the resolver splits 、，, lists itself
        if texts:
            data["skill_texts"] = texts
        return data


class RevealForm(forms.Form):
    """Why a worker needs a resident's full ID number or phone; the reason is logged with the reveal."""

    field = forms.ChoiceField(choices=PiiRevealLog.Field.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why do you need it?"), min_length=2, max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. to call about an interview")}))
