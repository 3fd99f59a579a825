"""Spool contract on the file spool and the in-memory fake, and the file format's damage cases."""

from __future__ import annotations

import zlib
from datetime import timedelta

import pytest
from fakes import START_WALL, FakeSource, FakeSpool

from tsloop.adapters.file_spool import FileSpool, segment_name
from tsloop.adapters.spool_records import HEADER, decode_records, encode_record
from tsloop.domain import Reading
from tsloop.usecases.errors import StartupError

pytestmark = pytest.mark.unit


def tick(number, series=3):
    return FakeSource(series=series, source=f"tick{number}").sample(
        START_WALL + timedelta(seconds=number)
    )


@pytest.fixture(params=["file", "fake"])
def spool(request, tmp_path):
    if request.param == "fake":
        yield FakeSpool()
        return
    file_spool = FileSpool(tmp_path / "spool", max_bytes=1_000_000)
    yield file_spool
    file_spool.close()


def replay_all(spool):
    replayed = []
    for _ in range(100):
        segment = spool.oldest()
        if segment is None:
            break
        replayed.extend(segment.readings)
        spool.remove(segment)
    return replayed


class TestSpoolContract:
    def test_empty_spool_has_nothing_pending(self, spool):
        assert not spool.pending()
        assert spool.oldest() is None
        assert spool.size() == 0

    def test_replays_in_append_order(self, spool):
        ticks = [tick(number) for number in range(5)]
        for readings in ticks:
            assert spool.append(readings)

        replayed = replay_all(spool)

        assert replayed == [reading for readings in ticks for reading in readings]
        assert not spool.pending()
        assert spool.size() == 0

    def test_segment_stays_until_removed(self, spool):
        spool.append(tick(0))

        first = spool.oldest()
        again = spool.oldest()

        assert first is not None and again is not None
        assert again.readings == first.readings
        assert spool.pending()

    def test_appends_after_oldest_go_to_a_later_segment(self, spool):
        spool.append(tick(0))
        segment = spool.oldest()
        spool.append(tick(1))

        spool.remove(segment)

        assert replay_all(spool) == tick(1)


def test_file_spool_rejects_append_over_cap(tmp_path):
    record_size = len(encode_record(tick(0)))
    spool = FileSpool(tmp_path, max_bytes=2 * record_size + 10)

    results = [spool.append(tick(number)) for number in range(3)]

    assert results == [True, True, False]
    assert spool.size() == 2 * record_size
    spool.close()


def test_file_spool_survives_restart(tmp_path):
    spool = FileSpool(tmp_path, max_bytes=1_000_000)
    spool.append(tick(0))
    spool.append(tick(1))
    spool.close()

    reopened = FileSpool(tmp_path, max_bytes=1_000_000)
    reopened.append(tick(2))

    assert reopened.pending()
    assert replay_all(reopened) == tick(0) + tick(1) + tick(2)
    assert list(tmp_path.glob("segment-*")) == []
    reopened.close()


def test_second_process_cannot_share_folder(tmp_path):
    spool = FileSpool(tmp_path, max_bytes=1_000_000)

    with pytest.raises(StartupError, match="in use by another tsloop process"):
        FileSpool(tmp_path, max_bytes=1_000_000)
    spool.close()


def test_truncated_record_is_skipped_and_counted(tmp_path):
    data = encode_record(tick(0)) + encode_record(tick(1))[:-7]
    (tmp_path / segment_name(1)).write_bytes(data)
    spool = FileSpool(tmp_path, max_bytes=1_000_000)

    segment = spool.oldest()

    assert segment is not None
    assert segment.readings == tick(0)
    assert segment.truncated_bytes == len(encode_record(tick(1))) - 7
    assert segment.corrupt_records == 0
    spool.close()


def test_corrupt_checksum_skips_only_that_record():
    first, second, third = (bytearray(encode_record(tick(number))) for number in range(3))
    second[HEADER.size + 5] ^= 0xFF

    decoded = decode_records(bytes(first + second + third))

    assert decoded.readings == tick(0) + tick(2)
    assert decoded.corrupt_records == 1
    assert decoded.truncated_bytes == 0


def test_garbage_between_records_is_skipped():
    data = encode_record(tick(0)) + b"\x00garbage\xff" * 3 + encode_record(tick(1))

    decoded = decode_records(data)

    assert decoded.readings == tick(0) + tick(1)
    assert decoded.corrupt_records == 1


def test_damaged_length_resyncs_at_next_record():
    first = bytearray(encode_record(tick(0)))
    first[4:8] = (0xFFFFFFFF).to_bytes(4, "big")

    decoded = decode_records(bytes(first) + encode_record(tick(1)))

    assert decoded.readings == tick(1)
    assert decoded.corrupt_records == 1


def test_cut_header_counts_as_truncated():
    data = encode_record(tick(0)) + encode_record(tick(1))[:5]

    decoded = decode_records(data)

    assert decoded.readings == tick(0)
    assert decoded.truncated_bytes == 5


def test_invalid_reading_in_record_is_counted():
    good = Reading(START_WALL, "s", "m", 1.0)
    record = encode_record([good]).replace(b'"s"', b'""')
    # Recompute length and checksum, as a writer with a bug would have produced it.
    payload = record[HEADER.size :]
    record = HEADER.pack(b"TSR1", len(payload), zlib.crc32(payload)) + payload

    decoded = decode_records(record + encode_record([good]))

    assert decoded.readings == [good]
    assert decoded.invalid_readings == 1
    assert decoded.corrupt_records == 0


def test_record_round_trip_keeps_microseconds():
    reading = Reading(START_WALL + timedelta(microseconds=7), "s", "m", 1e-300)

    decoded = decode_records(encode_record([reading]))

    assert decoded.readings == [reading]
