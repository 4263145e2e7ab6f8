#!/usr/bin/env python3
"""Derive tsudoi's offline kana->kanji name-picker data files.

Inputs (Debian packages, unpacked with `dpkg -x`):
  enamdict 2021.02.03-1      ENAMDICT (EUC-JP)                 EDRDG, CC BY-SA 4.0
  kanjidic-xml 2022.08.23    KANJIDIC2 XML (plain or .gz)      EDRDG, CC BY-SA 4.0
  unicode-data 15.0.0-1      Unihan_*.txt                      Unicode licence

Outputs (UTF-8, LF, sorted by the UTF-8 bytes of the reading):
  family.tsv  given.tsv  kanji.tsv  variants.tsv
(see kanji/data/README.md for the formats and the ordering score).

Python 3.11, standard library only, deterministic output.
"""

import argparse
import bz2
import gzip
import math
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------

# The twelve CJK compatibility ideographs that are really unified ideographs
# (no canonical decomposition, NFC keeps them).
UNIFIED_COMPAT = {0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F,
                  0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29}


def is_kanji(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
            or 0x20000 <= o <= 0x323AF or o in UNIFIED_COMPAT)


def is_bad_compat(ch):
    """CJK compatibility ideograph that NFC turns into another character."""
    o = ord(ch)
    return ((0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F)
            and o not in UNIFIED_COMPAT)


def is_kana(ch):
    o = ord(ch)
    return (0x3041 <= o <= 0x3096 or o in (0x309D, 0x309E)
            or 0x30A1 <= o <= 0x30FA or 0x30FC <= o <= 0x30FE)


NAME_MARKS = set('々〆ヶ')   # allowed in forms besides kanji and kana


def form_ok(form):
    return bool(form) and all(is_kanji(c) or is_kana(c) or c in NAME_MARKS
                              for c in form)


def has_kanji(form):
    return any(is_kanji(c) or c in '々〆' for c in form)


def kata2hira(s):
    out = []
    for ch in s:
        o = ord(ch)
        if 0x30A1 <= o <= 0x30F6:       # includes ヴ->ゔ, ヵ->ゕ, ヶ->ゖ
            out.append(chr(o - 0x60))
        elif ch == 'ヽ':
            out.append('ゝ')
        elif ch == 'ヾ':
            out.append('ゞ')
        else:
            out.append(ch)
    return ''.join(out)


VOICE = dict(zip('かきくけこさしすせそたちつてとはひふへほ',
                 'がぎぐげござじずぜぞだぢづでどばびぶべぼ'))
HANDAKU = dict(zip('はひふへほ', 'ぱぴぷぺぽ'))


def expand_iteration(s):
    out = []
    for ch in s:
        if ch == 'ゝ' and out:
            out.append(out[-1])
        elif ch == 'ゞ' and out:
            out.append(VOICE.get(out[-1], out[-1]))
        else:
            out.append(ch)
    return ''.join(out)


def reading_ok(r):
    return bool(r) and all(0x3041 <= ord(c) <= 0x3096 or c == 'ー' for c in r) \
        and r[0] != 'ー'


def norm_reading(r):
    """Katakana->hiragana, expand ゝゞ; None if anything but hiragana/ー."""
    r = expand_iteration(kata2hira(unicodedata.normalize('NFKC', r)))
    return r if reading_ok(r) else None


def rendaku_forms(r):
    """Surface forms of reading r inside a compound (for alignment only)."""
    out = {r}
    if r[0] in VOICE:
        out.add(VOICE[r[0]] + r[1:])
    if r[0] in HANDAKU:
        out.add(HANDAKU[r[0]] + r[1:])
    for x in list(out):
        if len(x) >= 2 and x[-1] in 'つくちき':
            out.add(x[:-1] + 'っ')
    return out


def sort_key(reading):
    return reading.encode('utf-8')


# ---------------------------------------------------------------------------
# KANJIDIC2
# ---------------------------------------------------------------------------

class Kanji:
    __slots__ = ('lit', 'cp', 'grade', 'freq', 'on', 'kun', 'nanori',
                 'variants', 'readings')

    def __init__(self, lit):
        self.lit = lit
        self.cp = {}
        self.grade = None
        self.freq = None
        self.on, self.kun, self.nanori = [], [], []
        self.variants = []
        self.readings = []     # ordered, normalised (hiragana) readings


def parse_kanjidic(path):
    opener = gzip.open if path.endswith('.gz') else open
    kd = {}
    with opener(path, 'rb') as fh:
        for _ev, el in ET.iterparse(fh, events=('end',)):
            if el.tag != 'character':
                continue
            k = Kanji(el.findtext('literal'))
            for cp in el.iter('cp_value'):
                k.cp[cp.get('cp_type')] = cp.text.strip()
            g = el.findtext('misc/grade')
            k.grade = int(g) if g else None
            f = el.findtext('misc/freq')
            k.freq = int(f) if f else None
            for v in el.iter('variant'):
                k.variants.append((v.get('var_type'), v.text.strip()))
            for r in el.iter('reading'):
                t = r.get('r_type')
                if t == 'ja_on':
                    k.on.append(r.text.strip())
                elif t == 'ja_kun':
                    k.kun.append(r.text.strip())
            for n in el.iter('nanori'):
                k.nanori.append(n.text.strip())
            kd[k.lit] = k
            el.clear()
    for k in kd.values():
        rs = []
        for on in k.on:
            rs.append(on.replace('-', ''))
        for kun in k.kun:
            kun = kun.replace('-', '')
            if '.' in kun:
                stem = kun.split('.')[0]
                rs.append(stem)
                rs.append(kun.replace('.', ''))
            else:
                rs.append(kun)
        rs.extend(k.nanori)
        seen = []
        for r in rs:
            r = norm_reading(r)
            if r and r not in seen:
                seen.append(r)
        k.readings = seen
    return kd


