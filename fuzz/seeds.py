#!/usr/bin/env python3
"""Writes the text seeds of fuzz/corpus/ from the project's own tests, fixtures
and documentation (all data invented). The binary seeds (keyslots, grants,
cells, transcripts) come from the real code: `cargo test --test fuzz_corpus
-- --ignored write_binary_seeds`. Run from the repository root."""
import os, pathlib

root = pathlib.Path(__file__).resolve().parent / "corpus"

def put(target, items):
    d = root / target
    d.mkdir(parents=True, exist_ok=True)
    for i, item in enumerate(items):
        data = item if isinstance(item, bytes) else item.encode("utf-8")
        (d / f"seed-{i:03}").write_bytes(data)

put("date", [
    "昭和41年4月1日", "S41.4.1", "s41/4/1", "Ｓ４１．４．１", "昭和４１年４月１日", "H元.1.8",
    "平成元年1月8日", "令和元年5月1日", "大正15年12月24日", "明治45年7月29日", "昭和41年4月1日生まれ",
    "\u3000昭和 41 年 4 月 1 日\u3000", "1966-04-01", "1966/4/1", "1966年4月1日", "１９６６－０４－０１",
    "1966・4・1", "R7.4.1", "H31/4/30", "2026-10", "21:00", "9:30",
])
put("postal", [
    "160-0022", "1600022", "〒160-0022", "160‐0022", "１６０－００２２", " 160 - 0022 ", "164-0001",
    "# sample ward\n# ward: 中野区\npostal_code\ttown\tlabel\n1640000\t\t\n1640001\t中野\t中野\n",
    "# c\npostal_code\ttown\tlabel\n1640001\t中野\t中野\n164-0002\t上高田\t上高田\n",
    (pathlib.Path(__file__).resolve().parent.parent / "src/eligibility/postal-codes-13104-shinjuku.tsv")
        .read_bytes()[:2000].rsplit(b"\n", 1)[0] + b"\n",
])
put("phone", [
    "03-5555-0101", "090-5555-0102", "０３（５５５５）０１０３", "080 5555 0104", "050-5555-0105",
    "0120-555-010", "0570-555-010", "0422-55-0101", "+81 3 5555 0101", "(03)5555-0101",
])
put("kana", [
    "しけん はなこ", "カクウ サクラ", "ﾐﾎﾝ ｲﾁﾛｳ", "やまだ", "たろう", "さいとう", "わたなべ", "ヴァ", "ゔ",
    "試験 花子", "東京都新宿区西新宿２－８－１", "ａｂｃ１２３", "きゃっ", "ー",
])
put("config", [
    (pathlib.Path(__file__).resolve().parent.parent / "debian/tsudoi.toml").read_text(),
    "", "site = \"試験会場\"\n[security]\nlockout_attempts = 5\nlockout_minutes = 15\n",
    "[kiosk]\nclosing_time = \"21:00\"\n[contract]\nfrom = \"2026-04-01\"\nuntil = \"2027-03-31\"\n",
    "[mimamori]\nvisits = 4\nweeks = 8\nabsent_weeks = 3\n",
    "[hardware]\nreader = \"simulated\"\n",
    "[report]\nward_public_key = \"age1qqqq\"\n",
])
put("roster", [
    (pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/ward-roster.csv").read_bytes(),
    "グループ名,氏名,ふりがな,電話番号\nローズ会,試験 花子,しけん はなこ,03-5555-0101\n".encode("cp932"),
    "グループ名,氏名,ふりがな,電話番号\n\"ローズ会\",\"=試験 花子\",\"しけん, はなこ\",03-5555-0101\n",
    "氏名,電話番号\n",
])
key = "0" * 64
put("report", [
    b"\x01" + b"0" * 64 + b"  a.csv\n" + b"\x00\x00" + "施設: 試験会場\n公開鍵（Ed25519）: ".encode() + key.encode() + b"\n\x00x,y\n",
    b"\x00" + b"0" * 64 + b"  a.csv\n" + b"\x00" + b"ab" * 64 + b"\n\x00" + "公開鍵（Ed25519）: ".encode() + key.encode() + b"\n\x00x\n",
    b"\x03" + b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.csv\n" + b"\x00\x00\x00",
    b"\x01../x  b\n\x00\x00\x00",
    b"\x00\x00\x00age1qqqq\x00",
])
put("lottery", [
    "9 18 26 34 41 45\n2 5 12 8 10", "7 8 11 17 19 25 46\n8285182\n60115701\n2 3 18 26 32 33 42",
    "9319\n2 5 8 10 12\n9 18 26 34 41 45", "１７ ２０ ２２", "HELLO WORLD", "1e3", "-3", "7 8 x",
    "99999999999999999999", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
])
put("keys", [
    b"\x02" + "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-IIII-JJJJ-KKKK-LLLL-MMMM-NNN".encode(),
    b"\x03" + b"00" * 32, b"\x04" + b"0123456789abcdef", b"\x04" + b"0123456789ABCDEF",
])
def frame(*data):
    """A normal host information frame: 00 00 FF LEN LCS D4 DATA DCS 00."""
    body = bytes([0xD4, *data])
    return bytes([0, 0, 0xFF, len(body), (-len(body)) & 0xFF]) + body + bytes([(-sum(body)) & 0xFF, 0])

def extended(*data):
    body = bytes([0xD4, *data])
    n = len(body)
    return bytes([0, 0, 0xFF, 0xFF, 0xFF, n >> 8, n & 0xFF, (-(n >> 8) - n) & 0xFF]) + body + bytes([(-sum(body)) & 0xFF, 0])

# The first byte: 1 puts a card on the reader. GetFirmwareVersion,
# SAMConfiguration, InListPassiveTarget (A, FeliCa), InAutoPoll, Read/WriteRegister,
# Diagnose, ACK, NACK, an extended frame, wake-up bytes, an unknown command.
put("pn532", [
    b"\x01\x55\x55\x00\x00\x00\x00" + frame(0x02),
    b"\x01" + frame(0x14, 0x01, 0x14, 0x01),
    b"\x01" + frame(0x4A, 0x01, 0x00),
    b"\x00" + frame(0x4A, 0x01, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x00),
    b"\x01" + frame(0x60, 0x01, 0x01, 0x00, 0x10),
    b"\x01" + frame(0x06, 0x63, 0x05, 0x63, 0x0D),
    b"\x01" + frame(0x08, 0x63, 0x05, 0x80),
    b"\x01" + frame(0x00, 0x00, 0x41, 0x42),
    b"\x01" + frame(0x02) + b"\x00\x00\xff\x00\xff\x00" + b"\x00\x00\xff\xff\x00\x00",
    b"\x01" + extended(0x02),
    b"\x01" + frame(0x40, 0x01, 0x00) + frame(0x99),
])
