"""Sent by `yuanqu tasks recover` (yuanqu.jobs.services.tasks_recover) for a task whose worker
died: `task_requeued` when it goes back to the queue, `task_abandoned` when it has died with its
worker YUANQU_TASK_MAX_ATTEMPTS times and is given up (marked failed). The sender is the task's
module path ("yuanqu.imports.tasks.import_upload"); `task_result` the django-tasks result.
A module whose task leaves state of its own behind (an import record 处理中) tidies it here."""

from django.dispatch import Signal

task_requeued = Signal()
task_abandoned = Signal()
