"""Log lines that can be followed across app servers: JSON lines on stdout with
LOG_FORMAT=json (for the log collector), plain text otherwise, each with the id of the
request that wrote it.

What is logged never holds pupil data: the app logs ids, counts and paths, never names
(see docs/security.md)."""

import contextvars
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished

NO_REQUEST = "-"
request_id = contextvars.ContextVar("request_id", default=NO_REQUEST)
# What a proxy of our own may hand on: a uuid or a similar short token, nothing else.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter:
    """Adds record.request_id ("-" outside a request: a task worker, a command)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Gives every request an id for its log lines and answers it in X-Request-ID.

    An incoming X-Request-ID is kept only behind proxies of our own (TRUSTED_PROXY_COUNT
    > 0), so the load balancer's id and ours are the same; otherwise a client could
    choose the ids in our logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        if settings.TRUSTED_PROXY_COUNT > 0 and INCOMING_ID.match(incoming):
            current = incoming
        else:
            current = uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx/5xx response after the middleware
        # has returned; request_finished resets it.
        request_id.set(current)
        response = self.get_response(request)
        response["X-Request-ID"] = current
        return response


def _forget_request_id(**kwargs):
    request_id.set(NO_REQUEST)


request_finished.connect(_forget_request_id, dispatch_uid="config.logs.forget_request_id")


def logging_config(log_format: str, level: str) -> dict:
    """settings.LOGGING: everything to stdout, as JSON lines or as plain text."""
    formatters = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "json" if log_format == "json" else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