# ---------------------------------------------------------------------------
# Unihan
# ---------------------------------------------------------------------------

def u2c(tok):
    tok = tok.split('<')[0]
    return chr(int(tok[2:], 16))


def parse_unihan(udir):
    variants = defaultdict(list)       # ch -> [(field, target)]
    japanese = {}                      # ch -> Japanese mapping fields
    jmap_fields = ('kJis0', 'kJis1', 'kJIS0213', 'kIBMJapan')
    jp_variant_of = []                 # (ch, target) from kJoyo/kJinmeiyo
    jlevel = {}                        # ch -> 'joyo' / 'jinmeiyo'
    readings = defaultdict(list)       # ch -> romaji readings (kun, on)
    vfields = ('kZVariant', 'kSemanticVariant', 'kSpecializedSemanticVariant',
               'kSpoofingVariant')

    def lines(name):
        path = os.path.join(udir, name)
        if not os.path.exists(path) and os.path.exists(path + '.bz2'):
            fh = bz2.open(path + '.bz2', 'rt', encoding='utf-8')   # as shipped by Debian
        else:
            fh = open(path, encoding='utf-8')
        with fh:
            for line in fh:
                if line.startswith('#') or not line.strip():
                    continue
                cp, field, val = line.rstrip('\n').split('\t', 2)
                yield chr(int(cp[2:], 16)), field, val

    loose = defaultdict(list)          # ch -> any Unihan variant (readings only)
    for ch, field, val in lines('Unihan_Variants.txt'):
        for tok in val.split():
            if not tok.startswith('U+'):
                continue
            t = u2c(tok)
            if t == ch:
                continue
            if field in vfields:
                variants[ch].append((field, t))
            loose[ch].append(t)
            loose[t].append(ch)
    for ch, field, val in lines('Unihan_OtherMappings.txt'):
        if field in jmap_fields:
            japanese.setdefault(ch, set()).add(field)
        elif field in ('kJoyoKanji', 'kJinmeiyoKanji'):
            jlevel.setdefault(ch, 'joyo' if field == 'kJoyoKanji' else 'jinmeiyo')
            for tok in val.split():
                m = re.search(r'U\+[0-9A-F]+', tok)
                if m:
                    jp_variant_of.append((ch, u2c(m.group(0))))
    sounds = defaultdict(set)          # ch -> Chinese/Korean readings, phonetic groups
    for ch, field, val in lines('Unihan_Readings.txt'):
        if field in ('kJapaneseKun', 'kJapaneseOn'):
            readings[ch].extend(val.split())
        elif field in ('kMandarin', 'kCantonese', 'kKorean'):
            for tok in val.split():
                tok = ''.join(c for c in unicodedata.normalize('NFD', tok.lower())
                              if c.isalpha() and not unicodedata.combining(c))
                tok = tok.rstrip('0123456789')
                if tok:
                    sounds[ch].add(field[1] + ':' + tok)
        elif field == 'kDefinition':
            # e.g. "variant of U+571F 土", "non-standard form of U+559C 喜"
            for m in re.finditer(r'(?:variant|form|same as)[^;]*?U\+([0-9A-F]{4,5})', val,
                                 re.IGNORECASE):
                t = chr(int(m.group(1), 16))
                if t != ch:
                    loose[ch].append(t)
    dl = os.path.join(udir, 'Unihan_DictionaryLikeData.txt')
    if os.path.exists(dl) or os.path.exists(dl + '.bz2'):
        for ch, field, val in lines('Unihan_DictionaryLikeData.txt'):
            if field == 'kPhonetic':
                for tok in val.split():
                    sounds[ch].add('P:' + re.sub(r'[^0-9]', '', tok))
    return variants, japanese, jp_variant_of, jlevel, readings, loose, sounds


ROMA = {}


def _init_roma():
    rows = {
        '': 'あいうえお', 'k': 'かきくけこ', 's': 'さしすせそ', 't': 'たちつてと',
        'n': 'なにぬねの', 'h': 'はひふへほ', 'm': 'まみむめも', 'y': 'や゠ゆ゠よ',
        'r': 'らりるれろ', 'w': 'わゐ゠ゑを', 'g': 'がぎぐげご', 'z': 'ざじずぜぞ',
        'd': 'だぢづでど', 'b': 'ばびぶべぼ', 'p': 'ぱぴぷぺぽ'}
    for c, kana in rows.items():
        for v, k in zip('aiueo', kana):
            if k != '゠':
                ROMA[c + v] = k
    ROMA.update({'shi': 'し', 'chi': 'ち', 'tsu': 'つ', 'fu': 'ふ', 'ji': 'じ',
                 'n': 'ん'})
    for c, base in (('ky', 'き'), ('sh', 'し'), ('ch', 'ち'), ('ny', 'に'),
                    ('hy', 'ひ'), ('my', 'み'), ('ry', 'り'), ('gy', 'ぎ'),
                    ('j', 'じ'), ('by', 'び'), ('py', 'ぴ'), ('sy', 'し'),
                    ('ty', 'ち'), ('zy', 'じ'), ('dy', 'ぢ')):
        for v, small in (('a', 'ゃ'), ('u', 'ゅ'), ('o', 'ょ')):
            ROMA[c + v] = base + small


