"""Structured logs (config/logs.py): JSON lines with LOG_FORMAT=json, each with the id of
its request."""

import json
import logging
import logging.config

import pytest

from config.logs import logging_config


@pytest.fixture
def log_format(settings):
    """Configure logging as the settings would with LOG_FORMAT=<format>; restore after."""

    def configure(name):
        logging.config.dictConfig(logging_config(name, "WARNING"))

    yield configure
    logging.config.dictConfig(settings.LOGGING)


def test_json_lines_carry_level_logger_message_and_request_id(client, capsys, log_format):
    log_format("json")
    response = client.get("/bestaat-niet/")  # Django logs "Not Found" as a warning
    assert response.status_code == 404
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    line = next(entry for entry in lines if entry["logger"] == "django.request")
    assert line["level"] == "WARNING"
    assert "/bestaat-niet/" in line["message"]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_plain_text_by_default(capsys, log_format):
    log_format("text")
    logging.getLogger("route2035.test").warning("gewoon tekst")
    out = capsys.readouterr().out
    assert "WARNING route2035.test [-] gewoon tekst" in out


def test_an_incoming_request_id_counts_only_behind_our_own_proxy(client, settings, db):
    header = {"HTTP_X_REQUEST_ID": "lb-0123456789abcdef"}
    settings.TRUSTED_PROXY_COUNT = 0
    assert client.get("/health/", **header)["X-Request-ID"] != "lb-0123456789abcdef"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/health/", **header)["X-Request-ID"] == "lb-0123456789abcdef"
    # Not an id: replaced by our own.
    odd = {"HTTP_X_REQUEST_ID": "<script>"}
    assert client.get("/health/", **odd)["X-Request-ID"] != "<script>"
