#!/usr/bin/env python3
"""Evaluate the candidate ordering of family.tsv / given.tsv / kanji.tsv.

The lists below were written by hand (common Japanese surnames; common given
names of people born about 1925-1966) and are NOT derived from the data.
For every (form, reading) the rank of the form within the reading's line is
looked up; top-1 / top-5 / top-18 (first page) hit rates are printed.

Several names share a reading (斎藤/斉藤 さいとう, 洋子/陽子 ようこ ...), so a
perfect top-1 is impossible; the "best possible" top-1 is printed as well.

Usage: python3 kanji/scripts/evaluate.py [--data DIR] [--check] [--misses]
                                         [--show READING ...]
"""

import argparse
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

SURNAMES = """
佐藤 さとう	鈴木 すずき	高橋 たかはし	田中 たなか	伊藤 いとう
渡辺 わたなべ	山本 やまもと	中村 なかむら	小林 こばやし	加藤 かとう
吉田 よしだ	山田 やまだ	佐々木 ささき	山口 やまぐち	松本 まつもと
井上 いのうえ	木村 きむら	林 はやし	斎藤 さいとう	清水 しみず
山崎 やまざき	森 もり	池田 いけだ	橋本 はしもと	阿部 あべ
石川 いしかわ	山下 やました	中島 なかじま	石井 いしい	小川 おがわ
前田 まえだ	岡田 おかだ	長谷川 はせがわ	藤田 ふじた	後藤 ごとう
近藤 こんどう	村上 むらかみ	遠藤 えんどう	青木 あおき	坂本 さかもと
斉藤 さいとう	福田 ふくだ	太田 おおた	西村 にしむら	藤井 ふじい
金子 かねこ	岡本 おかもと	藤原 ふじわら	中野 なかの	三浦 みうら
原田 はらだ	中川 なかがわ	松田 まつだ	竹内 たけうち	小野 おの
田村 たむら	中山 なかやま	和田 わだ	石田 いしだ	森田 もりた
上田 うえだ	原 はら	内田 うちだ	柴田 しばた	酒井 さかい
宮崎 みやざき	横山 よこやま	高木 たかぎ	安藤 あんどう	宮本 みやもと
大野 おおの	小島 こじま	谷口 たにぐち	今井 いまい	工藤 くどう
高田 たかだ	増田 ますだ	丸山 まるやま	杉山 すぎやま	村田 むらた
大塚 おおつか	新井 あらい	小山 こやま	平野 ひらの	藤本 ふじもと
河野 こうの	上野 うえの	野口 のぐち	武田 たけだ	松井 まつい
千葉 ちば	岩崎 いわさき	菅原 すがわら	木下 きのした	久保 くぼ
佐野 さの	野村 のむら	松尾 まつお	市川 いちかわ	菊地 きくち
杉本 すぎもと	古川 ふるかわ	大西 おおにし	島田 しまだ	水野 みずの
桜井 さくらい	高野 たかの	渡部 わたなべ	吉川 よしかわ	山内 やまうち
西田 にしだ	飯田 いいだ	菊池 きくち	西川 にしかわ	小松 こまつ
北村 きたむら	安田 やすだ	五十嵐 いがらし	川口 かわぐち	平田 ひらた
関 せき	中田 なかた	久保田 くぼた	服部 はっとり	東 ひがし
岩田 いわた	土屋 つちや	川崎 かわさき	福島 ふくしま	本田 ほんだ
辻 つじ	樋口 ひぐち	秋山 あきやま	田口 たぐち	永井 ながい
山中 やまなか	中西 なかにし	吉村 よしむら	川上 かわかみ	石原 いしはら
大橋 おおはし	松岡 まつおか	馬場 ばば	浜田 はまだ	森本 もりもと
星野 ほしの	矢野 やの	浅野 あさの	大久保 おおくぼ	松下 まつした
小池 こいけ	野田 のだ	荒木 あらき	大谷 おおたに	内藤 ないとう
松浦 まつうら	熊谷 くまがい	黒田 くろだ	尾崎 おざき	永田 ながた
川村 かわむら	望月 もちづき	田辺 たなべ	松村 まつむら	荒井 あらい
堀 ほり	大島 おおしま	平井 ひらい	早川 はやかわ	菅野 かんの
栗原 くりはら	西山 にしやま	広瀬 ひろせ	横田 よこた	石橋 いしばし
萩原 はぎわら	岩本 いわもと	片山 かたやま	関口 せきぐち	宮田 みやた
大石 おおいし	高山 たかやま	本間 ほんま	吉岡 よしおか	須藤 すどう
宮下 みやした	小西 こにし	三宅 みやけ	沢田 さわだ	浜口 はまぐち
"""

