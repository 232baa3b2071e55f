"""Schemathesis: generated requests against the API, every answer checked against /api/openapi.json."""

from __future__ import annotations

import pytest
import schemathesis
from apiserver import make_app
from conftest import TERMS_YAML
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from glossary.web import openapi

# A small body limit and batch size, so that generated bodies also meet the 413 answers.
MAX_BODY = 4096
MAX_ITEMS = 3
# Per operation and generation mode (valid and invalid data): a few hundred requests in all.
EXAMPLES = 80
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Loaded from the module that serves /api/openapi.json (the fixture checks
# that the app serves exactly this), because schemathesis's fixture-based
# loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(openapi.document(max_body=MAX_BODY, max_items=MAX_ITEMS))
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemathesis")
    terms = folder / "terms.yaml"
    terms.write_text(TERMS_YAML, encoding="utf-8")
    app = make_app(folder, terms, GLOSSARY_API_MAX_BODY=MAX_BODY, GLOSSARY_BATCH_MAX_ITEMS=MAX_ITEMS)
    assert app.test_client().get("/api/openapi.json").get_json() == schema.raw_schema
    return app


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_answers_as_its_openapi_document_says(case, api_app):
    case.call_and_validate(app=api_app, checks=CHECKS)
