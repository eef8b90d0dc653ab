from .models import ExportJob, PolicyVersion


def current_policy() -> PolicyVersion | None:
    return PolicyVersion.objects.order_by("-published_at").first()


def policy_versions():
    return PolicyVersion.objects.order_by("-published_at")


def export_jobs_of(user):
    return ExportJob.objects.filter(user=user)
