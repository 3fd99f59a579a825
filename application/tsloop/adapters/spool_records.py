"""Binary record format of the spool: framed, checksummed JSON batches of readings.

A record is MAGIC (4 bytes), the payload length and the CRC-32 of the payload
(unsigned 32-bit big-endian each), then the payload: UTF-8 JSON of the form
{"r": [[microseconds since the Unix epoch, source, metric, value], ...]}.
The magic lets a reader find the next record after a damaged one.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tsloop.domain import InvalidReading, Reading

MAGIC = b"TSR1"
HEADER = struct.Struct(">4sII")
# Larger lengths are taken as damage: a batch of 10 000 readings with labels of
# 200 characters each encodes to about 4.2 MB.
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_record(readings: Sequence[Reading]) -> bytes:
    """Return one record that contains `readings`."""
    rows = [
        [
            (reading.time - EPOCH) // timedelta(microseconds=1),
            reading.source,
            reading.metric,
            reading.value,
        ]
        for reading in readings
    ]
    payload = json.dumps({"r": rows}, separators=(",", ":"), allow_nan=False).encode()
    return HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


@dataclass
class DecodedRecords:
    """Readings read back from a run of records, and counts of what was skipped."""

    readings: list[Reading] = field(default_factory=list)
    corrupt_records: int = 0
    invalid_readings: int = 0
    truncated_bytes: int = 0


def decode_records(data: bytes) -> DecodedRecords:
    """Return the readings of every intact record in `data`, in order.

    A record with a bad header, checksum or payload counts as corrupt and the
    reader resumes at the next MAGIC. An incomplete record at the end, as a
    crash during a write leaves it, is counted in `truncated_bytes`.
    """
    result = DecodedRecords()
    position = 0
    while position < len(data):
        if len(data) - position < HEADER.size:
            result.truncated_bytes = len(data) - position
            break
        magic, length, checksum = HEADER.unpack_from(data, position)
        if magic != MAGIC or length > MAX_PAYLOAD_BYTES:
            result.corrupt_records += 1
            position = _next_magic(data, position + 1)
            continue
        end = position + HEADER.size + length
        if end > len(data):
            result.truncated_bytes = len(data) - position
            break
        payload = data[position + HEADER.size : end]
        if zlib.crc32(payload) != checksum or not _decode_payload(payload, result):
            result.corrupt_records += 1
            position = _next_magic(data, position + 1)
            continue
        position = end
    return result


def _next_magic(data: bytes, start: int) -> int:
    found = data.find(MAGIC, start)
    return len(data) if found < 0 else found


def _decode_payload(payload: bytes, result: DecodedRecords) -> bool:
    """Append the payload's readings to `result`, or return False if it is not a valid batch."""
    try:
        rows = json.loads(payload)["r"]
        parsed = [
            (EPOCH + timedelta(microseconds=int(row[0])), row[1], row[2], row[3]) for row in rows
        ]
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):
        return False
    for time, source, metric, value in parsed:
        try:
            result.readings.append(Reading(time, source, metric, value))
        except InvalidReading:
            result.invalid_readings += 1
    return True