def romaji2hira(s):
    """Unihan kJapaneseOn/Kun romaji (e.g. 'TAKAI') -> hiragana or None."""
    if not ROMA:
        _init_roma()
    s = s.lower()
    out, i = [], 0
    while i < len(s):
        if i + 1 < len(s) and s[i] == s[i + 1] and s[i] not in 'aiueon':
            out.append('っ')
            i += 1
            continue
        for ln in (3, 2, 1):
            chunk = s[i:i + ln]
            if chunk == 'n' and i + 1 < len(s) and s[i + 1] in 'aiueoy':
                continue
            if chunk in ROMA:
                out.append(ROMA[chunk])
                i += ln
                break
        else:
            return None
    r = ''.join(out)
    return r if reading_ok(r) else None


# ---------------------------------------------------------------------------
# ENAMDICT
# ---------------------------------------------------------------------------

ENTRY_RE = re.compile(r'^(\S+) (?:\[([^\]]+)\] )?/(.*)/\s*$')
TAGS_RE = re.compile(r'^\(([a-z,]+)\) ?(.*)$')


class Entry:
    __slots__ = ('form', 'reading', 'tags', 'romaji', 'born')

    def __init__(self, form, reading, tags, romaji, born):
        self.form, self.reading, self.tags = form, reading, tags
        self.romaji, self.born = romaji, born


def parse_enamdict(path, encoding='euc_jp'):
    entries = []
    stats = Counter()
    with open(path, encoding=encoding, errors='replace') as fh:
        for line in fh:
            m = ENTRY_RE.match(line.rstrip('\n'))
            if not m:
                stats['unparsed'] += 1
                continue
            form, reading, body = m.groups()
            tags, romaji = set(), None
            for field in body.split('/'):
                t = TAGS_RE.match(field)
                if t:
                    tags.update(t.group(1).split(','))
                    if romaji is None:
                        romaji = t.group(2)
            if not tags:
                stats['notags'] += 1
                continue
            form = unicodedata.normalize('NFC', form)
            r = norm_reading(reading if reading else form)
            if r is None:
                stats['bad_reading'] += 1
                continue
            born = None
            b = re.search(r'\((\d{4})[.)\-]', body)
            if b:
                born = int(b.group(1))
            entries.append(Entry(form, r, frozenset(tags), romaji or '', born))
    return entries, stats


MACRONS = str.maketrans({'ā': 'aa', 'ī': 'ii', 'ū': 'uu', 'ē': 'ee', 'ō': 'ou',
                         'Ā': 'aa', 'Ī': 'ii', 'Ū': 'uu', 'Ē': 'ee', 'Ō': 'ou',
                         'â': 'aa', 'î': 'ii', 'û': 'uu', 'ê': 'ee', 'ô': 'ou'})


def norm_roma(s):
    s = s.split(' (')[0].translate(MACRONS)
    return re.sub(r"[^a-z ]", '', s.lower()).strip()


_H2R = {}


def _init_h2r():
    rows = {'': 'あいうえお', 'k': 'かきくけこ', 's': 'さしすせそ', 't': 'たちつてと',
            'n': 'なにぬねの', 'h': 'はひふへほ', 'm': 'まみむめも', 'r': 'らりるれろ',
            'g': 'がぎぐげご', 'z': 'ざじずぜぞ', 'd': 'だぢづでど', 'b': 'ばびぶべぼ',
            'p': 'ぱぴぷぺぽ'}
    for c, k in rows.items():
        for v, ch in zip('aiueo', k):
            _H2R[ch] = c + v
    _H2R.update({'し': 'shi', 'ち': 'chi', 'つ': 'tsu', 'ふ': 'fu', 'じ': 'ji',
                 'ぢ': 'ji', 'づ': 'zu', 'や': 'ya', 'ゆ': 'yu', 'よ': 'yo',
                 'わ': 'wa', 'を': 'o', 'ゐ': 'i', 'ゑ': 'e', 'ゔ': 'vu', 'ぁ': 'a',
                 'ぃ': 'i', 'ぅ': 'u', 'ぇ': 'e', 'ぉ': 'o'})


def hira2romaji(s):
    """Hepburn romaji as written in ENAMDICT (long vowels spelt out: 'Satou')."""
    if not _H2R:
        _init_h2r()
    small = {'ゃ': 'a', 'ゅ': 'u', 'ょ': 'o'}
    syl, i = [], 0
    while i < len(s):
        ch = s[i]
        if i + 1 < len(s) and s[i + 1] in small and ch in _H2R:
            b = _H2R[ch]
            syl.append(b[:-1] + small[s[i + 1]] if b in ('shi', 'chi', 'ji')
                       else b[:-1] + 'y' + small[s[i + 1]])
            i += 2
        elif ch in ('っ', 'ん', 'ー'):
            syl.append(ch)
            i += 1
        elif ch in _H2R:
            syl.append(_H2R[ch])
            i += 1
        else:
            return None
    out = ''
    for k, x in enumerate(syl):
        if x == 'っ':
            continue
        if k and syl[k - 1] == 'っ':
            x = 't' + x if x.startswith('ch') else x[0] + x
        if x == 'ん':
            x = 'n'
        elif x == 'ー':
            x = out[-1] if out else ''
        out += x
    return out


# ---------------------------------------------------------------------------
# Counting: full-name (h) entries -> surname / given-name frequencies
# ---------------------------------------------------------------------------

SURNAME_TAGS = {'s'}
GIVEN_TAGS = {'g', 'f', 'm'}
PERSON_TAGS = {'s', 'g', 'f', 'm', 'u'}


