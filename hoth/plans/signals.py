from django.db.models.signals import post_save
from django.dispatch import receiver

from hoth.tasks.models import Task


@receiver(post_save, sender=Task, dispatch_uid="plans.task_finished")
def _task_saved(sender, instance, created, **kwargs):
    if created or instance.status == Task.Status.OPEN:
        return
    from .services import action_task_finished

    action_task_finished(instance)
