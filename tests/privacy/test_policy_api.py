"""The privacy policy through the API, and the codes of its refusals."""

import pytest

from ex1000.core.errors import AppError
from ex1000.privacy import services
from ex1000.privacy.models import PolicyVersion
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_the_current_policy_is_served(api):
    body = api.get("privacy/policy").json()

    assert body["version"] == PolicyVersion.objects.latest().version


def test_without_a_published_policy_the_api_says_so(api, login_api, buyer):
    PolicyVersion.objects.all().delete()

    assert assert_problem(api.get("privacy/policy"), 404)["code"] == "no_policy"
    body = assert_problem(login_api(buyer).post("privacy/policy/accept"), 404)
    assert body["code"] == "no_policy"


def test_accepting_an_old_version_names_the_current_one():
    old = PolicyVersion.objects.latest().version
    services.publish_policy(version="2099-1", text="New terms.", material=True)

    with pytest.raises(AppError) as refused:
        services.require_current_policy(old)

    assert refused.value.code == "current_policy_required"
    assert "2099-1" in refused.value.detail
    assert refused.value.rendered_errors() == {"accepted_policy_version": [refused.value.detail]}