def count_fullnames(entries, sur, giv, era_weight, aligner):
    """Split (h) entries (e.g. 佐藤栄作 [さとうえいさく] 'Satou Eisaku') into
    surname + given name.  The reading is split where the romaji splits; the
    kanji are split where a known surname and/or given name results.
    Returns Counters {(form, reading): weight} for surnames and given names
    (pairs not in the dictionaries are included: they are new candidates)."""
    hs, hg = Counter(), Counter()
    used = 0
    for e in entries:
        if 'h' not in e.tags or not has_kanji(e.form) or not form_ok(e.form):
            continue
        toks = norm_roma(e.romaji).split()
        if len(toks) != 2:
            continue
        F, R = e.form, e.reading
        js = [j for j in range(1, len(R))
              if hira2romaji(R[:j]) == toks[0] and hira2romaji(R[j:]) == toks[1]]
        best, best_sc = [], 0
        for j in js:
            for i in range(1, len(F)):
                s = (F[:i], R[:j])
                g = (F[i:], R[j:])
                sc = (s in sur) + (g in giv)
                if sc == 0:
                    continue
                # tie-break: parts whose kanji can be read that way
                sc += 0.4 * bool(aligner.segment(*s, limit=1)) \
                    + 0.4 * bool(aligner.segment(*g, limit=1))
                if sc > best_sc:
                    best, best_sc = [(s, g)], sc
                elif sc == best_sc and sc:
                    best.append((s, g))
        if not best:
            continue
        used += 1
        w = 1.0 / len(best)
        wg = w * (era_weight if e.born and 1920 <= e.born <= 1970 else 1.0)
        for s, g in best:
            hs[s] += w
            hg[g] += wg
    return hs, hg, used


# ---------------------------------------------------------------------------
# Alignment of name forms to per-kanji readings
# ---------------------------------------------------------------------------

class Aligner:
    def __init__(self, readings_by_char):
        # ch -> list of (surface, base)
        self.table = {}
        for ch, rs in readings_by_char.items():
            lst = []
            for base in rs:
                for surf in rendaku_forms(base):
                    lst.append((surf, base))
            self.table[ch] = sorted(set(lst))

    def segment(self, form, reading, limit=12, wildcard=None, max_wild=4):
        """All ways to read `form` as `reading`: list of [(kanji, base), ...]."""
        out = []
        n, m = len(form), len(reading)
        table = self.table

        def rec(i, j, prev, acc):
            if len(out) >= limit:
                return
            if i == n:
                if j == m:
                    out.append(list(acc))
                return
            if j >= m:
                return
            ch = form[i]
            if is_kana(ch) and ch != 'ヶ':
                h = kata2hira(ch)
                if h in 'ゝゞ':
                    return
                if reading.startswith(h, j):
                    rec(i + 1, j + len(h), None, acc)
                return
            if ch == 'ヶ':
                for s in ('か', 'が', 'け', 'げ', 'こ', 'ご'):
                    if reading.startswith(s, j):
                        rec(i + 1, j + 1, None, acc)
                return
            if ch == '〆':
                if reading.startswith('しめ', j):
                    rec(i + 1, j + 2, None, acc)
                return
            if ch == '々':
                if prev is None:
                    return
                for surf, base in table.get(prev, ()):
                    if reading.startswith(surf, j):
                        rec(i + 1, j + len(surf), prev, acc)
                return
            if ch == wildcard:
                cands = [(reading[j:j + L], reading[j:j + L])
                         for L in range(1, max_wild + 1) if j + L <= m]
            else:
                cands = table.get(ch, ())
            for surf, base in cands:
                if reading.startswith(surf, j):
                    acc.append((ch, base))
                    rec(i + 1, j + len(surf), ch, acc)
                    acc.pop()

        rec(0, 0, None, [])
        return out


def readings_from_names(entries, aligner, targets, max_len=4, keep=3):
    """Readings of characters without dictionary readings, guessed from the
    person-name entries they occur in: every other character must align with
    its own readings, the target takes the rest (unambiguously)."""
    pieces = defaultdict(Counter)
    for e in entries:
        if not (e.tags & (PERSON_TAGS | {'h'})):
            continue
        hit = [c for c in e.form if c in targets]
        if len(hit) != 1 or e.form.count(hit[0]) != 1 or not form_ok(e.form):
            continue
        x = hit[0]
        found = set()
        for seg in aligner.segment(e.form, e.reading, wildcard=x, max_wild=max_len):
            for ch, base in seg:
                if ch == x:
                    found.add(base)
        if len(found) == 1:
            pieces[x][found.pop()] += 1
    out = {}
    for x, cnt in pieces.items():
        out[x] = [r for r, _ in sorted(cnt.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))][:keep]
    return out


class OnGuesser:
    """Last resort for characters with no Japanese reading in any source:
    guess one on'yomi from the character's Mandarin, Cantonese and Korean
    readings and its phonetic series (Unihan kPhonetic), using the on'yomi of
    the KANJIDIC2 kanji that share them (naive Bayes)."""

    def __init__(self, kd, sounds):
        self.sounds = sounds
        self.f_on = defaultdict(Counter)
        self.on = Counter()
        for lit, k in kd.items():
            ons = [norm_reading(o.replace('-', '')) for o in k.on]
            ons = [o for o in ons if o]
            if not ons:
                continue
            first = ons[0]
            self.on[first] += 1
            for f in sounds.get(lit, ()):
                self.f_on[f][first] += 1
        self.total = sum(self.on.values())

    def guess(self, ch):
        feats = [f for f in sorted(self.sounds.get(ch, ())) if f in self.f_on]
        if not feats:
            return []
        best = None
        for on, n in sorted(self.on.items()):
            if n <= 0:
                continue
            sc = math.log(n / self.total)
            for f in feats:
                sc += math.log((self.f_on[f].get(on, 0) + 0.01) / (n + 0.01 * len(self.on)))
            if best is None or (sc, on) > best:
                best = (sc, on)
        return [best[1]]


