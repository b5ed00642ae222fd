"""Place-name normalisation shared by the gazetteer and :func:`toolkit.geocode`.

A place name from a report is turned into a *key*: a short string in which the many spellings of
one name coincide. ``"Ain al-Asad"``, ``"Ayn al Asad"``, ``"Ein el-Assad"`` all become
``"ayn asad"``; ``"عين الأسد"`` and ``"عين الاسد"`` both become ``"عين اسد"``. Generic words
("air base", "governorate", "قاعدة", ...) are removed from the key but kept as a *hint* of the kind
of place the name refers to, so that ``"Erbil air base"`` and ``"Erbil governorate"`` share the key
``"irbil"`` yet resolve to different places.

The rules, in the order they apply:

Latin script
    NFKD decomposition and removal of diacritics (``Hewlêr`` -> ``hewler``, ``Ḩadīthah`` ->
    ``hadithah``), case folding, removal of apostrophes and ayn/hamza signs (``' ’ ‘ ` ʿ ʾ``) and
    full stops (``U.S.`` -> ``us``), hyphens and other punctuation to spaces, a space between
    letters and digits (``K1`` -> ``k 1``); generic words and stop words removed; the Arabic
    article (``al el il ul as ad ar at an az ash es ed er et en ez esh ath adh``) removed when a
    word follows it; then in each word: ``x`` -> ``kh`` (Kurdish), double letters collapsed,
    ``ph`` -> ``f``, ``ch`` -> ``sh``, ``q`` and ``c`` -> ``k``, ``dh`` -> ``d``, ``th`` -> ``t``,
    ``gh`` -> ``g``, ``ou``/``o`` -> ``u``, ``aw`` before a consonant -> ``u``, ``ai``/``ei``/
    ``ey`` -> ``ay`` (so Ain/Ayn/Ein coincide), a final ``h`` after a vowel dropped (``Basrah`` ->
    ``basra``), ``e`` -> ``i``, ``iy`` -> ``i``, a final ``y`` after a consonant -> ``i``.
Arabic script (Arabic, Persian, Kurdish Sorani)
    NFKD (presentation forms, hamza carriers), removal of harakat, superscript alef and tatweel;
    alef forms -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``, standalone ``ء`` removed; Persian and
    Kurdish letters folded to their Arabic counterparts (``ی ێ`` -> ``ي``, ``ک گ`` -> ``ك``,
    ``ە ھ`` -> ``ه``, ``ۆ ۋ`` -> ``و``, ``ڵ`` -> ``ل``, ``ڕ`` -> ``ر``, ``پ`` -> ``ب``, ``چ`` ->
    ``ج``, ``ژ`` -> ``ز``, ``ڤ`` -> ``ف``); Eastern Arabic digits -> ``0-9``; the article ``ال``
    removed from words longer than three letters; generic words removed.

Only the standard library is used, so ``toolkit.normalize_name`` is cheap to import.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["FEATURE_HINTS", "analyse_name", "misspelt_generic", "normalize_name", "skeleton"]

# Kinds of place a generic word points to, in order of preference.
FEATURE_HINTS: dict[str, tuple[str, ...]] = {
    "military": ("military_base", "airport"),
    "airport": ("airport", "military_base"),
    "governorate": ("governorate",),
    "district": ("district", "town", "city"),
    "city": ("city", "town", "neighbourhood"),
    "neighbourhood": ("neighbourhood", "city", "town"),
    "oilfield": ("oilfield", "military_base"),
    "border_crossing": ("border_crossing",),
}

# Multi-word generic phrases first (matched greedily), then single words.
_LATIN_GENERIC: dict[tuple[str, ...], str] = {
    ("army", "air", "field"): "military",
    ("air", "base"): "military",
    ("air", "field"): "military",
    ("landing", "zone"): "military",
    ("international", "airport"): "airport",
    ("oil", "field"): "oilfield",
    ("gas", "field"): "oilfield",
    ("gas", "plant"): "oilfield",
    ("border", "crossing"): "border_crossing",
    ("border", "post"): "border_crossing",
    ("base",): "military",
    ("airbase",): "military",
    ("airfield",): "military",
    ("airstrip",): "military",
    ("camp",): "military",
    ("fob",): "military",
    ("garrison",): "military",
    ("complex",): "military",
    ("army",): "military",
    ("outpost",): "military",
    ("military",): "military",
    ("compound",): "military",
    ("airport",): "airport",
    ("governorate",): "governorate",
    ("province",): "governorate",
    ("muhafazat",): "governorate",
    ("muhafazah",): "governorate",
    ("muhafaza",): "governorate",
    ("city",): "city",
    ("town",): "city",
    ("district",): "district",
    ("subdistrict",): "district",
    ("qada",): "district",
    ("qadaa",): "district",
    ("nahiya",): "district",
    ("nahiyat",): "district",
    ("nahiyah",): "district",
    ("oilfield",): "oilfield",
    ("gasfield",): "oilfield",
    ("neighbourhood",): "neighbourhood",
    ("neighborhood",): "neighbourhood",
    ("crossing",): "border_crossing",
}
# Transliterated Arabic words that open a name: "Hay al-Jihad" is the Jihad neighbourhood.
_LATIN_PREFIXES = {"hay": "neighbourhood", "hayy": "neighbourhood", "madinat": "city"}
_LATIN_STOP = frozenset({"the", "of", "in", "near"})
_LATIN_ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "as",
        "ad",
        "ar",
        "at",
        "an",
        "az",
        "ash",
        "es",
        "ed",
        "er",
        "et",
        "en",
        "ez",
        "esh",
        "ath",
        "adh",
    ]
)

# Arabic-script generic words, written as they are after character folding and article removal.
_ARABIC_GENERIC: dict[tuple[str, ...], str] = {
    ("قاعده",): "military",
    ("معسكر",): "military",
    ("جويه",): "military",
    ("بنكهي",): "military",
    ("سهربازكهي",): "military",
    ("مطار",): "airport",
    ("دولي",): "airport",
    ("فروكهخانه",): "airport",
    ("فروكهخانهي",): "airport",
    ("محافظه",): "governorate",
    ("باريزكا",): "governorate",
    ("باريزكاي",): "governorate",
    ("مدينه",): "city",
    ("بلده",): "city",
    ("شاري",): "city",
    ("قضا",): "district",
    ("ناحيه",): "district",
    ("حي",): "neighbourhood",
    ("حقل",): "oilfield",
    ("نفطي",): "oilfield",
    ("معمل",): "oilfield",
    ("غاز",): "oilfield",
    ("منفذ",): "border_crossing",
}
_ARABIC_STOP = frozenset({"في", "قرب", "له"})

_APOSTROPHES = "'’‘`´ʼʻʿʾ′"
_PRE_MAP = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, ""),
        ".": "",
        "ı": "i",
        "ç": "ch",
        "Ç": "ch",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
    }
)
_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ء": "",
        "ـ": "",  # tatweel
        "ی": "ي",
        "ێ": "ي",
        "ې": "ي",
        "ک": "ك",
        "گ": "ك",
        "ە": "ه",
        "ھ": "ه",
        "ۀ": "ه",
        "ۆ": "و",
        "ۋ": "و",
        "ۊ": "و",
        "ڵ": "ل",
        "ڕ": "ر",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "ڤ": "ف",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_NON_WORD = re.compile(r"[\W_]+")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DOUBLE = re.compile(r"([a-z])\1+")
_DIPHTHONG = re.compile(r"ei|ai|ey")
_AW = re.compile(r"aw(?=[^aeiou]|$)")
_FINAL_H = re.compile(r"(?<=[aeiu])h$")
_FINAL_Y = re.compile(r"(?<=[^aeiou])y$")
_VOWELS = re.compile(r"[aeiou]")


# Invisible format characters that reports carry in both scripts: zero-width space, non-joiner
# and joiner, soft hyphen, word joiner, BOM, left-to-right / right-to-left and Arabic letter
# marks, bidi embeddings, overrides and isolates. They are removed before anything else.
_INVISIBLE = str.maketrans(
    dict.fromkeys(
        [
            *(0x200B, 0x200C, 0x200D, 0x00AD, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C),
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
        ],
        None,
    )
)


def _strip_marks(text: str) -> str:
    if text.isascii():  # most Latin report names: nothing to decompose
        return text.translate(_PRE_MAP)
    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE).translate(_PRE_MAP))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def _fold_latin(token: str) -> str:
    t = token.replace("x", "kh")
    t = _DOUBLE.sub(r"\1", t)
    t = t.replace("ph", "f").replace("ch", "sh").replace("q", "k").replace("c", "k")
    t = t.replace("dh", "d").replace("th", "t").replace("gh", "g")
    t = t.replace("ou", "u").replace("o", "u")
    t = _AW.sub("u", t)
    t = _DIPHTHONG.sub("ay", t)
    t = _FINAL_H.sub("", t)
    t = t.replace("e", "i").replace("iy", "i")
    t = _FINAL_Y.sub("i", t)
    return _DOUBLE.sub(r"\1", t)


def _is_arabic(token: str) -> bool:
    return _ARABIC_LETTER.search(token) is not None


def _remove_generic(
    tokens: list[str], table: dict[tuple[str, ...], str], stop: frozenset[str]
) -> tuple[list[str], str | None]:
    kept: list[str] = []
    hint: str | None = None
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            phrase = tuple(tokens[i : i + size])
            if len(phrase) == size and phrase in table:
                hint = hint or table[phrase]
                i += size
                break
        else:
            if tokens[i] not in stop:
                kept.append(tokens[i])
            i += 1
    return kept, hint


@functools.lru_cache(maxsize=262144)
def analyse_name(name: str) -> tuple[str, str | None]:
    """Return ``(key, hint)`` for one place name.

    ``key`` is the normalised name (see the module docstring for the rules); ``hint`` is the
    kind of place a generic word in the name points to (``"military"``, ``"airport"``,
    ``"governorate"``, ``"city"``, ``"district"``, ``"neighbourhood"``, ``"oilfield"``,
    ``"border_crossing"``; keys of :data:`FEATURE_HINTS`) or ``None``.
    """
    text = _strip_marks(name).translate(_ARABIC_MAP).casefold()
    text = _LETTER_DIGIT.sub(" ", _NON_WORD.sub(" ", text))
    tokens = text.split()
    if not tokens:
        return "", None
    arabic = [_is_arabic(t) for t in tokens]
    # The Arabic article is glued to its word; strip it before looking for generic words.
    tokens = [
        t[2:] if a and t.startswith("ال") and len(t) > 3 else t
        for t, a in zip(tokens, arabic, strict=True)
    ]
    latin_tokens = [t for t, a in zip(tokens, arabic, strict=True) if not a]
    arabic_tokens = [t for t, a in zip(tokens, arabic, strict=True) if a]
    hint = None
    named = tokens
    if len(tokens) > 1 and tokens[0] in _LATIN_PREFIXES:  # "Hay al-Jihad", "Madinat al-Sadr"
        hint = _LATIN_PREFIXES[tokens[0]]
        tokens = tokens[1:]
    if arabic_tokens:
        tokens, arabic_hint = _remove_generic(tokens, _ARABIC_GENERIC, _ARABIC_STOP)
        hint = hint or arabic_hint
    if latin_tokens:
        tokens, latin_hint = _remove_generic(tokens, _LATIN_GENERIC, _LATIN_STOP)
        hint = hint or latin_hint
    if arabic_tokens and not [t for t in tokens if t not in _LATIN_ARTICLES]:
        tokens, hint = named, None  # nothing but generic words: they are the name ("الحي")
    out: list[str] = []
    for i, token in enumerate(tokens):
        if _is_arabic(token):
            out.append(token)
        elif token in _LATIN_ARTICLES and i + 1 < len(tokens):
            continue  # an article before another word
        elif token == "albu":
            out.append("bu")
        else:
            out.append(_fold_latin(token))
    return " ".join(t for t in out if t), hint


def normalize_name(name):
    """Normalise a place name (or each of many) to the key the gazetteer is indexed by.

    Parameters
    ----------
    name : str, list of str or pandas.Series
        Place name(s) in Latin, Arabic or Kurdish script. Missing values (``None``, ``NaN``,
        ``pd.NA``) give ``""``; bytes, numbers and other non-text values raise
        :class:`toolkit.FormatError` naming their positions.

    Returns
    -------
    str, list of str or pandas.Series
        The key(s): lower-case, without diacritics, articles, generic words ("air base",
        "governorate", "قاعدة"...) and with common spelling variants folded together. A Series
        comes back as a Series with the same index.

    Examples
    --------
    >>> from toolkit import normalize_name
    >>> normalize_name("Ain al-Asad Air Base"), normalize_name("Ayn el Assad")
    ('ayn asad', 'ayn asad')
    >>> normalize_name("عين الأسد")
    'عين اسد'
    >>> normalize_name("Hewlêr") == normalize_name("Hewler")
    True
    """
    if isinstance(name, str):
        return analyse_name(name)[0]
    if _is_missing(name):
        return ""
    if hasattr(name, "map") and hasattr(name, "index"):  # pandas Series
        _check_texts(list(name))
        return name.map(lambda v: analyse_name(v)[0] if isinstance(v, str) else "")
    if isinstance(name, Iterable) and not isinstance(name, (bytes, bytearray)):
        values = list(name)
        _check_texts(values)
        return [analyse_name(v)[0] if isinstance(v, str) else "" for v in values]
    _check_texts([name])
    return ""


def _is_missing(value) -> bool:
    """None, NaN and pandas' NA (compared without ``==``, which NA refuses)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _check_texts(values: list) -> None:
    """Text or missing values only; anything else is one clear error naming its positions."""
    bad = [(i, v) for i, v in enumerate(values) if not (isinstance(v, str) or _is_missing(v))]
    if not bad:
        return
    from .errors import FormatError

    shown = ", ".join(f"[{i}] = {v!r} ({type(v).__name__})" for i, v in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    raise FormatError(
        f"normalize_name: {shown}{more} is not a place name (expected str, or None/NaN/pd.NA "
        "for a missing value; decode bytes first, e.g. value.decode('utf-8'))"
    )


@functools.lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """Return the consonant skeleton of a Latin key (``"irbil"`` -> ``"rbl"``), or ``""``.

    Used as a second, looser index: transliterations of Arabic differ mostly in their vowels.
    Keys with Arabic letters get ``""`` (Arabic script writes no short vowels to vary).
    """
    if _is_arabic(key):
        return ""
    return _VOWELS.sub("", key)


@functools.cache
def _folded_generic() -> dict[str, str]:
    return {
        _fold_latin(words[0]): hint
        for words, hint in _LATIN_GENERIC.items()
        if len(words) == 1 and len(words[0]) >= 4
    }


def misspelt_generic(key: str) -> tuple[str, str | None, float]:
    """Drop from a key the words that look like misspelt generic words (``"airbse"``).

    Returns the shortened key, the hint of the first word dropped and the lowest similarity
    (0-100) among the words dropped; the key unchanged, ``None`` and 100 when nothing is.
    """
    from rapidfuzz import fuzz, process

    kept, hint, lowest = [], None, 100.0
    tokens = key.split()
    for token in tokens:
        match = None
        if len(tokens) > 1 and len(token) >= 4 and not _is_arabic(token):
            words = list(_folded_generic())
            match = process.extractOne(token, words, scorer=fuzz.ratio, score_cutoff=80)
        if match is None:
            kept.append(token)
        else:
            hint = hint or _folded_generic()[match[0]]
            lowest = min(lowest, float(match[1]))
    return " ".join(kept), hint, lowest


# ----------------------------------------------------------------------------------------------
# a disk cache of analysed names: normalising the gazetteer's ~120,000 names takes seconds, a
# look-up in the saved results a tenth of that. The file is keyed by this module's source, so a
# change of the rules starts a new cache; a cache folder that cannot be written is skipped.


def _cache_dir():
    import os
    from pathlib import Path

    configured = os.environ.get("TOOLKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    return (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "iraq-escalation-toolkit"
    )


@functools.cache
def _rules_version() -> str:
    import hashlib
    from pathlib import Path

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def analyse_names(names: list[str]) -> dict[str, tuple[str, str | None]]:
    """``analyse_name`` of many distinct names, through the disk cache when it can be used."""
    import pickle

    path = _cache_dir() / f"names-{_rules_version()}.pickle"
    import gc

    known: dict[str, tuple[str, str | None]] = {}
    enabled = gc.isenabled()
    gc.disable()  # unpickling 150,000 tuples: no collection midway
    try:
        with path.open("rb") as handle:
            known = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        known = {}
    finally:
        if enabled:
            gc.enable()
    missing = [n for n in names if n not in known]
    for name in missing:
        known[name] = analyse_name(name)
    if len(missing) > 1000:  # worth saving: the shipped table, or a large add_places
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{id(known)}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(known, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass
    return known


# ----------------------------------------------------------------------------------------------
# many names at once: the character-level rules run once over all the names joined by newlines
# (C loops instead of a dozen Python calls per name); each name's tokens are then folded from a
# table of its distinct tokens, folded together in the same way. Names the shortcut does not
# cover (Arabic script, generic or stop words, "Hay"/"Madinat", "Albu", a newline in the name)
# go through analyse_name, so every result is exactly analyse_name's.

_BULK_NON_WORD = re.compile(r"(?:[^\w\n]|_)+")
_BULK_FINAL_H = re.compile(r"(?<=[aeiu])h$", re.MULTILINE)
_BULK_FINAL_Y = re.compile(r"(?<=[^aeiou\n])y$", re.MULTILINE)
_INVISIBLE_CHAR = re.compile("[" + re.escape("".join(map(chr, _INVISIBLE))) + "]")
_PRE_CHAR = re.compile("[" + re.escape("".join(map(chr, _PRE_MAP))) + "]")
_ARABIC_BLOCK = re.compile(r"[\u0600-\u06ff]")  # every character _ARABIC_MAP changes
_DIGIT = re.compile(r"\d")
_ASCII_PRE = [(chr(c), v or "") for c, v in _PRE_MAP.items() if c < 128]
_SPECIAL_WORDS = frozenset(
    {w for phrase in _LATIN_GENERIC for w in phrase} | set(_LATIN_PREFIXES) | _LATIN_STOP | {"albu"}
)


def _fold_many(tokens: list[str]) -> list[str]:
    """``_fold_latin`` of each token (none holding a newline), in one pass over them all."""
    t = "\n".join(tokens).replace("x", "kh")
    t = _DOUBLE.sub(r"\1", t)
    t = t.replace("ph", "f").replace("ch", "sh").replace("q", "k").replace("c", "k")
    t = t.replace("dh", "d").replace("th", "t").replace("gh", "g")
    t = t.replace("ou", "u").replace("o", "u")
    t = _AW.sub("u", t)
    t = _DIPHTHONG.sub("ay", t)
    t = _BULK_FINAL_H.sub("", t)
    t = t.replace("e", "i").replace("iy", "i")
    t = _BULK_FINAL_Y.sub("i", t)
    return _DOUBLE.sub(r"\1", t).split("\n")


def analyse_many(names: list[str]) -> list[tuple[str, str | None]]:
    """``analyse_name`` of each of ``names`` (strings), computed together: the same results,
    several times faster for more than a few names."""
    easy = [i for i, name in enumerate(names) if "\n" not in name]
    out: list[tuple[str, str | None] | None] = [None] * len(names)
    if easy:
        joined = "\n".join([names[i] for i in easy])
        if not joined.isascii():  # each table applied only when one of its characters is there
            if _INVISIBLE_CHAR.search(joined):
                joined = joined.translate(_INVISIBLE)
            if _PRE_CHAR.search(joined):
                joined = joined.translate(_PRE_MAP)
            joined = unicodedata.normalize("NFKD", joined)
            marks = [c for c in set(joined) if unicodedata.combining(c)]
            if marks:
                joined = re.sub(f"[{re.escape(''.join(marks))}]+", "", joined)
            if _ARABIC_BLOCK.search(joined):
                joined = joined.translate(_ARABIC_MAP)
        else:  # the Arabic map and the non-ASCII entries of the first map do nothing here
            for mark, replacement in _ASCII_PRE:
                joined = joined.replace(mark, replacement)
        text = joined.casefold()
        text = _BULK_NON_WORD.sub(" ", text)
        if _DIGIT.search(text):
            text = _LETTER_DIGIT.sub(" ", text)
        texts = text.split("\n")
        pending: list[tuple[int, list[str]]] = []
        special = _SPECIAL_WORDS.isdisjoint
        latin_only = _ARABIC_LETTER.search(text) is None  # no name to check one by one
        arabic = _ARABIC_LETTER.search
        for i, text in zip(easy, texts, strict=True):
            tokens = text.split()
            if not tokens:
                out[i] = ("", None)
            elif special(tokens) and (latin_only or arabic(text) is None):
                pending.append((i, tokens))
        distinct = list({t: None for _, tokens in pending for t in tokens})
        folded = dict(zip(distinct, _fold_many(distinct) if distinct else [], strict=True))
        articles = _LATIN_ARTICLES
        for i, tokens in pending:
            last = tokens[-1]
            words = [folded[t] for t in tokens[:-1] if t not in articles]
            words.append(folded[last])
            out[i] = (" ".join([w for w in words if w]), None)
    return [analyse_name(names[i]) if o is None else o for i, o in enumerate(out)]
