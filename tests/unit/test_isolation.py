"""Batch splitting that isolates rows the database rejects."""

from __future__ import annotations

import pytest
from fakes import START_WALL, FakeSource, ScriptedCommands

from tsloop.domain import Reading
from tsloop.usecases.errors import TransientStorageError
from tsloop.usecases.isolation import insert_isolating

pytestmark = pytest.mark.unit


@pytest.fixture
def batch():
    return FakeSource(series=16).sample(START_WALL)


def test_good_batch_takes_one_round_trip(batch):
    commands = ScriptedCommands()

    outcome = insert_isolating(commands, batch, lambda reading, reason: None)

    assert (outcome.inserted, outcome.rejected, outcome.duplicate) == (16, 0, 0)
    assert commands.attempts == 1


def test_one_bad_row_is_isolated(batch):
    commands = ScriptedCommands()
    commands.reject = {-1.0}
    # FakeSource gives every reading of a call the same value, so one gets its own.
    bad = batch[5]
    batch = [*batch[:5], Reading(bad.time, bad.source, bad.metric, -1.0), *batch[6:]]
    rejected = []

    outcome = insert_isolating(commands, batch, lambda reading, reason: rejected.append(reading))

    assert (outcome.inserted, outcome.rejected) == (15, 1)
    assert [reading.value for reading in rejected] == [-1.0]
    assert len(commands.rows) == 15
    assert commands.attempts <= 1 + 2 * 4


def test_all_bad_rows_are_rejected(batch):
    commands = ScriptedCommands()
    commands.reject = {batch[0].value}
    rejected = []

    outcome = insert_isolating(commands, batch, lambda reading, reason: rejected.append(reason))

    assert (outcome.inserted, outcome.rejected) == (0, 16)
    assert rejected[0] == "value violates check constraint"


def test_duplicates_are_counted(batch):
    commands = ScriptedCommands()
    commands.insert_batch(batch[:4])

    outcome = insert_isolating(commands, batch, lambda reading, reason: None)

    assert (outcome.inserted, outcome.duplicate) == (12, 4)


def test_transient_error_propagates(batch):
    commands = ScriptedCommands()
    commands.down = True

    with pytest.raises(TransientStorageError):
        insert_isolating(commands, batch, lambda reading, reason: None)
