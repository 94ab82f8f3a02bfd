"""/health/ for the load balancer and monitoring: is the database there, is the task
queue moving. No login, no pupil data: only two counts."""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """200 with the queue's state, or 503 when the database does not answer (the load
    balancer then sends no traffic to this server)."""
    try:
        tasks = DBTaskResult.objects.all()
        state = {
            "database": "ok",
            "tasks": {
                "queued": tasks.filter(status=TaskResultStatus.READY).count(),
                "failed_last_hour": tasks.filter(
                    status=TaskResultStatus.FAILED,
                    finished_at__gte=timezone.now() - timedelta(hours=1),
                ).count(),
            },
        }
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"database": "error"}, status=503)
    return JsonResponse(state)


@never_cache
@require_safe
def ready(request):
    """/health/ready/: 200 only when this server's code and the database agree, that is
    every migration of this release is applied; 503 while `migrate` has not run yet (the
    load balancer then keeps this new server out of the pool)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("Readiness check: the database does not answer")
        return JsonResponse({"database": "error"}, status=503)
    if pending:
        return JsonResponse(
            {"database": "ok", "migrations": "pending", "pending": len(pending)}, status=503
        )
    return JsonResponse({"database": "ok", "migrations": "ok"})
