"""Hostile request bodies for every JSON handler of every installed block, as a learner and as staff:
the answer is always 2xx or 4xx with a JSON ``{"error"}``, never a 500 or an uncaught exception,
and a refused request changes nothing in the database.

Bodies are built around each handler's valid request (``security_support.REQUESTS``): its keys with
wrong types, huge strings, deep nesting, unicode edge cases (lone surrogates, NUL, right-to-left
marks, combining characters, astral symbols), huge/negative/float numbers, keys missing or extra;
also bodies that are not JSON objects and bytes that are not JSON or not UTF-8.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from security_support import OWNER, STAFF, Call, all_handlers, build_world, rolled_back, snapshot, spec_for

HANDLERS = {(tag, name): handler for tag, name, handler in all_handlers()}
JSON_HANDLERS = [key for key, handler in HANDLERS.items() if getattr(handler, "json_body", False)]
FUZZ = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

EDGE_TEXT = ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202eevil\u202c", "\u200f\u200e", "e\u0301" * 50,
             "𝕏😀", "\ufeff", "<script>alert(1)</script>", "{{7*7}}", "${7*7}", "../../etc/passwd", "1e309",
             "٣", "²", "true", "null", "NaN", "-1", "9" * 40, "x" * 100_000]
EDGE_NUMBERS = [0, -1, 1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**30, 1.5, -0.0, 1e308, 5e-324, True, False]

scalars = st.one_of(
    st.none(), st.booleans(), st.sampled_from(EDGE_NUMBERS), st.integers(), st.floats(allow_nan=False,
                                                                                     allow_infinity=False),
    st.sampled_from(EDGE_TEXT), st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=20),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


def deep(levels):
    return json.loads("[" * levels + "]" * levels) if levels < 500 else None


@st.composite
def bodies(draw, valid):
    """A JSON-serialisable body near ``valid`` (a dict), or something that is not a JSON object."""
    kind = draw(st.sampled_from(["mutate", "mutate", "mutate", "extra", "other"]))
    if kind == "other":
        return draw(st.one_of(values, st.lists(values, max_size=3)))
    body = dict(valid)
    keys = list(body)
    for key in draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []:
        action = draw(st.sampled_from(["value", "value", "drop", "nest"]))
        if action == "drop":
            body.pop(key)
        elif action == "nest":
            body[key] = {"a": [[[{"b": body[key]}]]]}
        else:
            body[key] = draw(values)
    if kind == "extra":
        body.update(draw(st.dictionaries(st.text(max_size=12), values, max_size=3)))
    return body


RAW = [b"", b"{", b"\xff\xfe{}", b'{"a": "\xed\xa0\x80"}', b"[" * 100_000 + b"]" * 100_000,
       b'{"a":' * 5000 + b"1" + b"}" * 5000, b"NaN", b'{"page": Infinity}', b'{"id": -Infinity}',
       b"1" * 5000, b'"just a string"', b"null", b"[]", b"\x00", b'{"id": 1}' * 2, "{\"t\": \"\u202e\"}".encode()]
RAW_EVERYWHERE = [b"[]", b"null", b"\xff{", b'{"a":' * 5000 + b"1" + b"}" * 5000]
FIRST_OF_BLOCK = {tag: name for tag, name in reversed(JSON_HANDLERS)}


WRONG_TYPES = [None, "abc", [1], {"a": 1}, 1.5, -1, 10**30, True, "x" * 100_000]


def assert_answer(world, status, answer, what):
    assert status < 500, what
    assert 200 <= status < 300 or 400 <= status < 500, what
    if status >= 400:
        assert isinstance(answer, dict) and isinstance(answer.get("error"), str) and answer["error"], what
        assert snapshot() == world.baseline, f"refused but changed: {what}"


def call(world, role, name, body=None, raw=None):
    """One call in a rolled-back savepoint: every call meets the world as it was built (``baseline``)."""
    with rolled_back():
        status, answer = world.handle(role, name, Call(body, body=raw))
        what = (role, name, body if raw is None else raw[:80], status, str(answer)[:300])
        assert_answer(world, status, answer, what)


def acting_role(handler):
    return STAFF if handler.access_policy in ("staff", "studio") else OWNER


@pytest.mark.parametrize("tag, name", JSON_HANDLERS, ids=[f"{tag}.{name}" for tag, name in JSON_HANDLERS])
def test_hostile_json_bodies_get_2xx_or_a_json_4xx_and_refusals_change_nothing(scenario, clock, upload_storage,
                                                                               tag, name):
    spec = spec_for(tag, name)
    world = build_world(scenario, clock, tag, spec.variant)
    valid = spec.make(world.ids).data or {}
    world.baseline = snapshot()
    for raw in RAW if FIRST_OF_BLOCK[tag] == name else RAW_EVERYWHERE:   # the body parser is shared
        call(world, STAFF, name, raw=raw)
    role = acting_role(HANDLERS[tag, name])
    for key in valid:                                   # every key with every wrong type, in turn
        for wrong in WRONG_TYPES:
            call(world, role, name, {**valid, key: wrong})

    @FUZZ
    @given(body=bodies(valid), role=st.sampled_from([OWNER, STAFF]))
    def fuzz(body, role):
        call(world, role, name, body)

    fuzz()


def test_the_json_handlers_are_found():
    assert len(JSON_HANDLERS) > 40
    assert ("lifelong_bookshelf", "submit_studio_edits") in JSON_HANDLERS


SUFFIXES = ["", "0", "-1", "9" * 30, "1.5", "١", "²", "../../etc/passwd", "\x00", "1/2", "\u202e1"]
SUFFIX_HANDLERS = [(tag, name) for tag, name, handler in all_handlers()
                   if not getattr(handler, "json_body", False) and "GET" in getattr(handler, "http_methods", ())]


@pytest.mark.parametrize("tag, name", SUFFIX_HANDLERS, ids=[f"{tag}.{name}" for tag, name in SUFFIX_HANDLERS])
def test_hostile_suffixes_of_plain_handlers_never_fail_with_500(scenario, clock, upload_storage, tag, name):
    """Plain handlers read ids from the URL's suffix (``material/<id>``, ``recording/<id>``): any suffix
    answers 2xx or a JSON 4xx."""
    spec = spec_for(tag, name)
    world = build_world(scenario, clock, tag, spec.variant)
    world.baseline = snapshot()
    for role in (OWNER, STAFF) if spec.make(world.ids).suffix else (STAFF,):
        for suffix in SUFFIXES:
            with rolled_back():
                status, answer = world.handle(role, name, Call(method="GET", suffix=suffix))
                what = (role, name, suffix, status, answer if status >= 300 else "")
                assert status < 500, what
                if status >= 400 and name != "qr_checkin":        # the room-code page is HTML for phones
                    assert isinstance(answer, dict) and answer.get("error"), what
                if status >= 400:
                    assert snapshot() == world.baseline, what


FORM_BODIES = [
    ("application/x-www-form-urlencoded", b""),
    ("application/x-www-form-urlencoded", b"code=%00&nomination=%ED%A0%80&kind=" + b"x" * 10_000),
    ("application/x-www-form-urlencoded", b"\xff\xfe=\xff&consent=2&nomination=99999999999999999999999"),
    ("application/x-www-form-urlencoded", b"nomination=1&nomination=2&kind=image&kind=video&consent=1&consent=0"),
    ("multipart/form-data; boundary=XX", b"--XX\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"),
    ("multipart/form-data; boundary=XX", b"--XX\r\nContent-Disposition: form-data; name=\"file\"; "
                                         b"filename=\"\xff\x00.wav\"\r\n\r\nRIFF\r\n--XX--\r\n"),
    ("multipart/form-data", b"no boundary at all"),
    ("application/json", b'{"file": "x"}'),
]
FORM_HANDLERS = [key for key, handler in HANDLERS.items()
                 if not getattr(handler, "json_body", False) and "POST" in getattr(handler, "http_methods", ())]


@pytest.mark.parametrize("tag, name", FORM_HANDLERS, ids=[f"{tag}.{name}" for tag, name in FORM_HANDLERS])
def test_hostile_form_posts_never_fail_with_500(scenario, clock, upload_storage, tag, name):
    """Form and multipart handlers (uploads, the room-code check-in) given broken or hostile bodies."""
    from webob import Request  # noqa: PLC0415

    world = build_world(scenario, clock, tag, spec_for(tag, name).variant)
    world.baseline = snapshot()
    for role in (OWNER, STAFF):
        for content_type, body in FORM_BODIES:
            with rolled_back():
                client = world.as_user(role)
                request = Request.blank("/", method="POST", body=body)
                request.content_type = content_type
                response = client.runtime.handle(client.block, name, request, "")
                what = (role, name, content_type, body[:60], response.status_code, response.body[:200])
                assert response.status_code < 500, what
                if response.status_code >= 400:
                    assert snapshot() == world.baseline, what
