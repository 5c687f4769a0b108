"""OLX import, refused when it could reach outside the document.

XBlock hands a block's ``parse_xml`` an element already parsed by the runtime: ``Runtime.parse_xml_file``
(the workbench) uses lxml's default parser, Open edX's import its own ``XMLParser(load_dtd=False, ...)``.
With lxml >= 5 both leave external entities and external DTDs unresolved (an unknown entity is a
syntax error) and libxml2 stops entity amplification ("billion laughs").  A runtime with an older lxml
or a permissive parser (``resolve_entities=True``, ``load_dtd=True``, ``no_network=False``) would
have read ``file://`` or ``http://`` content into the element before our code ran, so every block
refuses an element whose document has a DOCTYPE at all (OLX never needs one: it declares no entities)
or that still holds entity references, before a single field is set.
"""
from lxml import etree

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _

# The parser the package would use for OLX text of its own: no DTD, no entities, no network,
# no huge trees (tests/security/test_hostile_olx.py parses hostile documents with it too).
SAFE_PARSER_OPTIONS = {"resolve_entities": False, "load_dtd": False, "dtd_validation": False, "no_network": True,
                       "huge_tree": False, "remove_comments": True}


def safe_parser():
    return etree.XMLParser(**SAFE_PARSER_OPTIONS)


def check_node(node):
    """Raise :class:`InvalidInput` for an OLX element whose document declares a DTD or entities
    (internal or external), or that holds entity references."""
    docinfo = node.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None \
            or docinfo.system_url or docinfo.public_id:
        raise InvalidInput(_("This OLX has a DOCTYPE (a DTD or entities), which the blocks do not accept."))
    if any(isinstance(child, etree._Entity) for child in node.iter()):  # noqa: SLF001  (lxml's entity node type)
        raise InvalidInput(_("This OLX holds entity references, which the blocks do not accept."))
