"""The HTTP API against the real TimescaleDB: queries, validation, health and an OpenAPI run."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, text

from tests.support.http_server import serve_app
from tests.support.testvm import REPO_ROOT
from tsloop.adapters.engine import create_db_engine
from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.adapters.schema_status import SqlSchemaStatus
from tsloop.adapters.sql_commands import SqlReadingCommands
from tsloop.adapters.sql_queries import SqlReadingQueries
from tsloop.domain import Reading
from tsloop.entrypoints.http import HttpContext, create_app
from tsloop.usecases.liveness import LoopState

SOURCE = "web"
METRICS = ("m0", "m1", "m2")
READINGS_PER_SERIES = 600
# The readings end at the start of the current minute, so the dashboard's
# default window of recent buckets contains them.
END = datetime.now(UTC).replace(second=0, microsecond=0)
START = END - timedelta(seconds=READINGS_PER_SERIES)
WINDOW = {"start": START.isoformat(), "end": END.isoformat()}
SCHEMATHESIS_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def wave(metric_index: int, second: int) -> float:
    return 50.0 + 10.0 * math.sin(second / 60.0) + metric_index


def context_for(queries_engine: Engine, schema: SqlSchemaStatus) -> HttpContext:
    return HttpContext(
        queries=SqlReadingQueries(queries_engine),
        schema=schema,
        registry=PrometheusTelemetry().registry,
        loop_state=lambda: LoopState(interval=1.0, started=0.0, last_tick=None),
        monotonic=lambda: 1.0,
    )


@pytest.fixture(scope="module")
def stored(owner_engine: Engine, runtime_engine: Engine) -> None:
    """Replace the table's contents with three series of READINGS_PER_SERIES readings."""
    with owner_engine.begin() as connection:
        connection.execute(text("TRUNCATE readings"))
    readings = [
        Reading(START + timedelta(seconds=second), SOURCE, metric, wave(index, second))
        for index, metric in enumerate(METRICS)
        for second in range(READINGS_PER_SERIES)
    ]
    assert SqlReadingCommands(runtime_engine).insert_batch(readings) == len(readings)


@pytest.fixture(scope="module")
def app(stored: None, runtime_engine: Engine) -> FastAPI:
    schema = SqlSchemaStatus(runtime_engine, lambda: REPO_ROOT / "database")
    return create_app(context_for(runtime_engine, schema))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    with serve_app(app) as url:
        yield url


def test_series_lists_stored_series(client: TestClient) -> None:
    response = client.get("/api/series")

    assert response.status_code == 200
    assert response.json()["series"] == [{"source": SOURCE, "metric": m} for m in METRICS]


def test_latest_returns_last_reading(client: TestClient) -> None:
    response = client.get("/api/latest")

    readings = response.json()["readings"]
    assert response.status_code == 200
    assert [row["metric"] for row in readings] == list(METRICS)
    assert readings[0]["time"] == (END - timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert readings[0]["value"] == pytest.approx(wave(0, READINGS_PER_SERIES - 1))


def test_readings_pages_cover_range_once(client: TestClient) -> None:
    times: list[str] = []
    params = {"source": SOURCE, "metric": "m1", "limit": 250, **WINDOW}
    pages = 0

    for _ in range(10):
        response = client.get("/api/readings", params=params)
        assert response.status_code == 200
        body = response.json()
        times += [row["time"] for row in body["readings"]]
        pages += 1
        if body["next_start"] is None:
            break
        params["start"] = body["next_start"]

    assert pages == 3
    assert len(times) == READINGS_PER_SERIES
    assert len(set(times)) == READINGS_PER_SERIES


def test_buckets_aggregate_each_minute(client: TestClient) -> None:
    params = {"source": SOURCE, "metric": "m2", "width": "1m", **WINDOW}

    response = client.get("/api/buckets", params=params)

    buckets = response.json()["buckets"]
    first_minute = [wave(2, second) for second in range(60)]
    assert response.status_code == 200
    assert len(buckets) == READINGS_PER_SERIES // 60
    assert {bucket["count"] for bucket in buckets} == {60}
    assert buckets[0]["avg"] == pytest.approx(sum(first_minute) / 60)
    assert buckets[0]["min"] == pytest.approx(min(first_minute))
    assert buckets[0]["max"] == pytest.approx(max(first_minute))


def test_buckets_of_all_series(client: TestClient) -> None:
    response = client.get("/api/buckets", params={"width": "1m", **WINDOW})

    buckets = response.json()["buckets"]
    assert response.status_code == 200
    assert len(buckets) == READINGS_PER_SERIES // 60 * len(METRICS)
    assert {bucket["metric"] for bucket in buckets} == set(METRICS)


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/readings", {"source": SOURCE, "metric": "nope", **WINDOW}, "no series with"),
        ("/api/buckets", {"source": "nope", **WINDOW}, "no series with source 'nope'"),
        (
            "/api/readings",
            {"source": SOURCE, "metric": "m0", "start": WINDOW["end"], "end": WINDOW["start"]},
            "must be before end",
        ),
        ("/api/buckets", {"width": "1s", "start": "2025-01-01T00:00:00Z"}, "exceed the maximum"),
        (
            "/api/readings",
            {"source": SOURCE, "metric": "m0", "limit": 10_001},
            "less than or equal",
        ),
    ],
)
def test_invalid_query_returns_422(
    client: TestClient, path: str, params: dict[str, str | int], message: str
) -> None:
    response = client.get(path, params=params)

    assert response.status_code == 422
    assert message in response.json()["detail"][0]["msg"]


def test_readyz_at_head_returns_200(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "schema": "ok: revision 0001"},
    }


def test_readyz_behind_head_returns_503(runtime_engine: Engine, tmp_path: Path) -> None:
    migrations = tmp_path / "database"
    shutil.copytree(REPO_ROOT / "database", migrations)
    (migrations / "versions" / "0002_later.py").write_text(
        'revision = "0002"\ndown_revision = "0001"\n'
        "def upgrade() -> None: ...\ndef downgrade() -> None: ...\n"
    )
    app = create_app(
        context_for(runtime_engine, SqlSchemaStatus(runtime_engine, lambda: migrations))
    )

    response = TestClient(app).get("/readyz")

    assert response.status_code == 503
    assert "revision 0001 is not the head revision 0002" in response.json()["checks"]["schema"]


def test_readyz_unreachable_database_returns_503(runtime_engine: Engine) -> None:
    unreachable = create_db_engine(runtime_engine.url.set(host="127.0.0.1", port=1))
    schema = SqlSchemaStatus(unreachable, lambda: REPO_ROOT / "database")
    app = create_app(context_for(unreachable, schema))

    response = TestClient(app).get("/readyz")
    unreachable.dispose()

    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("failed: ")


def test_openapi_served_by_live_server(base_url: str) -> None:
    response = httpx.get(f"{base_url}/openapi.json", timeout=10)

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "tsloop"


# NOTE: schemathesis.pytest.from_fixture fails under pytest 9.2 (it sets the
# removed Function._nodeid), so each operation's strategy is run with @given.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_openapi_conformance(base_url: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    tested = []

    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not operation.query:
            continue  # an operation without parameters has no invalid input

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=SCHEMATHESIS_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check_operation(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30)

        check_operation()
        tested.append(operation.label)

    assert len(tested) >= (2 if mode is GenerationMode.NEGATIVE else 7), tested