GIVEN_F = """
幸子 さちこ	和子 かずこ	節子 せつこ	洋子 ようこ	恵子 けいこ
京子 きょうこ	久美子 くみこ	美智子 みちこ	弘子 ひろこ	文子 ふみこ
悦子 えつこ	典子 のりこ	順子 じゅんこ	明美 あけみ	由美子 ゆみこ
裕子 ゆうこ	真理子 まりこ	直美 なおみ	陽子 ようこ	信子 のぶこ
智子 ともこ	和代 かずよ	清子 きよこ	美代子 みよこ	玲子 れいこ
千代子 ちよこ	静子 しずこ	敏子 としこ	孝子 たかこ	君子 きみこ
照子 てるこ	正子 まさこ	光子 みつこ	芳子 よしこ	良子 よしこ
富子 とみこ	貞子 さだこ	久子 ひさこ	春子 はるこ	明子 あきこ
勝子 かつこ	澄子 すみこ	愛子 あいこ	花子 はなこ	美佐子 みさこ
英子 えいこ	房子 ふさこ	菊子 きくこ	道子 みちこ	八重子 やえこ
千恵子 ちえこ	絹子 きぬこ	恵美子 えみこ	由紀子 ゆきこ	邦子 くにこ
和美 かずみ	満子 みつこ	豊子 とよこ	妙子 たえこ	睦子 むつこ
律子 りつこ	泰子 やすこ	康子 やすこ	千鶴子 ちづこ	正江 まさえ
和江 かずえ	千代 ちよ	美枝子 みえこ	敦子 あつこ	民子 たみこ
綾子 あやこ	百合子 ゆりこ	小夜子 さよこ	恵 めぐみ	由美 ゆみ
真由美 まゆみ	弘美 ひろみ	栄子 えいこ	初子 はつこ	秋子 あきこ
好子 よしこ	喜代子 きよこ	登美子 とみこ	節 せつ	ハル はる
"""

GIVEN_M = """
清 きよし	茂 しげる	勇 いさむ	博 ひろし	実 みのる
進 すすむ	正 ただし	勝 まさる	弘 ひろし	隆 たかし
和夫 かずお	正雄 まさお	稔 みのる	浩 ひろし	修 おさむ
武 たけし	昭 あきら	明 あきら	豊 ゆたか	忠 ただし
勉 つとむ	誠 まこと	薫 かおる	敏夫 としお	幸雄 ゆきお
秀夫 ひでお	正夫 まさお	義雄 よしお	三郎 さぶろう	一郎 いちろう
次郎 じろう	太郎 たろう	健一 けんいち	和男 かずお	昭夫 あきお
光男 みつお	信夫 のぶお	武夫 たけお	茂雄 しげお	邦夫 くにお
幸一 こういち	正一 しょういち	哲也 てつや	浩二 こうじ	健二 けんじ
誠一 せいいち	秀樹 ひでき	孝 たかし	徹 とおる	保 たもつ
功 いさお	繁 しげる	登 のぼる	弘之 ひろゆき	正樹 まさき
達也 たつや	和彦 かずひこ	康夫 やすお	久雄 ひさお	文雄 ふみお
悟 さとる	治 おさむ	晃 あきら	宏 ひろし	剛 つよし
学 まなぶ	肇 はじめ	一 はじめ	栄一 えいいち	正義 まさよし
義男 よしお	一夫 かずお	伸一 しんいち	隆之 たかゆき	雅彦 まさひこ
五郎 ごろう	四郎 しろう	洋一 よういち	俊一 しゅんいち	和也 かずや
定男 さだお	喜一 きいち	英夫 ひでお	利夫 としお	俊夫 としお
正治 まさはる	隆夫 たかお	輝夫 てるお	昇 のぼる	仁 ひとし
"""

# single kanji: reading -> kanji expected near the top
KANJI = """
たか 高	すず 鈴	こ 子	ふじ 藤	やま 山	かわ 川	た 田	なか 中
き 木	もと 本	むら 村	い 井	はし 橋	さき 崎	しま 島	はら 原
よし 吉	ひろ 弘	かず 和	まさ 正	ゆき 幸	とし 敏	のり 典	みち 道
あき 明	えい 英	けい 恵	よう 洋	きょう 京	み 美	ち 千	お 雄
お 夫	ろう 郎	いち 一	じ 二	え 江	よ 代	さ 佐	とう 藤
"""


def parse_pairs(block):
    out = []
    for line in block.strip().splitlines():
        for cell in line.split('\t'):
            cell = cell.strip()
            if cell:
                form, reading = cell.split()
                out.append((form, reading))
    return out


def parse_kanji(block):
    out = []
    for line in block.strip().splitlines():
        parts = line.split('\t')
        for p in parts:
            p = p.strip()
            if p:
                r, k = p.split()
                out.append((k, r))
    return out


def load(path):
    d = {}
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            r, forms = line.rstrip('\n').split('\t')
            d[r] = forms.split(' ')
    return d


def rank_of(table, form, reading):
    lst = table.get(reading)
    if not lst or form not in lst:
        return None
    return lst.index(form) + 1


