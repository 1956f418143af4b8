"""TOTP two-factor login: required for administrators, a choice for staff."""

import datetime

import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from traedesten.accounts.roles import Role


def code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "test-password-123"})
    assert response.status_code == 302
    return response


def test_an_administrator_must_set_up_a_code_before_anything_else(client, make_user):
    make_user(Role.ADMIN, username="admin1", is_staff=True, is_superuser=True)
    login(client, "admin1")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get("/api/v1/people").status_code == 401
    page = client.get(response["Location"])
    assert "Din rolle skal logge ind med en kode" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="admin1")
    wrong = client.post(reverse("accounts:otp_setup") + "?next=/admin/", {"code": "000000" if code(device) != "000000" else "111111"})
    assert "Koden passer ikke" in wrong.content.decode()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)):  # after the throttle
        device.refresh_from_db()
        ok = client.post(reverse("accounts:otp_setup") + "?next=/admin/", {"code": code(device)})
        assert ok.status_code == 302 and ok["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_staff_with_a_device_give_a_code_and_staff_without_do_not(client, make_user, team):
    make_user(Role.GUIDE, [team], username="plain")
    login(client, "plain")
    assert client.get(reverse("people:search")).status_code == 200
    client.logout()

    user = make_user(Role.GUIDE, [team], username="careful")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    login(client, "careful")
    response = client.get(reverse("people:search"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert "Koden passer ikke" in client.post(reverse("accounts:otp_verify"), {"code": "12"}).content.decode()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)):  # after the throttle
        device.refresh_from_db()
        ok = client.post(reverse("accounts:otp_verify") + "?next=" + reverse("people:search"), {"code": code(device)})
        assert ok.status_code == 302 and ok["Location"] == reverse("people:search")
        assert client.get(reverse("people:search")).status_code == 200


def test_next_never_leaves_the_site(client, make_user, team):
    user = make_user(Role.GUIDE, [team], username="redirected")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    login(client, "redirected")
    response = client.post(reverse("accounts:otp_verify") + "?next=https://evil.example/", {"code": code(device)})
    assert response["Location"] == "/"
