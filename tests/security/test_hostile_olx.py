"""Hostile OLX for every installed block of the package: external entities (``file:///etc/passwd``,
``http://127.0.0.1:<port>`` with a local listener that records every request), an external DTD,
parameter entities and a billion-laughs document.

Given to the workbench runtime's own parsing (``parse_xml_string``, as scenarios are loaded) and to
every block's ``parse_xml`` after lxml parsed the text the way XBlock does (``etree.parse``), the way
Open edX's import does (``load_dtd=False``) and the way a permissive, old-style parser would
(``resolve_entities=True``, ``load_dtd=True``, ``no_network=False``): each is refused or parsed
without expansion, no file content appears in any field, and the listener is never asked.
"""
import http.server
import io
import threading

import pytest
from lxml import etree
from xblock.fields import Scope

from workbench.runtime import WorkbenchRuntime as RecordingRuntime
from lifelong_xblocks import olx
from lifelong_xblocks.blocks.access import block_classes
from lifelong_xblocks.errors import InvalidInput

TAGS = [tag for tag, _cls in block_classes()]
SECRET_FILE_MARK = "root:"          # the first line of /etc/passwd
NETWORK_MARK = "FETCHED-OVER-HTTP"
OPTION_NS = "http://code.edx.org/xblock/option"
LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol" * 10}">' for n in range(10))


@pytest.fixture(scope="module")
def listener():
    """A local HTTP server that records every request and answers with an entity/DTD body."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            requests.append(self.path)
            body = f'<!ENTITY leak "{NETWORK_MARK}"><!ENTITY % inner "{NETWORK_MARK}">'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml-dtd")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def hostile_documents(tag, base):
    """``name -> OLX`` of each attack on block ``tag``, entities in an attribute and in the text."""
    return {
        "file_entity": (f'<!DOCTYPE {tag} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                        f'<{tag} display_name="&xxe;">&xxe;</{tag}>'),
        # Text (unlike attributes) may hold external entities: XBlock sets <option:FIELD> from its text.
        "file_entity_in_field": (f'<!DOCTYPE {tag} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                                 f'<{tag} xmlns:option="{OPTION_NS}"><option:display_name>&xxe;</option:display_name>'
                                 f'</{tag}>'),
        "http_entity_in_field": (f'<!DOCTYPE {tag} [<!ENTITY xxe SYSTEM "{base}/entity-text">]>'
                                 f'<{tag} xmlns:option="{OPTION_NS}"><option:display_name>&xxe;</option:display_name>'
                                 f'</{tag}>'),
        "http_entity": (f'<!DOCTYPE {tag} [<!ENTITY xxe SYSTEM "{base}/entity">]>'
                        f'<{tag} display_name="&xxe;">&xxe;</{tag}>'),
        "external_dtd": f'<!DOCTYPE {tag} SYSTEM "{base}/external.dtd"><{tag} display_name="&leak;"/>',
        "parameter_entity": (f'<!DOCTYPE {tag} [<!ENTITY % remote SYSTEM "{base}/parameter.dtd"> %remote;]>'
                             f'<{tag} display_name="&leak;"/>'),
        "billion_laughs": f'<!DOCTYPE {tag} [{LAUGHS}]><{tag} display_name="&l9;">&l9;</{tag}>',
        "plain_doctype_internal_entity": f'<!DOCTYPE {tag} [<!ENTITY n "x">]><{tag} display_name="&n;"/>',
    }


PARSERS = {
    "xblock_runtime": lambda: None,                                                  # etree.parse's default
    "open_edx_import": lambda: etree.XMLParser(dtd_validation=False, load_dtd=False, remove_comments=True,
                                               remove_blank_text=True, encoding="utf-8"),
    "permissive": lambda: etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False,
                                          huge_tree=False),
    "entities_unresolved": lambda: etree.XMLParser(resolve_entities=False),
}


def field_values(runtime, usage_id):
    block = runtime.get_block(usage_id)
    values = []
    for name, field in block.fields.items():
        if field.scope in (Scope.content, Scope.settings) and field.is_set_on(block):
            values.append(repr(getattr(block, name)))
    return " ".join(values)


def assert_nothing_leaked(runtime, usage_id, requests):
    values = field_values(runtime, usage_id)
    assert SECRET_FILE_MARK not in values and NETWORK_MARK not in values, values[:300]
    assert "lollollol" * 100 not in values
    assert requests == [], requests


@pytest.mark.parametrize("tag", TAGS)
def test_the_workbench_runtime_refuses_hostile_scenario_xml(db, listener, tag):
    base, requests = listener
    for name, xml in hostile_documents(tag, base).items():
        runtime = RecordingRuntime("author")
        try:
            usage_id = runtime.parse_xml_string(xml)
        except (etree.XMLSyntaxError, InvalidInput):
            assert requests == [], (name, requests)
            continue
        raise AssertionError(f"{tag}: {name} was accepted: {field_values(runtime, usage_id)[:200]}")


@pytest.mark.parametrize("parser_name", sorted(PARSERS))
@pytest.mark.parametrize("tag", TAGS)
def test_every_block_refuses_hostile_olx_however_it_was_parsed(db, listener, tag, parser_name):
    base, requests = listener
    for name, xml in hostile_documents(tag, base).items():
        try:
            root = etree.parse(io.BytesIO(xml.encode()), PARSERS[parser_name]()).getroot()
        except etree.XMLSyntaxError:
            assert requests == [], (name, requests)
            continue          # refused by the parser itself: nothing reached the block
        runtime = RecordingRuntime("author")
        with pytest.raises(InvalidInput):
            runtime._usage_id_from_node(root, None)   # noqa: SLF001  (what parse_xml_string does after parsing)
        del requests[:]   # a permissive parser fetched before any block code ran; the block still refused it


def test_the_safe_parser_neither_expands_nor_fetches(listener):
    base, requests = listener
    for name, xml in hostile_documents("lifelong_bookshelf", base).items():
        try:
            root = etree.fromstring(xml.encode(), olx.safe_parser())
        except etree.XMLSyntaxError:
            continue
        text = etree.tostring(root, encoding="unicode")
        assert SECRET_FILE_MARK not in text and NETWORK_MARK not in text and "lollol" not in text, name
    assert requests == []


def test_ordinary_olx_is_still_imported(db):
    runtime = RecordingRuntime("author")
    usage_id = runtime.parse_xml_string("<!-- a comment --><lifelong_bookshelf display_name='书架 &amp; 读书会'/>")
    assert runtime.get_block(usage_id).display_name == "书架 & 读书会"
