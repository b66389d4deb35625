"""Open licences by SPDX identifier, with where to read them: each licence's own canonical address, the one
harvesters (AMB, OERSI) recognise (Creative Commons' for CC licences, opensource.org's for MIT, gnu.org's for GPL)."""

from __future__ import annotations

from typing import NamedTuple


class License(NamedTuple):
    spdx_id: str
    name: str
    url: str


def _cc(spdx_id: str, name: str, path: str) -> License:
    return License(spdx_id, name, f"https://creativecommons.org/{path}/")


LICENSES = {
    item.spdx_id: item
    for item in [
        _cc("CC-BY-4.0", "Creative Commons Attribution 4.0", "licenses/by/4.0"),
        _cc("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", "licenses/by-sa/4.0"),
        _cc("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0", "licenses/by-nc/4.0"),
        _cc("CC-BY-NC-SA-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", "licenses/by-nc-sa/4.0"),
        _cc("CC-BY-ND-4.0", "Creative Commons Attribution-NoDerivatives 4.0", "licenses/by-nd/4.0"),
        _cc("CC-BY-NC-ND-4.0", "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0", "licenses/by-nc-nd/4.0"),
        _cc("CC0-1.0", "Creative Commons Zero 1.0 (public domain dedication)", "publicdomain/zero/1.0"),
        License("MIT", "MIT License", "https://opensource.org/licenses/MIT"),
        License(
            "GPL-3.0-or-later",
            "GNU General Public License 3.0 or later",
            "https://www.gnu.org/licenses/gpl-3.0.html",
        ),
        License(
            "OGL-UK-3.0",
            "Open Government Licence 3.0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
    ]
}

LICENSE_CHOICES = [(item.spdx_id, f"{item.spdx_id} – {item.name}") for item in LICENSES.values()]