# ---------------------------------------------------------------------------
# Variants
# ---------------------------------------------------------------------------

STRONG_SOURCES = ('kanjidic:', 'unihan:kZVariant', 'unihan:kSpoofingVariant',
                  'unihan:kJoyo/kJinmeiyo', 'extra')


def build_variants(kd, uh_variants, japanese, jp_variant_of, extra_pairs,
                   commonness, max_closure=8, report=None):
    """Variant graph -> {char: [variants, most common first]}.

    Edges are "strong" (KANJIDIC2 jis/ucs variants, Unihan kZVariant,
    kSpoofingVariant, kJoyoKanji/kJinmeiyoKanji U+ references, hand-curated
    extras) or "weak" (Unihan kSemanticVariant / kSpecializedSemanticVariant
    only).  A character lists the transitive closure of its strong edges
    (when that group has at most `max_closure` members) plus its direct weak
    neighbours; closure never runs through a weak edge, so 関-關-寡 does not
    make 寡 a variant of 関."""
    rep = report if report is not None else {}
    by_cp = {}
    for k in kd.values():
        for t, v in k.cp.items():
            if t in ('jis208', 'jis212', 'jis213'):
                by_cp[(t, v)] = k.lit
    edge_src = defaultdict(set)
    src = Counter()
    unresolved = []

    def encodable(ch):
        return (ch in kd or ch in japanese) and not is_bad_compat(ch) \
            and is_kanji(ch)

    def add(a, b, why, force=False):
        if a == b:
            return
        if not force and not (encodable(a) and encodable(b)):
            src['dropped:' + why] += 1
            return
        if force and (is_bad_compat(a) or is_bad_compat(b)):
            return
        key = frozenset((a, b))
        if why not in edge_src[key]:
            src[why] += 1
        edge_src[key].add(why)

    for k in kd.values():
        for t, v in k.variants:
            if t in ('jis208', 'jis212', 'jis213'):
                tgt = by_cp.get((t, v))
                if tgt is None:
                    unresolved.append((k.lit, t, v))
                    continue
                add(k.lit, tgt, 'kanjidic:' + t)
            elif t == 'ucs':
                add(k.lit, chr(int(v, 16)), 'kanjidic:ucs')
    for ch in sorted(uh_variants):
        for field, t in uh_variants[ch]:
            add(ch, t, 'unihan:' + field)
    for ch, t in jp_variant_of:
        add(ch, t, 'unihan:kJoyo/kJinmeiyo')
    for a, b in extra_pairs:
        # hand-curated additions bypass the encodability filter on purpose
        add(a, b, 'extra', force=True)

    strong = defaultdict(set)
    weak = defaultdict(set)
    for key, whys in edge_src.items():
        a, b = sorted(key)
        is_strong = any(w.startswith(STRONG_SOURCES) for w in whys)
        (strong if is_strong else weak)[a].add(b)
        (strong if is_strong else weak)[b].add(a)

    # components of the strong graph
    comp_of, comps = {}, []
    for start in sorted(strong):
        if start in comp_of:
            continue
        stack, comp = [start], set()
        while stack:
            x = stack.pop()
            if x in comp:
                continue
            comp.add(x)
            stack.extend(strong[x] - comp)
        for x in comp:
            comp_of[x] = len(comps)
        comps.append(comp)
    result = defaultdict(set)
    big = []
    for comp in comps:
        if len(comp) <= max_closure:
            for x in comp:
                result[x] |= comp - {x}
        else:
            big.append(''.join(sorted(comp)))
            for x in comp:
                result[x] |= strong[x]
    for x, ys in weak.items():
        result[x] |= ys
    rep['variant_sources'] = dict(sorted(src.items()))
    rep['variant_unresolved'] = unresolved
    rep['variant_strong_groups'] = Counter(len(c) for c in comps)
    rep['variant_big_groups'] = big
    rep['edge_src'] = edge_src
    rep['strong_groups'] = [c for c in comps if len(c) <= max_closure]
    ordered = {}
    for x, vs in result.items():
        if vs:
            ordered[x] = sorted(vs, key=commonness)
    return ordered


def read_extra_variants(path):
    pairs = []
    if not path or not os.path.exists(path):
        return pairs
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            line = line.split('#')[0].strip()
            if not line:
                continue
            a, rest = line.split('\t', 1) if '\t' in line else line.split(None, 1)
            for b in rest.split():
                pairs.append((a, b))
    return pairs


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------

P = dict(
    era_weight=2.0,      # weight of full names of people born 1920-1970
    lam=2.0,             # pseudo-count mass of the prior
    w_var=0.03,          # share of the count of the same name in common spelling
    var_cap=2.0,         # ... at most this many pseudo-counts
    w_nread=0.5,         # log1p(number of readings of the form in the file)
    w_place=0.5,         # also a place name (surnames only)
    w_align=1.0,         # log P(kanji | reading) sum
    no_align=-7.0,       # log prior when the form cannot be aligned with readings
    rare_kanji=-1.5,     # per kanji outside jōyō/jinmeiyō
    non208=-2.0,         # per kanji outside JIS X 0208
    kana_mixed=-2.0,
    kana_only=-4.0,
    hx_min=2.0,          # full-name count needed to add an unaligned new form
    use_freq=0,          # KANJIDIC2 <freq> as a tie-breaker: off, its frequency codes carry a commercial-use restriction (see data/README.md)
)


