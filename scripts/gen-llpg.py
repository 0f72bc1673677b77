#!/usr/bin/env python3
"""Writes a synthetic BS 7666 DTF 7.3 LLPG extract with N properties (for the import benchmark).

usage: scripts/gen-llpg.py N > file.csv   -- deterministic: the same N gives the same file.
About 50 properties a street; every 10th property also has an alternative LPI; a few named
houses and flats; postcodes in GL50-GL53.
"""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rnd = random.Random(1615)
out = sys.stdout
names = ["High Street", "Church Road", "Station Road", "Park Lane", "London Road", "Mill Street", "Victoria Road", "The Green"]
letters = "ABDEFGHJLNPQRSTUWXYZ"
d = "2024-04-01"
rows = 0
def row(*fields):
    global rows
    rows += 1
    out.write(",".join("" if f is None else (('"%s"' % f) if isinstance(f, str) and ("," in f or " " in f) else str(f)) for f in fields) + "\r\n")

row(10, "I", 0, "Benchmark Council", 1615, d, 1, d, "09:00:00", "7.3", "F")
streets = (n + 49) // 50
for s in range(streets):
    usrn = 20000000 + s
    row(11, "I", 0, usrn, 1, 1615, 2, d, 1, 8, 1, d, d, "1990-01-01", None, 394900, 222300, 395300, 222350, 10)
    row(15, "I", 0, usrn, "%s %d" % (names[s % len(names)], s), None, "Cheltenham", "Gloucestershire", "ENG")
lpi = 0
for i in range(n):
    uprn = 100000000000 + i
    usrn = 20000000 + i // 50
    pc = "GL5%d %d%s%s" % (i % 4, (i // 7) % 10, letters[(i // 3) % 20], letters[i % 20])
    row(21, "I", 0, uprn, 1, 2, d, "RD04", None, "%d.00" % (394000 + i % 1000), "%d.00" % (222000 + i // 1000), 1, 1615,
        "1990-01-01", None, d, d, None, None, None, None, None, None)
    number = i % 50 + 1
    named = i % 37 == 0
    lpi += 1
    row(24, "I", 0, uprn, "1615L%09d" % lpi, "ENG", 1, "1990-01-01", None, d, d,
        (number % 4 + 1) if i % 19 == 0 else None, None, None, None, "Flat" if i % 19 == 0 else None,
        None if named else number, "A" if i % 23 == 0 and not named else None, None, None, "Rose Cottage" if named else None,
        usrn, None, "Y", pc, "CHELTENHAM", "Y", None, None, None)
    if i % 10 == 0:
        lpi += 1
        row(24, "I", 0, uprn, "1615L%09d" % lpi, "ENG", 3, "1990-01-01", None, d, d, None, None, None, None, None,
            number, None, None, None, "The House %d" % number, usrn, None, "Y", pc, "CHELTENHAM", "Y", None, None, None)
row(99, "I", 0, 0, rows + 1, d, "09:00:00")
