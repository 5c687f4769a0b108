"""Regions offered in the participant profile.

Default: the 31 provincial-level divisions of mainland China (22 provinces, 5 autonomous
regions, 4 municipalities), Hong Kong, Macao and Taiwan, and "other".  Operators replace
the list with ``LIFELONG_XBLOCKS["REGIONS"] = [["code", "Name"], ...]``.
"""
from lifelong_xblocks import conf
from lifelong_xblocks.i18n import gettext_noop as _

DEFAULT_REGIONS = (
    ("beijing", _("Beijing")), ("tianjin", _("Tianjin")), ("hebei", _("Hebei")), ("shanxi", _("Shanxi")),
    ("inner_mongolia", _("Inner Mongolia")), ("liaoning", _("Liaoning")), ("jilin", _("Jilin")),
    ("heilongjiang", _("Heilongjiang")), ("shanghai", _("Shanghai")), ("jiangsu", _("Jiangsu")),
    ("zhejiang", _("Zhejiang")), ("anhui", _("Anhui")), ("fujian", _("Fujian")), ("jiangxi", _("Jiangxi")),
    ("shandong", _("Shandong")), ("henan", _("Henan")), ("hubei", _("Hubei")), ("hunan", _("Hunan")),
    ("guangdong", _("Guangdong")), ("guangxi", _("Guangxi")), ("hainan", _("Hainan")),
    ("chongqing", _("Chongqing")), ("sichuan", _("Sichuan")), ("guizhou", _("Guizhou")),
    ("yunnan", _("Yunnan")), ("tibet", _("Tibet")), ("shaanxi", _("Shaanxi")), ("gansu", _("Gansu")),
    ("qinghai", _("Qinghai")), ("ningxia", _("Ningxia")), ("xinjiang", _("Xinjiang")),
    ("hong_kong", _("Hong Kong")), ("macao", _("Macao")), ("taiwan", _("Taiwan")), ("other", _("Other")),
)


def regions():
    """``(code, label)`` pairs, from the operator's setting or the default list."""
    configured = conf.get("REGIONS")
    if configured:
        return tuple((str(code), str(label)) for code, label in configured)
    return DEFAULT_REGIONS
