"""Course codes: Chinese is accepted (spelled in pinyin), an empty code is made from the name, codes stay unique,
and the course list shows names, not codes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from training.models import Course
from training.services import course_create, course_update

pytestmark = pytest.mark.django_db


def test_an_empty_code_is_made_from_the_chinese_name():
    assert course_create(name="月嫂培训").code == "yuesaopeixun"
    assert course_create(name="月嫂培训（二期）").code.startswith("yuesaopeixun")
    assert course_create(code="月嫂培训", name="月嫂进阶").code == "yuesaopeixun-2"


def test_a_latin_code_is_kept_and_a_chinese_one_on_edit_is_spelled():
    course = course_create(code="handicraft", name="手工艺品制作")
    assert course.code == "handicraft"
    assert course_update(course=course, data={"code": "手工艺"}).code == "shougongyi"


def test_the_bureau_form_accepts_chinese_and_the_list_shows_names(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-course-new"),
                                      {"code": "月嫂", "name": "月嫂培训", "hours": "40", "skills": ""})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = Course.objects.get(name="月嫂培训")
    assert course.code == "yuesao"
    listing = clients["bureau"].get(reverse("web:bureau-courses")).content.decode()
    assert "月嫂培训" in listing
    assert ">yuesao<" not in listing
    assert "yuesao ·" not in listing
