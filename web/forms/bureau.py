"""Forms of the bureau clerk's pages: employers, postings, courses and sessions (the import form: imports.py)."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.models import Employer, JobPosting, WageUnit
from jobs.selectors import postings_in_shown_status
from jobs.services import SkillRequirementInput
from taxonomy.coding import skills_from_texts
from taxonomy.identifiers import IdentifierError, validate_contact_phone, validate_uscc
from taxonomy.models import Occupation, Skill
from taxonomy.selectors import occupation_get
from taxonomy.validators import CONTACT_PHONE_MESSAGE, USCC_MESSAGES
from training.models import Course, TrainingSession

from ..lists import ListFilterForm
from .common import DateInput, PlaceChoiceField, lines


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30,
                           help_text=_("18 characters, as on the business licence."))
    place = PlaceChoiceField(label=_("Place"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=40, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, required=False,
        help_text=_("A mobile number or a landline with its area code, such as 0856-3221234."),
    )
    is_poverty_workshop = forms.BooleanField(label=_("Poverty-alleviation workshop"), required=False)

    @classmethod
    def initial_for(cls, employer: Employer) -> dict:
        return {name: getattr(employer, name) for name in cls.base_fields}

    # The code and the phone are checked here with every other field (the service checks them again), so that a
    # missing name does not hide a bad code.
    def clean_uscc(self) -> str:
        raw = self.cleaned_data["uscc"]
        try:
            return validate_uscc(raw)
        except IdentifierError as exc:
            raise forms.ValidationError(USCC_MESSAGES[exc.code]) from None

    def clean_contact_phone(self) -> str:
        raw = (self.cleaned_data["contact_phone"] or "").strip()
        if raw:
            try:
                return validate_contact_phone(raw)
            except IdentifierError:
                raise forms.ValidationError(CONTACT_PHONE_MESSAGE) from None
        return raw


class PostingFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Search"), max_length=60, required=False, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any status")), *JobPosting.SHOWN_STATUS_CHOICES])
    employer = forms.ModelChoiceField(label=_("Employer"), required=False, queryset=Employer.objects.order_by("name"),
                                      empty_label=_("any employer"))

    def apply(self, rows):
        data = self.cleaned_data
        if data["status"]:
            rows = rows.filter(postings_in_shown_status(data["status"]))  # "open" leaves the expired out
        if data["employer"]:
            rows = rows.filter(employer=data["employer"])
        text = data["q"].strip()
        if text:
            rows = rows.filter(Q(title__icontains=text) | Q(employer__name__icontains=text)
                               | Q(occupation__name__icontains=text))
        return rows


class EmployerFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Name or credit code"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    workshop = forms.ChoiceField(label=_("Poverty-alleviation workshop"), required=False,
                                 choices=[("", _("all")), ("yes", _("yes")), ("no", _("no"))])

    def apply(self, rows):
        text = self.cleaned_data["q"].strip()
        if text:
            rows = rows.filter(Q(name__icontains=text) | Q(uscc__icontains=text))
        if self.cleaned_data["workshop"]:
            rows = rows.filter(is_poverty_workshop=self.cleaned_data["workshop"] == "yes")
        return rows


class CourseFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Course"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def apply(self, rows):
        text = self.cleaned_data["q"].strip()
        return rows.filter(Q(name__icontains=text) | Q(code__icontains=text)) if text else rows


class OccupationCodeField(forms.CharField):
    """An occupation by its code (4-10-01-01) or exact name; empty means "code it from the title"."""

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        occupation = occupation_get(code=text) or Occupation.objects.filter(name=text).order_by("-level").first()
        if occupation is None:
            raise forms.ValidationError(_("No occupation has this code or name."))
        return occupation


class PostingForm(forms.Form):
    """A posting as the clerk types it: skills in free words, occupation optional (coded from the title)."""

    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.order_by("name"))
    title = forms.CharField(label=_("Job title"), max_length=120)
    occupation = OccupationCodeField(
        label=_("Occupation code"), max_length=120, required=False,
        help_text=_("Optional: leave empty and the title is coded to an occupation."),
    )
    skill_texts = forms.CharField(
        label=_("Skills asked for"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words, e.g. 会编藤椅、做保洁. Recognised skills are added; the rest are kept."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    openings = forms.IntegerField(label=_("Openings"), min_value=0, max_value=100_000, initial=1)
    wage_min = forms.DecimalField(label=_("Minimum wage (CNY)"), required=False, min_value=0, max_digits=9,
                                  decimal_places=2)
    wage_max = forms.DecimalField(label=_("Maximum wage (CNY)"), required=False, min_value=0, max_digits=9,
                                  decimal_places=2)
    wage_unit = forms.ChoiceField(label=_("Wage unit"), choices=WageUnit.choices, initial=WageUnit.MONTH)
    piece_monthly_estimate = forms.DecimalField(
        label=_("Estimated monthly earnings (CNY)"), required=False, min_value=0, max_digits=9, decimal_places=2,
        help_text=_("Piece-rate work only: what a worker typically earns a month at this piece rate, in CNY."),
    )
    work_mode = forms.ChoiceField(label=_("Work mode"), choices=JobPosting.WorkMode.choices)
    work_time = forms.ChoiceField(label=_("Working time"), choices=JobPosting.WorkTime.choices)
    place = PlaceChoiceField(label=_("Work place"), required=False,
                             help_text=_("Empty: the employer's place."))
    hours_per_day = forms.DecimalField(label=_("Hours per day"), required=False, min_value=0, max_digits=4,
                                       decimal_places=1)
    hours_note = forms.CharField(label=_("Working hours"), max_length=100, required=False)
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=200)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=200)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    publish = forms.BooleanField(label=_("Publish now"), required=False)

    FIELDS = ("title", "description", "openings", "wage_min", "wage_max", "wage_unit", "piece_monthly_estimate",
              "work_mode", "work_time", "place", "hours_per_day", "hours_note", "age_min", "age_max", "valid_until")

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.FIELDS if name in data}
        if data.get("occupation") is not None:
            fields["occupation"] = data["occupation"]
        return fields

    def skill_text_list(self) -> list[str]:
        return lines(self.cleaned_data.get("skill_texts", ""))


class PostingEditForm(PostingForm):
    """Edit: the employer stays; skills can be removed one by one, new ones added in free words."""

    remove_skills = forms.ModelMultipleChoiceField(label=_("Remove these skills"), required=False,
                                                   queryset=Skill.objects.none(), widget=forms.CheckboxSelectMultiple)
    clear_unresolved = forms.BooleanField(label=_("Forget the unrecognised skill texts"), required=False)

    def __init__(self, *args, posting: JobPosting, **kwargs):
        self.posting = posting
        self.links = list(posting.skill_links.select_related("skill").order_by("id"))
        super().__init__(*args, **kwargs)
        del self.fields["employer"]
        del self.fields["publish"]
        self.fields["skill_texts"].label = _("Add skills")
        self.fields["remove_skills"].queryset = Skill.objects.filter(pk__in=[link.skill_id for link in self.links])

    @classmethod
    def initial_for(cls, posting: JobPosting) -> dict:
        initial = {name: getattr(posting, name) for name in cls.FIELDS}
        initial["occupation"] = posting.occupation.code if posting.occupation else ""
        return initial

    def service_data(self) -> dict:
        """What `posting_update` gets: the fields, the occupation only when the clerk changed it,
        the remaining skills plus the new skill texts."""
        data = self.service_fields()
        if data.get("place") is None:
            data["place"] = self.posting.employer.place
        occupation = self.cleaned_data.get("occupation")
        if occupation is None or occupation.pk == self.posting.occupation_id:
            data.pop("occupation", None)
        removed = {skill.pk for skill in self.cleaned_data.get("remove_skills") or []}
        kept = [SkillRequirementInput(skill=link.skill, level=link.level, kind=link.kind, mandatory=link.mandatory)
                for link in self.links if link.skill_id not in removed]
        texts = self.skill_text_list()
        if removed or texts:
            data["skills"] = kept
            data["skill_texts"] = texts
        if self.cleaned_data.get("clear_unresolved"):
            data["unresolved_skill_texts"] = []
        return data


_LEVEL_AT_END = re.compile(r"^(?P<name>.+?)[\s:：]+(?P<level>\d+)$")


class SkillLevelsField(forms.CharField):
    """One skill a line, optionally followed by its level 1–5 ("藤编 3"); each must be recognised."""

    widget = forms.Textarea(attrs={"rows": 3})
    DEFAULT_LEVEL = 2

    def clean(self, value) -> list[tuple[Skill, int]]:
        result: dict[int, tuple[Skill, int]] = {}
        unknown, bad_levels = [], []
        for line in lines(super().clean(value)):
            match = _LEVEL_AT_END.match(line)
            name, level = (match["name"].strip(), int(match["level"])) if match else (line, self.DEFAULT_LEVEL)
            if not 1 <= level <= 5:
                bad_levels.append(line)
                continue
            skill = Skill.objects.filter(name=name).first()
            if skill is None:
                resolved, _rest = skills_from_texts([name])
                skill = resolved[0] if len(resolved) == 1 else None
            if skill is None:
                unknown.append(name)
            else:
                result[skill.pk] = (skill, level)
        errors = []
        if bad_levels:
            errors.append(forms.ValidationError(
                _("A skill level is a whole number from 1 to 5: %(lines)s") % {"lines": "、".join(bad_levels)}))
        if unknown:
            errors.append(forms.ValidationError(
                _("Not recognised as a skill: %(names)s") % {"names": "、".join(unknown)}))
        if errors:
            raise forms.ValidationError(errors)
        return list(result.values())


class CourseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Optional: leave empty and one is made from the name (月嫂培训 → yuesaopeixun)."))
    name = forms.CharField(label=_("Name"), max_length=60)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000, initial=40)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    skills = SkillLevelsField(label=_("Skills granted"), required=False,
                              help_text=_("One a line, with the level 1–5 after it, e.g. 藤编 3."))

    @classmethod
    def initial_for(cls, course: Course) -> dict:
        skills = "\n".join(f"{link.skill.name} {link.level}" for link in course.skill_links.select_related("skill"))
        return {"code": course.code, "name": course.name, "hours": course.hours, "description": course.description,
                "skills": skills}


class SessionForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    place = PlaceChoiceField(label=_("Place"))
    venue = forms.CharField(label=_("Venue"), max_length=120, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000, required=False,
                               help_text=_("Empty: the course's hours."))
    trainer = forms.CharField(label=_("Trainer"), max_length=60, required=False)
    partner_department = forms.CharField(label=_("Partner department"), max_length=80, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=TrainingSession.Status.choices,
                               initial=TrainingSession.Status.OPEN)

    FIELDS = ("start_date", "end_date", "place", "venue", "capacity", "hours", "trainer", "partner_department",
              "status")

    @classmethod
    def initial_for(cls, session: TrainingSession) -> dict:
        return {name: getattr(session, name) for name in cls.FIELDS}

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        if data["hours"] is None:
            data.pop("hours")
        return data
