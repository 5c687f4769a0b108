"""How long an audio or video upload plays, read from the container (nothing is decoded).

``mutagen`` reads MP3, MP4/M4A, Ogg, WAV.  Two kinds of recording need more, because their
headers are written before the recorder knows the length:

* WebM (Chromium's and Firefox's MediaRecorder) has no Duration element: :func:`webm_duration`
  walks the EBML elements and takes the latest block timestamp;
* fragmented MP4 (Safari's MediaRecorder, Chromium's ``audio/mp4``, streaming encoders) keeps its
  samples in ``moof`` fragments and says 0 (or nothing) in ``moov``: :func:`fragmented_mp4_duration`
  adds up each fragment's sample durations from its ``tfdt`` start.

No maintained Python library derives either length, so both walk only the headers, skipping the
media data with ``seek``.
"""
import struct

import mutagen

SEGMENT, INFO, CLUSTER, BLOCK_GROUP = 0x18538067, 0x1549A966, 0x1F43B675, 0xA0
TIMECODE_SCALE, DURATION, CLUSTER_TIMECODE = 0x2AD7B1, 0x4489, 0xE7
SIMPLE_BLOCK, BLOCK = 0xA3, 0xA1
CONTAINERS = {SEGMENT, INFO, CLUSTER, BLOCK_GROUP}
MAX_ELEMENTS = 2_000_000   # about 11 hours of 20 ms Opus frames: a bound on the walk


def strip_tags(fileobj):
    """Remove the metadata tags an audio or video file carries (ID3, MP4 ``ilst``, Vorbis comments: artist,
    title, comments, pictures), in place.  Recordings reach other learners in the gallery, and tags
    may name the person, their phone or where they were; images lose theirs by re-encoding.  Returns
    True when the file changed."""
    fileobj.seek(0)
    try:
        found = mutagen.File(fileobj)
        if found is None or not found.tags:
            return False
        fileobj.seek(0)
        found.delete(fileobj)
        return True
    except Exception:  # noqa: BLE001 - a container mutagen cannot rewrite keeps its bytes
        return False
    finally:
        fileobj.seek(0)


def duration_seconds(fileobj, content_type):
    """Seconds of playback, or None when the container does not say."""
    fileobj.seek(0)
    try:
        if content_type == "audio/webm":
            return webm_duration(fileobj)
        found = mutagen.File(fileobj)
        length = getattr(getattr(found, "info", None), "length", None) or 0.0
        if content_type in ("audio/mp4", "video/mp4"):
            fileobj.seek(0)
            length = max(length, fragmented_mp4_duration(fileobj) or 0.0)
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


# ---- fragmented MP4 (ISO BMFF) ----------------------------------------------------------------
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"mvex", b"moof", b"traf"}
MAX_BOXES = 1_000_000


def _boxes(fileobj, end):
    """``(type, payload start, payload end)`` of the boxes from here to ``end`` (descending into
    the containers that matter)."""
    count = 0
    while count < MAX_BOXES:
        count += 1
        start = fileobj.tell()
        if end is not None and start + 8 > end:
            return
        header = fileobj.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        payload = start + 8
        if size == 1:
            size = struct.unpack(">Q", fileobj.read(8))[0]
            payload += 8
        box_end = start + size if size else end
        if size and size < payload - start:
            return
        yield kind, payload, box_end
        if kind in MP4_CONTAINERS:
            fileobj.seek(payload)
            continue
        if box_end is None:
            return
        fileobj.seek(box_end)


def _full_box(fileobj):
    version_flags = struct.unpack(">I", fileobj.read(4))[0]
    return version_flags >> 24, version_flags & 0xFFFFFF


def fragmented_mp4_duration(fileobj):
    """Seconds to the end of the last sample of the longest track of a fragmented MP4, or None."""
    timescales, defaults, ends, running = {}, {}, {}, {}
    track = None          # the track of the trak / traf being read
    fragment = {}
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    for kind, payload, _end in _boxes(fileobj, size):
        fileobj.seek(payload)
        if kind == b"tkhd":
            version, _flags = _full_box(fileobj)
            fileobj.seek(16 if version == 1 else 8, 1)
            track = struct.unpack(">I", fileobj.read(4))[0]
        elif kind == b"mdhd" and track is not None:
            version, _flags = _full_box(fileobj)
            fileobj.seek(16 if version == 1 else 8, 1)
            timescales[track] = struct.unpack(">I", fileobj.read(4))[0]
        elif kind == b"trex":
            _full_box(fileobj)
            track_id, _index, duration = struct.unpack(">III", fileobj.read(12))
            defaults[track_id] = duration
        elif kind == b"tfhd":
            _version, flags = _full_box(fileobj)
            track_id = struct.unpack(">I", fileobj.read(4))[0]
            if flags & 0x1:
                fileobj.seek(8, 1)
            if flags & 0x2:
                fileobj.seek(4, 1)
            duration = struct.unpack(">I", fileobj.read(4))[0] if flags & 0x8 else defaults.get(track_id, 0)
            fragment = {"track": track_id, "default": duration, "start": running.get(track_id, 0)}
        elif kind == b"tfdt" and fragment:
            version, _flags = _full_box(fileobj)
            fragment["start"] = struct.unpack(">Q" if version == 1 else ">I", fileobj.read(8 if version == 1 else 4))[0]
        elif kind == b"trun" and fragment:
            _version, flags = _full_box(fileobj)
            samples = struct.unpack(">I", fileobj.read(4))[0]
            fileobj.seek((4 if flags & 0x1 else 0) + (4 if flags & 0x4 else 0), 1)
            fields = [bit for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit]
            if 0x100 in fields:
                data = fileobj.read(4 * len(fields) * samples)
                step = len(fields)
                total = sum(struct.unpack(f">{samples * step}I", data)[0::step]) if len(data) == 4 * step * samples else 0
            else:
                total = samples * fragment["default"]
            end = fragment["start"] + total
            fragment["start"] = end
            running[fragment["track"]] = end
            ends[fragment["track"]] = max(ends.get(fragment["track"], 0), end)
    lengths = [ticks / timescales[track_id] for track_id, ticks in ends.items() if timescales.get(track_id)]
    return max(lengths) if lengths else None
