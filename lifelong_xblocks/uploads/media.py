"""How long an audio or video upload plays, read from the container (nothing is decoded).

``mutagen`` reads MP3, MP4/M4A, Ogg, WAV.  WebM is what Chromium's and Firefox's MediaRecorder
write, with no Duration element (the recorder does not know it when it writes the header), and
no maintained Python library derives the length of such a file, so :func:`webm_duration` walks
the EBML elements and takes the latest block timestamp.  Only element headers and the first
bytes of each block are read; everything else is skipped with ``seek``.
"""
import struct

import mutagen

SEGMENT, INFO, CLUSTER, BLOCK_GROUP = 0x18538067, 0x1549A966, 0x1F43B675, 0xA0
TIMECODE_SCALE, DURATION, CLUSTER_TIMECODE = 0x2AD7B1, 0x4489, 0xE7
SIMPLE_BLOCK, BLOCK = 0xA3, 0xA1
CONTAINERS = {SEGMENT, INFO, CLUSTER, BLOCK_GROUP}
MAX_ELEMENTS = 2_000_000   # about 11 hours of 20 ms Opus frames: a bound on the walk


def duration_seconds(fileobj, content_type):
    """Seconds of playback, or None when the container does not say."""
    fileobj.seek(0)
    try:
        if content_type == "audio/webm":
            return webm_duration(fileobj)
        found = mutagen.File(fileobj)
        length = getattr(getattr(found, "info", None), "length", None)
        return float(length) if length else None
    except Exception:  # noqa: BLE001 - a file we cannot read has no known length
        return None
    finally:
        fileobj.seek(0)


def _vint(fileobj, keep_marker):
    first = fileobj.read(1)
    if not first:
        return None, 0
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise ValueError("bad EBML length")
    rest = fileobj.read(length - 1)
    if len(rest) != length - 1:
        return None, 0
    value = byte if keep_marker else byte & (mask - 1)
    all_ones = (byte & (mask - 1)) == mask - 1 and all(b == 0xFF for b in rest)
    for b in rest:
        value = (value << 8) | b
    return (-1 if all_ones and not keep_marker else value), length


def webm_duration(fileobj):
    """Seconds from the start to the last block of a WebM/Matroska file, or None."""
    scale = 1_000_000          # nanoseconds per tick, Matroska's default TimecodeScale
    declared = None
    cluster_time = 0
    latest = None
    for _ in range(MAX_ELEMENTS):
        element, _id_len = _vint(fileobj, keep_marker=True)
        if element is None:
            break
        size, _size_len = _vint(fileobj, keep_marker=False)
        if size is None:
            break
        if element in CONTAINERS:
            continue            # descend: children follow (works for unknown sizes too)
        if size < 0:
            break               # an unknown size is only expected on containers
        data_start = fileobj.tell()
        if element == TIMECODE_SCALE:
            scale = int.from_bytes(fileobj.read(size), "big") or scale
        elif element == DURATION and size in (4, 8):
            declared = struct.unpack(">f" if size == 4 else ">d", fileobj.read(size))[0]
        elif element == CLUSTER_TIMECODE:
            cluster_time = int.from_bytes(fileobj.read(size), "big")
        elif element in (SIMPLE_BLOCK, BLOCK):
            _vint(fileobj, keep_marker=False)   # the track number
            relative = fileobj.read(2)
            if len(relative) == 2:
                stamp = cluster_time + struct.unpack(">h", relative)[0]
                latest = stamp if latest is None else max(latest, stamp)
        fileobj.seek(data_start + size)
    candidates = [value for value in ((latest * scale / 1e9) if latest is not None else None,
                                      (declared * scale / 1e9) if declared else None) if value]
    return max(candidates) if candidates else None
