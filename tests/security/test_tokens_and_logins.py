"""API tokens that end (django-rest-knox) and logins that cannot be guessed (django-axes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api.support import API, CJK, error_of

PASSWORD = "pass-word-123"


def login(username: str, password: str = PASSWORD, *, address: str = "10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(f"{API}/auth/token/", {"username": username, "password": password},
                                               format="json")


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str, path: str = "/jobs/") -> bool:
    return with_token(key).get(f"{API}{path}").status_code == 200


# --- tokens -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_login_is_a_token_of_its_own_that_ends_by_role(liaison_user, resident_user):
    phone, laptop = login("liaison1"), login("liaison1")
    assert phone.status_code == laptop.status_code == 200
    assert phone.json()["token"] != laptop.json()["token"]
    assert works(phone.json()["token"])
    assert works(laptop.json()["token"])
    staff_left = dt.datetime.fromisoformat(phone.json()["expiry"]) - timezone.now()
    assert dt.timedelta(hours=11, minutes=59) < staff_left <= dt.timedelta(hours=12)
    resident = login("resident1").json()
    resident_left = dt.datetime.fromisoformat(resident["expiry"]) - timezone.now()
    assert dt.timedelta(days=29, hours=23) < resident_left <= dt.timedelta(days=30)
    assert works(resident["token"], "/residents/me/")


@pytest.mark.django_db
def test_tokens_are_stored_hashed(liaison_user):
    key = login("liaison1").json()["token"]
    stored = AuthToken.objects.get(user=liaison_user)
    assert key not in {stored.digest, stored.token_key}


@pytest.mark.django_db
def test_logout_ends_this_device_only(liaison_user):
    phone, laptop = login("liaison1").json()["token"], login("liaison1").json()["token"]
    response = with_token(phone).delete(f"{API}/auth/token/")
    assert response.status_code == 204
    assert not works(phone)
    assert works(laptop)
    assert with_token(phone).delete(f"{API}/auth/token/").status_code == 401
    assert APIClient().delete(f"{API}/auth/token/").status_code == 401


@pytest.mark.django_db
def test_a_password_change_ends_every_token(liaison_user):
    keys = [login("liaison1").json()["token"] for _ in range(3)]
    liaison_user.set_password("a-new-pass-word-456")
    liaison_user.save()
    assert [works(key) for key in keys] == [False, False, False]
    assert login("liaison1", "a-new-pass-word-456").status_code == 200


@pytest.mark.django_db
def test_a_password_changed_in_the_admin_ends_every_token(liaison_user, admin_client):
    key = login("liaison1").json()["token"]
    response = admin_client.post(f"/admin/auth/user/{liaison_user.pk}/password/",
                                 {"password1": "a-new-pass-word-456", "password2": "a-new-pass-word-456",
                                  "usable_password": "true"})
    assert response.status_code == 302, response.content[:300]
    assert not works(key)


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_tokens(liaison_user):
    key = login("liaison1").json()["token"]
    liaison_user.is_active = False
    liaison_user.save()
    assert not works(key)


@pytest.mark.django_db
def test_an_expired_token_no_longer_works(liaison_user):
    key = login("liaison1").json()["token"]
    AuthToken.objects.filter(user=liaison_user).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert not works(key)


@pytest.mark.django_db
def test_a_user_keeps_at_most_ten_devices(liaison_user):
    keys = [login("liaison1").json()["token"] for _ in range(12)]
    assert AuthToken.objects.filter(user=liaison_user).count() == 10
    assert [works(key) for key in keys[:2]] == [False, False]
    assert works(keys[-1])


# --- throttled logins -------------------------------------------------------------------------------------

def web_login(client: Client, username: str, password: str, path: str = "/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_the_web_and_admin_logins_lock_an_account_after_five_failures(admin_user, path):
    client = Client()
    statuses = [web_login(client, "root", "wrong", path).status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    locked = web_login(client, "root", PASSWORD, path)  # the right password, too late
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录失败次数过多" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_api_login_locks_an_account_in_the_error_shape(liaison_user):
    for _ in range(5):
        login("liaison1", "wrong")
    locked = login("liaison1", address="10.0.0.77")  # the account, from anywhere
    assert locked.status_code == 429
    error = error_of(locked)
    assert error["code"] == "login_locked"
    assert CJK.search(error["message"])


@pytest.mark.django_db
def test_failures_at_the_office_do_not_lock_out_a_colleague_who_logs_in_there(liaison_user, bureau_user):
    office = "10.1.1.1"
    assert login("liaison1", address=office).status_code == 200  # works at the office every day
    for index in range(30):  # someone tries many accounts from the office address
        login(f"guess{index}", "wrong", address=office)
    assert login("liaison1", address=office).status_code == 200
    assert login("liaison1", address=office).status_code == 200
    # An account never used from there is refused from that address, not elsewhere.
    assert login(bureau_user.username, address=office).status_code == 429
    assert login(bureau_user.username, address="10.2.2.2").status_code == 200


@pytest.mark.django_db
def test_a_successful_login_resets_the_accounts_failures(liaison_user):
    for _ in range(4):
        login("liaison1", "wrong")
    assert login("liaison1").status_code == 200
    for _ in range(4):
        login("liaison1", "wrong")
    assert login("liaison1").status_code == 200
