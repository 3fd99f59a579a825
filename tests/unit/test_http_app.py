"""HTTP app with fake ports: status codes, validation messages and response bodies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fake_queries import FakeQueries, FakeSchemaStatus
from fastapi.testclient import TestClient

from tsloop.adapters.prometheus_telemetry import PrometheusTelemetry
from tsloop.domain import Reading
from tsloop.entrypoints.http import HttpContext, create_app
from tsloop.entrypoints.http.api import MAX_PAGE_LIMIT
from tsloop.usecases.errors import StorageError
from tsloop.usecases.liveness import LoopState

T0 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
WINDOW = {"start": "2026-02-01T08:00:00Z", "end": "2026-02-01T09:00:00Z"}


class Loop:
    def __init__(self) -> None:
        self.state = LoopState(interval=1.0, started=100.0, last_tick=101.0)


@pytest.fixture
def queries() -> FakeQueries:
    rows = [Reading(T0 + timedelta(seconds=i), "s", "a", float(i)) for i in range(30)]
    return FakeQueries([*rows, Reading(T0, "t", "b", 7.0)])


@pytest.fixture
def schema() -> FakeSchemaStatus:
    return FakeSchemaStatus()


@pytest.fixture
def loop() -> Loop:
    return Loop()


@pytest.fixture
def telemetry() -> PrometheusTelemetry:
    return PrometheusTelemetry()


@pytest.fixture
def client(
    queries: FakeQueries, schema: FakeSchemaStatus, loop: Loop, telemetry: PrometheusTelemetry
) -> Iterator[TestClient]:
    context = HttpContext(
        queries=queries,
        schema=schema,
        registry=telemetry.registry,
        loop_state=lambda: loop.state,
        monotonic=lambda: 102.0,
    )
    with TestClient(create_app(context)) as test_client:
        yield test_client


def messages(response_json: dict[str, list[dict[str, str]]]) -> str:
    return " | ".join(item["msg"] for item in response_json["detail"])


def test_series_lists_every_series(client: TestClient) -> None:
    response = client.get("/api/series")

    assert response.status_code == 200
    assert response.json() == {
        "series": [{"source": "s", "metric": "a"}, {"source": "t", "metric": "b"}]
    }


def test_latest_returns_newest_values(client: TestClient) -> None:
    response = client.get("/api/latest")

    assert response.status_code == 200
    assert [row["value"] for row in response.json()["readings"]] == [29.0, 7.0]


def test_readings_page_and_next_start(client: TestClient) -> None:
    response = client.get(
        "/api/readings", params={"source": "s", "metric": "a", "limit": 10, **WINDOW}
    )

    body = response.json()
    assert response.status_code == 200
    assert len(body["readings"]) == 10
    assert body["readings"][0] == {"time": "2026-02-01T08:00:00Z", "value": 0.0}
    assert body["next_start"] == "2026-02-01T08:00:10Z"


def test_buckets_aggregate_one_series(client: TestClient) -> None:
    params = {"source": "s", "metric": "a", "width": "10s", **WINDOW}

    response = client.get("/api/buckets", params=params)

    body = response.json()
    assert response.status_code == 200
    assert body["width_seconds"] == 10.0
    assert [(b["count"], b["min"], b["max"]) for b in body["buckets"]] == [
        (10, 0.0, 9.0),
        (10, 10.0, 19.0),
        (10, 20.0, 29.0),
    ]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/readings", {"source": "s", "metric": "zz"}, "no series with source 's'"),
        ("/api/buckets", {"metric": "zz"}, "no series with metric 'zz'"),
        (
            "/api/readings",
            {"source": "s", "metric": "a", "start": WINDOW["end"], "end": WINDOW["start"]},
            "must be before end",
        ),
        ("/api/buckets", {"width": "1s", "start": "2026-01-01T00:00:00Z"}, "exceed the maximum"),
        ("/api/buckets", {"width": "0s"}, "positive duration"),
        ("/api/buckets", {"width": "ten"}, "should match pattern"),
        (
            "/api/readings",
            {"source": "s", "metric": "a", "limit": MAX_PAGE_LIMIT + 1},
            "less than or equal to 10000",
        ),
        (
            "/api/readings",
            {"source": "s", "metric": "a", "start": "2026-02-01T08:00:00"},
            "timezone",
        ),
        ("/api/readings", {"source": "s"}, "Field required"),
    ],
)
def test_invalid_query_returns_422(
    client: TestClient, path: str, params: dict[str, str | int], message: str
) -> None:
    response = client.get(path, params={**WINDOW, **params} if "start" not in params else params)

    assert response.status_code == 422
    assert message in messages(response.json())


def test_storage_error_returns_503(client: TestClient, queries: FakeQueries) -> None:
    queries.fail = True

    response = client.get("/api/latest")

    assert response.status_code == 503
    assert response.json() == {"detail": "database query failed: connection refused"}


def test_healthz_alive_returns_200(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["alive"] is True


def test_healthz_stopped_loop_returns_503(client: TestClient, loop: Loop) -> None:
    loop.state = LoopState(interval=1.0, started=100.0, last_tick=101.0, stopped="finished")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["reason"] == "sampling loop stopped: finished"


def test_readyz_ready_returns_200(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "schema": "ok: revision 0001"},
    }


def test_readyz_database_down_returns_503(client: TestClient, schema: FakeSchemaStatus) -> None:
    schema.current = StorageError("connection refused")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed: connection refused"


def test_metrics_in_prometheus_format(client: TestClient, telemetry: PrometheusTelemetry) -> None:
    telemetry.readings_written(12)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "tsloop_readings_written_total 12.0" in response.text


def test_openapi_lists_query_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert {"/api/series", "/api/latest", "/api/readings", "/api/buckets"} <= set(paths)
    assert {"/healthz", "/readyz", "/metrics"} <= set(paths)
    assert "/" not in paths


def test_dashboard_and_chart_library_served(client: TestClient) -> None:
    page = client.get("/")
    library = client.get("/static/vendor/uPlot.iife.min.js")

    assert page.status_code == 200
    assert "static/dashboard.js" in page.text
    assert library.status_code == 200
    assert library.text.startswith("/*! https://github.com/leeoniya/uPlot")