class CharInfo:
    def __init__(self, kd, jlevel, name_count, japanese):
        self.kd, self.jlevel, self.name_count = kd, jlevel, name_count
        self.japanese = japanese

    def ordinary(self, ch):
        k = self.kd.get(ch)
        if k is not None and k.grade is not None:
            return True
        return ch in self.jlevel

    def in208(self, ch):
        k = self.kd.get(ch)
        return k is not None and 'jis208' in k.cp

    def jis_level(self, ch):
        """0/1 JIS X 0208 level 1/2, 2 IBM/NEC vendor kanji (e.g. 髙 﨑),
        3 JIS X 0213, 4 JIS X 0212, 5 none."""
        k = self.kd.get(ch)
        cp = k.cp if k else {}
        jp = self.japanese.get(ch, ())
        v = cp.get('jis208')
        if v:
            row = int(v.split('-')[1])
            return 0 if row < 48 else 1
        if 'kIBMJapan' in jp:
            return 2
        if 'jis213' in cp or 'kJIS0213' in jp:
            return 3
        if 'jis212' in cp or 'kJis1' in jp:
            return 4
        return 5

    def commonness_key(self, ch):
        """Sort key: most common character first."""
        k = self.kd.get(ch)
        grade = k.grade if k and k.grade else 99
        gclass = 0 if grade <= 8 else (1 if grade <= 10 else 2)
        freq = k.freq if k and k.freq and P['use_freq'] else 9999
        return (-round(math.log1p(self.name_count.get(ch, 0)), 1),
                gclass, freq, self.jis_level(ch), ord(ch))


def form_prior(form, tags, nread, align_lp, ci, family):
    """log of the prior weight of a form (used when full-name counts are few)."""
    sc = P['w_align'] * align_lp if align_lp is not None else P['no_align']
    sc += P['w_nread'] * math.log1p(nread)
    if family and 'p' in tags:
        sc += P['w_place']
    kana = sum(1 for c in form if is_kana(c) and c != 'ヶ')
    if kana == len(form):
        sc += P['kana_only']
    elif kana:
        sc += P['kana_mixed']
    for c in form:
        if is_kanji(c):
            if not ci.ordinary(c):
                sc += P['rare_kanji']
            if not ci.in208(c):
                sc += P['non208']
    return sc


def form_score(h, prior, hvar=0.0):
    """Full-name counts act as observations, the prior as pseudo-counts;
    a variant spelling (山嵜) borrows a share of its common form's (山崎) count."""
    return math.log(h + min(P['w_var'] * hvar, P['var_cap'])
                    + P['lam'] * math.exp(prior) + 1e-9)


class ReadingModel:
    """P(kanji | reading piece), estimated from aligned name entries."""

    def __init__(self, counts):
        self.counts = counts
        tot = Counter()
        nk = Counter()
        for (ch, base), c in counts.items():
            tot[base] += c
            nk[base] += 1
        self.tot, self.nk = tot, nk

    def logp(self, ch, base):
        c = self.counts.get((ch, base), 0.0)
        return math.log((c + 0.1) / (self.tot.get(base, 0.0) + 0.1 * (self.nk.get(base, 0) + 1)))

    def seg_logp(self, seg):
        return sum(self.logp(ch, base) for ch, base in seg)


# ---------------------------------------------------------------------------
# Main build
# ---------------------------------------------------------------------------

def write_tsv(path, rows):
    """rows: dict reading -> list of forms. Sorted by UTF-8 bytes."""
    with open(path, 'w', encoding='utf-8', newline='\n') as fh:
        for r in sorted(rows, key=sort_key):
            forms = rows[r]
            if not forms:
                continue
            fh.write(r + '\t' + ' '.join(forms) + '\n')


EXPLAIN = set()


