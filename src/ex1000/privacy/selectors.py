from .models import PolicyVersion


def current_policy() -> PolicyVersion | None:
    return PolicyVersion.objects.order_by("-published_at").first()


def policy_versions():
    return PolicyVersion.objects.order_by("-published_at")
