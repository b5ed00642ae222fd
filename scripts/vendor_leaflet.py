"""Vendor Leaflet into toolkit/_vendor/leaflet so that explore_events works offline.

folium's maps load Leaflet from a CDN (jsDelivr), so a notebook opened without internet shows an
empty frame. This script takes Leaflet from its npm package (the version folium pins), checks
the tarball against the registry's sha512 integrity, and writes:

* ``leaflet.js``: ``package/dist/leaflet.js`` unchanged;
* ``leaflet.css``: ``package/dist/leaflet.css`` with the images it references
  (``images/layers.png`` ...) inlined as data URIs, so the stylesheet needs no folder;
* ``LICENSE``: Leaflet's licence (BSD 2-Clause), shipped with the files;
* ``SOURCE.json``: package, version, tarball URL and its sha512 integrity.

Run it from the repository root (it needs network access; the toolkit never does)::

    python scripts/vendor_leaflet.py            # write toolkit/_vendor/leaflet
    python scripts/vendor_leaflet.py --check    # rebuild in memory, say whether it is identical
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "toolkit" / "_vendor" / "leaflet"
REGISTRY = "https://registry.npmjs.org/leaflet/{version}"


def folium_leaflet_version() -> str:
    """The Leaflet version folium's Map loads (from its default_js URL)."""
    import folium

    url = dict(folium.Map.default_js)["leaflet"]
    found = re.search(r"leaflet@([\d.]+)/", url)
    if not found:
        raise SystemExit(f"cannot read Leaflet's version from folium's URL {url}")
    return found.group(1)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def build(version: str) -> dict[str, bytes]:
    meta = json.loads(fetch(REGISTRY.format(version=version)))
    tarball_url = meta["dist"]["tarball"]
    integrity = meta["dist"]["integrity"]
    tarball = fetch(tarball_url)
    algorithm, expected = integrity.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{tarball_url}: {algorithm} is {digest}, the registry says {expected}")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}

        def read(name: str) -> bytes:
            return archive.extractfile(members[f"package/{name}"]).read()

        script = read("dist/leaflet.js")
        css = read("dist/leaflet.css").decode("utf-8")

        def inline(match: re.Match) -> str:
            path = match.group(1)
            data = base64.b64encode(read(f"dist/{path}")).decode()
            kind = "image/svg+xml" if path.endswith(".svg") else "image/png"
            return f"url(data:{kind};base64,{data})"

        css = re.sub(r"url\((images/[\w.-]+)\)", inline, css)
        licence = read("LICENSE")
    source = {
        "package": "leaflet (npm)",
        "version": version,
        "tarball": tarball_url,
        "integrity": integrity,
        "licence": "BSD-2-Clause (LICENSE, shipped beside the files)",
        "files": {
            "leaflet.js": "package/dist/leaflet.js, unchanged",
            "leaflet.css": "package/dist/leaflet.css, images inlined as data URIs",
        },
        "why": "folium loads Leaflet from a CDN; toolkit.explore_events inlines these instead",
        "made_by": "scripts/vendor_leaflet.py",
    }
    return {
        "leaflet.js": script,
        "leaflet.css": css.encode("utf-8"),
        "LICENSE": licence,
        "SOURCE.json": (json.dumps(source, indent=2) + "\n").encode("utf-8"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="Leaflet version (default: the one folium pins)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    version = args.version or folium_leaflet_version()
    files = build(version)
    if args.check:
        different = [n for n, data in files.items() if (OUT / n).read_bytes() != data]
        print("identical" if not different else f"different: {', '.join(different)}")
        sys.exit(1 if different else 0)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT.relative_to(ROOT) / name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
