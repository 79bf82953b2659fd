"""factory_boy factories; residents and postings are built through their services, as in real use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from factory.django import DjangoModelFactory

from config.roles import Role
from jobs import services as job_services
from jobs.models import Employer, JobPosting
from residents import services as resident_services
from residents.models import Household, Resident
from stations.models import LiaisonRoom, LiaisonStation, StaffMembership
from taxonomy.identifiers import make_id_number, make_uscc
from taxonomy.models import Place
from training import services as training_services
from training.models import Course, TrainingSession

PINGXI = "520622002000"
HUANGCHA_SITE = "520622002S01"
KANGHUA_SITE = "520622002S02"
ANPING = "520622002205"
QILITANG = "520622002204"


def place(code: str) -> Place:
    return Place.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))


class StationFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonStation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"联络站{n}")
    place = factory.LazyFunction(lambda: place(PINGXI))


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonRoom
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"第{n}联络室")

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            self.places.set(extracted)


def liaison_user_for(station: LiaisonStation, room: LiaisonRoom | None = None, **kwargs) -> User:
    user = UserFactory(role=Role.LIAISON, **kwargs)
    StaffMembership.objects.create(user=user, station=station, room=room, role=StaffMembership.Role.STAFF)
    return user


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"HH{n:06d}")
    site = factory.LazyFunction(lambda: place(HUANGCHA_SITE))
    poverty_status = "none"


_id_counter = iter(range(1, 10**9))


def fresh_id_number(birth: dt.date | None = None, female: bool | None = None) -> str:
    seq = next(_id_counter)
    birth = birth or dt.date(1985, 1, 1) + dt.timedelta(days=seq % 9000)
    sequence = (seq * 2) % 1000
    if female is False:
        sequence |= 1
    return make_id_number("520622", birth, sequence)


class ResidentFactory(factory.Factory):
    """Builds a resident through `resident_create` (encryption, hashing and validation included)."""

    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    id_number = factory.LazyFunction(fresh_id_number)
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return resident_services.resident_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("residents are only created through resident_create")


class EmployerFactory(factory.Factory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"玉屏企业{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc("520622", 100000 + n))
    place = factory.LazyFunction(lambda: place(PINGXI))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return job_services.employer_create(**kwargs)


class PostingFactory(factory.Factory):
    class Meta:
        model = JobPosting

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"普工{n}")
    openings = 3
    wage_min = Decimal("3000")
    wage_max = Decimal("4500")
    valid_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=60))
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return job_services.posting_create(**kwargs)


class CourseFactory(factory.Factory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"course-{n}")
    name = factory.Sequence(lambda n: f"课程{n}")
    hours = 40

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return training_services.course_create(**kwargs)


class SessionFactory(factory.Factory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=4))
    place = factory.LazyFunction(lambda: place(PINGXI))
    capacity = 30

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return training_services.session_create(allow_past_start=True, **kwargs)