def report(name, pairs, table, show_misses, out=sys.stdout):
    ranks = [rank_of(table, f, r) for f, r in pairs]
    n = len(pairs)
    # best possible top-1: one hit per distinct reading
    best1 = len({r for _f, r in pairs})

    def rate(k):
        return sum(1 for x in ranks if x is not None and x <= k)
    print(f'{name}: n={n}  top-1 {rate(1)}/{n} = {100*rate(1)/n:.1f}%  '
          f'(best possible {best1}/{n} = {100*best1/n:.1f}%)  '
          f'top-5 {100*rate(5)/n:.1f}%  top-18 {100*rate(18)/n:.1f}%  '
          f'missing {sum(1 for x in ranks if x is None)}', file=out)
    dist = Counter()
    for x in ranks:
        if x is None:
            dist['absent'] += 1
        elif x <= 5:
            dist[str(x)] += 1
        elif x <= 18:
            dist['6-18'] += 1
        else:
            dist['>18'] += 1
    order = ['1', '2', '3', '4', '5', '6-18', '>18', 'absent']
    print('   rank distribution: ' + ', '.join(f'{k}:{dist[k]}' for k in order if dist[k]),
          file=out)
    if show_misses:
        for (f, r), x in zip(pairs, ranks):
            if x != 1:
                print(f'   {f} {r}: rank {x}  top: {" ".join(table.get(r, [])[:6])}', file=out)
    return rate(1), rate(5), rate(18), n


def check_files(data):
    """Format checks of the four files; returns a list of problems."""
    import re
    probs = []
    sys.path.insert(0, HERE)
    from make_data import form_ok, is_bad_compat, is_kanji
    reading_re = re.compile(r'^[\u3041-\u3096][\u3041-\u3096\u30fc]*$')
    total = 0
    for name in ('family.tsv', 'given.tsv', 'kanji.tsv', 'variants.tsv'):
        path = os.path.join(data, name)
        raw = open(path, 'rb').read()
        total += len(raw)
        if raw.startswith(b'\xef\xbb\xbf'):
            probs.append(f'{name}: BOM')
        if b'\r' in raw:
            probs.append(f'{name}: CR')
        if not raw.endswith(b'\n'):
            probs.append(f'{name}: no final LF')
        text = raw.decode('utf-8')
        prev = None
        lines = text.split('\n')[:-1]
        vmap = {}
        for n, line in enumerate(lines, 1):
            parts = line.split('\t')
            if len(parts) != 2 or not parts[0] or not parts[1]:
                probs.append(f'{name}:{n}: bad line {line!r}')
                continue
            key, vals = parts
            forms = vals.split(' ')
            if '' in forms:
                probs.append(f'{name}:{n}: empty form')
            if len(set(forms)) != len(forms):
                probs.append(f'{name}:{n}: duplicate form')
            if prev is not None and key.encode() <= prev:
                probs.append(f'{name}:{n}: not sorted / duplicate key')
            prev = key.encode()
            if name == 'variants.tsv':
                if len(key) != 1 or not is_kanji(key) or any(
                        len(f) != 1 or not is_kanji(f) or is_bad_compat(f) for f in forms):
                    probs.append(f'{name}:{n}: bad variant line')
                vmap[key] = forms
                continue
            if not reading_re.match(key):
                probs.append(f'{name}:{n}: bad reading {key!r}')
            for f in forms:
                if not form_ok(f) or f == key or any(is_bad_compat(c) for c in f):
                    probs.append(f'{name}:{n}: bad form {f!r}')
            if name == 'kanji.tsv' and any(len(f) != 1 or not is_kanji(f) for f in forms):
                probs.append(f'{name}:{n}: not a single kanji')
        for a, vs in vmap.items():
            for b in vs:
                if a not in vmap.get(b, ()):
                    probs.append(f'variants.tsv: {a}->{b} not symmetric')
        print(f'{name}: {len(raw)} bytes, {len(lines)} lines')
    print(f'total: {total} bytes ({total / 1e6:.2f} MB)')
    if total > 6_000_000:
        probs.append('total size over 6 MB')
    return probs


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(HERE, '..', 'data'))
    ap.add_argument('--misses', action='store_true', help='list names not ranked first')
    ap.add_argument('--show', nargs='*', default=[], metavar='READING',
                    help='print the first 10 candidates of these readings')
    ap.add_argument('--check', action='store_true', help='also run the format checks')
    args = ap.parse_args(argv)
    if args.check:
        probs = check_files(args.data)
        for p in probs[:50]:
            print('PROBLEM', p)
        print(f'format check: {len(probs)} problems')
    fam = load(os.path.join(args.data, 'family.tsv'))
    giv = load(os.path.join(args.data, 'given.tsv'))
    kan = load(os.path.join(args.data, 'kanji.tsv'))
    report('surnames', parse_pairs(SURNAMES), fam, args.misses)
    gf = parse_pairs(GIVEN_F)
    gm = parse_pairs(GIVEN_M)
    report('given (women)', gf, giv, args.misses)
    report('given (men)', gm, giv, args.misses)
    report('given (all)', gf + gm, giv, False)
    report('kanji', parse_kanji(KANJI), kan, args.misses)
    for r in args.show:
        for nm, t in (('family', fam), ('given', giv), ('kanji', kan)):
            if r in t:
                print(f'{nm}\t{r}\t{" ".join(t[r][:10])}')


if __name__ == '__main__':
    main()