def build(args):
    EXPLAIN.update(args.explain or ())
    for kv in args.param or ():
        k, v = kv.split('=')
        if k not in P:
            raise SystemExit('unknown parameter ' + k)
        P[k] = float(v)
    log = (lambda *a: print(*a, file=sys.stderr)) if args.verbose else (lambda *a: None)
    kd = parse_kanjidic(args.kanjidic)
    log('kanjidic', len(kd))
    uh_var, japanese, jp_var, jlevel, uh_read, uh_loose, uh_sounds = parse_unihan(args.unihan_dir)
    log('unihan variants', len(uh_var), 'japanese', len(japanese))
    entries, st = parse_enamdict(args.enamdict)
    log('enamdict entries', len(entries), dict(st))

    # ---- per-character readings (KANJIDIC2, then fallbacks) -------------
    char_readings = {lit: list(k.readings) for lit, k in kd.items()}

    # ---- dictionaries of name entries --------------------------------------
    sur = {}
    giv = {}
    for e in entries:
        if e.tags & SURNAME_TAGS:
            sur.setdefault((e.form, e.reading), set()).add(norm_roma(e.romaji))
        if e.tags & GIVEN_TAGS:
            giv.setdefault((e.form, e.reading), set()).add(norm_roma(e.romaji))
    aligner = Aligner(char_readings)
    hs, hg, used = count_fullnames(entries, sur, giv, P['era_weight'], aligner)
    log('full names used', used, 'surname keys', len(hs), 'given keys', len(hg))

    # ---- alignment model ----------------------------------------------------
    cnt_s, cnt_g, cnt_all = Counter(), Counter(), Counter()
    name_count = Counter()     # characters weighted by person-name usage
    seg_cache = {}
    for e in entries:
        if not (e.tags & PERSON_TAGS) and 'h' not in e.tags:
            continue
        for c in set(e.form):
            if is_kanji(c):
                name_count[c] += 1
        if not (e.tags & PERSON_TAGS) or not form_ok(e.form):
            continue
        segs = aligner.segment(e.form, e.reading)
        seg_cache[(e.form, e.reading)] = segs
        if not segs:
            continue
        is_s = bool(e.tags & SURNAME_TAGS)
        is_g = bool(e.tags & GIVEN_TAGS)
        ws = 1.0 + hs.get((e.form, e.reading), 0.0)
        wg = 1.0 + hg.get((e.form, e.reading), 0.0)
        share = 1.0 / len(segs)
        for seg in segs:
            for ch, base in seg:
                if is_s:
                    cnt_s[(ch, base)] += ws * share
                if is_g:
                    cnt_g[(ch, base)] += wg * share
                cnt_all[(ch, base)] += (ws if is_s else wg if is_g else 0.5) * share
    model_s, model_g = ReadingModel(cnt_s), ReadingModel(cnt_g)
    ci = CharInfo(kd, jlevel, name_count, japanese)
    log('alignment counts', len(cnt_all))

    # ---- family.tsv / given.tsv ------------------------------------------------
    def make_names(tagset, model, h, family, u_extra):
        forms = defaultdict(dict)      # reading -> form -> (tier, -score)
        nread = Counter()
        pool = []
        in_dict = set()
        ustat = Counter()
        for e in entries:
            tier = None
            if e.tags & tagset:
                tier = 0
            elif u_extra and 'u' in e.tags:
                tier = 1
            if tier is None:
                continue
            if not form_ok(e.form) or e.form == e.reading:
                continue
            if tier == 1:
                # (u) entries: only kanji forms whose reading is either
                # explained by the kanji readings or attested in a full name
                if not has_kanji(e.form):
                    ustat['dropped (kana only)'] += 1
                    continue
                if (e.form, e.reading) not in h:
                    segs = seg_cache.get((e.form, e.reading))
                    if segs is None:
                        segs = aligner.segment(e.form, e.reading)
                    if not segs:
                        ustat['dropped (reading not explained)'] += 1
                        continue
                ustat['kept'] += 1
            pool.append((e.form, e.reading, e.tags, tier))
            if tier == 0:
                in_dict.add((e.form, e.reading))
        if ustat:
            log('(u) forms:', dict(ustat))
        # forms attested only as a part of (h) full names
        added = 0
        for (f, r), c in (sorted(h.items()) if args.h_forms else ()):
            if (f, r) in in_dict or not form_ok(f) or not has_kanji(f) or len(f) > 5:
                continue
            segs = seg_cache.get((f, r))
            if segs is None:
                segs = seg_cache[(f, r)] = aligner.segment(f, r)
            if not segs and c < P['hx_min']:
                continue
            pool.append((f, r, frozenset({'hx'}), 0))
            added += 1
        log('forms from full names only:', added)
        best_canon = Counter()      # (canonical spelling, reading) -> max count
        for f, r, tags, tier in pool:
            nread[f] += 1
            cf = ''.join(canon.get(c, c) for c in f)
            best_canon[(cf, r)] = max(best_canon[(cf, r)], h.get((f, r), 0.0))
        for f, r, tags, tier in pool:
            segs = seg_cache.get((f, r))
            if segs is None:
                segs = aligner.segment(f, r)
            lp = max((model.seg_logp(s) for s in segs), default=None)
            prior = form_prior(f, tags, nread[f], lp, ci, family)
            hh = h.get((f, r), 0.0)
            cf = ''.join(canon.get(c, c) for c in f)
            hvar = max(best_canon[(cf, r)] - hh, 0.0)
            sc = form_score(hh, prior, hvar)
            if r in EXPLAIN:
                print('EXPLAIN', r, f, sorted(tags), 'tier', tier,
                      'h=%.1f hvar=%.1f nread=%d lp=%s prior=%.2f score=%.2f' % (
                          hh, hvar, nread[f],
                          None if lp is None else round(lp, 2), prior, sc),
                      file=sys.stderr)
            key = (tier, -sc)
            old = forms[r].get(f)
            if old is None or key < old:
                forms[r][f] = key
        rows = {}
        for r, fs in forms.items():
            rows[r] = [f for f, _ in sorted(fs.items(), key=lambda kv: (kv[1], kv[0]))]
        return rows

    # ---- variants ----------------------------------------------------------------
    extra = read_extra_variants(args.extra_variants)
    report = {}
    variants = build_variants(kd, uh_var, japanese, jp_var, extra,
                              ci.commonness_key, report=report)
    log('variants', len(variants), report['variant_sources'])
    if report['variant_unresolved']:
        log('unresolved kanjidic variants', len(report['variant_unresolved']))

    canon = {}        # strong variant groups -> their most common member
    for group in report['strong_groups']:
        top = min(group, key=ci.commonness_key)
        for ch in group:
            canon[ch] = top

    family = make_names(SURNAME_TAGS, model_s, hs, True, False)
    given = make_names(GIVEN_TAGS, model_g, hg, False, args.include_u)

    # ---- kanji.tsv -------------------------------------------------------------
    # characters without KANJIDIC2 readings (and variant-only characters such
    # as 髙 𠮷): inherit readings, trying in turn
    #   1 the NFC base of a compatibility ideograph, 2 variants.tsv neighbours,
    #   3 any Unihan variant / kDefinition "variant of" reference, 4 Unihan
    #   kJapaneseOn/Kun of the character, 5 the same of its Unihan variants,
    #   6 readings the character has in ENAMDICT person names.
    no_read = []
    inherited = {}
    how = Counter()

    def kd_readings(cs):
        rs = []
        for v in cs:
            for r in char_readings.get(v, ()):
                if r not in rs:
                    rs.append(r)
        return rs

    def uh_readings(cs):
        rs = []
        for v in cs:
            for tok in uh_read.get(v, ()):
                r = romaji2hira(tok)
                if r and r not in rs:
                    rs.append(r)
        return rs

    need = [ch for ch in sorted(set(kd) | set(variants)) if not char_readings.get(ch)]
    name_pieces = readings_from_names(entries, aligner, set(need))
    on_guesser = OnGuesser(kd, uh_sounds)
    for ch in need:
        nfc = unicodedata.normalize('NFC', ch)
        loose = sorted(set(uh_loose.get(ch, ())))
        for step, rs in (
                ('nfc', lambda: kd_readings([nfc]) if nfc != ch else []),
                ('variants', lambda: kd_readings(variants.get(ch, ()))),
                ('unihan-variant', lambda: kd_readings(loose)),
                ('unihan-reading', lambda: uh_readings([ch])),
                ('unihan-variant-reading', lambda: uh_readings(loose)),
                ('enamdict', lambda: name_pieces.get(ch, [])),
                ('guessed-on', lambda: on_guesser.guess(ch))):
            got = rs()
            if got:
                inherited[ch] = got
                how[step] += 1
                break
        else:
            no_read.append(ch)
    log('inherited readings by source', dict(how))
    log('inherited readings', len(inherited), 'still without', len(no_read))

    # main list: characters with their own KANJIDIC2 readings; then the
    # characters with inherited readings (variant-only ones like 髙 𠮷).
    # The 75 non-unified compatibility ideographs of KANJIDIC2 (e.g. U+FA45)
    # are left out: NFC turns them into their base character, which is listed.
    by_reading = defaultdict(list)
    late = defaultdict(list)
    for ch, rs in char_readings.items():
        if not is_bad_compat(ch):
            for r in rs:
                by_reading[r].append(ch)
    for ch, rs in inherited.items():
        if not is_bad_compat(ch):
            for r in rs:
                late[r].append(ch)

    def kanji_key(r):
        def key(ch):
            c = cnt_all.get((ch, r), 0.0)
            return (-round(math.log1p(c), 2),) + ci.commonness_key(ch)
        return key

    kanji_rows = {}
    for r in set(by_reading) | set(late):
        main = sorted(set(by_reading.get(r, ())), key=kanji_key(r))
        pos = {c: i for i, c in enumerate(main)}

        def late_key(ch):
            bases = [pos[v] for v in variants.get(ch, ()) if v in pos]
            return (min(bases) if bases else len(main),) + ci.commonness_key(ch)
        tail = sorted(set(late.get(r, ())) - set(main), key=late_key)
        kanji_rows[r] = main + tail

    os.makedirs(args.out, exist_ok=True)
    write_tsv(os.path.join(args.out, 'family.tsv'), family)
    write_tsv(os.path.join(args.out, 'given.tsv'), given)
    write_tsv(os.path.join(args.out, 'kanji.tsv'), kanji_rows)
    write_tsv(os.path.join(args.out, 'variants.tsv'), variants)

    # ---- checks ---------------------------------------------------------------
    reach = set()
    for lst in kanji_rows.values():
        reach.update(lst)
    missing = [c for c in kd if c not in reach
               and unicodedata.normalize('NFC', c) not in reach]
    vmissing = [c for c in variants if c not in reach]
    total = sum(os.path.getsize(os.path.join(args.out, f))
                for f in ('family.tsv', 'given.tsv', 'kanji.tsv', 'variants.tsv'))
    print(f'family {len(family)} readings, given {len(given)}, kanji {len(kanji_rows)}, '
          f'variants {len(variants)}; total {total} bytes', file=sys.stderr)
    if missing:
        print('KANJIDIC2 kanji without reading:', ''.join(missing), file=sys.stderr)
    if vmissing:
        print('variant chars without reading:', ''.join(vmissing), file=sys.stderr)
    if args.verbose:
        print('strong variant group sizes:',
              sorted(report['variant_strong_groups'].items()), file=sys.stderr)
        print('groups too big to close:', report['variant_big_groups'], file=sys.stderr)
        for lit, t, v in report['variant_unresolved']:
            print('  unresolved', lit, t, v, file=sys.stderr)
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--enamdict', default='/tmp/dict/x/usr/share/edict/enamdict')
    ap.add_argument('--kanjidic', default='/tmp/dict/kd2.xml',
                    help='KANJIDIC2 XML, plain or .gz')
    ap.add_argument('--unihan-dir', default='/tmp/dict/x/usr/share/unicode')
    ap.add_argument('--extra-variants',
                    default=os.path.join(HERE, '..', 'data', 'variants-extra.tsv'))
    ap.add_argument('--out', default=os.path.join(HERE, '..', 'data'))
    ap.add_argument('--no-u', dest='include_u', action='store_false',
                    help='leave ENAMDICT (u) entries out of given.tsv')
    ap.add_argument('--no-h-forms', dest='h_forms', action='store_false',
                    help='do not add names attested only inside (h) full-name entries')
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('--param', action='append', metavar='NAME=VALUE',
                    help='override a scoring parameter (for tuning)')
    ap.add_argument('--explain', nargs='*', metavar='READING',
                    help='print the score components of these readings')
    args = ap.parse_args(argv)
    build(args)


if __name__ == '__main__':
    main()
