"""Run the scheduled jobs (auto-completion of orders after the claim period, and the
retention and privacy jobs as they join). See the README, "Scheduled jobs"."""

import time

from django.core.management.base import BaseCommand

from ex1000.core.schedules import JOBS, run_all, run_schedules_task


class Command(BaseCommand):
    help = "Run the scheduled jobs once, every --every seconds, or --enqueue them as a task."

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help=f"jobs to run (default all: {', '.join(JOBS)})")
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")
        parser.add_argument("--enqueue", action="store_true", help="run through the task backend")

    def handle(self, *args, jobs, every, enqueue, **options):
        unknown = sorted(set(jobs) - set(JOBS))
        if unknown:
            self.stderr.write(f"unknown jobs: {', '.join(unknown)}; known: {', '.join(JOBS)}")
            raise SystemExit(2)
        while True:
            if enqueue:
                result = run_schedules_task.enqueue(jobs or None)
                self.stdout.write(f"enqueued {result.id}")
            else:
                for name, outcome in run_all(jobs or None).items():
                    self.stdout.write(f"{name}: {outcome}")
            if every <= 0:
                return
            time.sleep(every)
