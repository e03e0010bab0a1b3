#!/usr/bin/env python3
"""Writes Sources/Neural/Digits+Data.swift from scikit-learn's copy of the 8x8 digits.

Usage (once; the output is committed, so neither builds nor notebooks need the network):
    pip download --no-deps --only-binary=:all: scikit-learn==1.9.1 -d /tmp/skl
    python3 scripts/digits-from-scikit-learn.py /tmp/skl/scikit_learn-1.9.1-*.whl

The wheel's sklearn/datasets/data/digits.csv.gz has 1797 rows of 64 pixel counts (0..16) and the
digit. Each becomes one line of 65 characters: the pixels in base 17 ("0".."9", "a".."g"), then
the digit. Its licence (scikit-learn's COPYING, BSD 3-clause) goes into the file's header.
"""
import gzip
import hashlib
import sys
import zipfile

wheel = zipfile.ZipFile(sys.argv[1])
raw = wheel.read("sklearn/datasets/data/digits.csv.gz")
licence = next(n for n in wheel.namelist() if n.endswith(".dist-info/licenses/COPYING"))
copying = wheel.read(licence).decode().split("\n----\n")[0].strip()
version = sys.argv[1].split("scikit_learn-")[1].split("-")[0]
rows = [[int(float(v)) for v in line.split(",")] for line in gzip.decompress(raw).decode().split()]
assert len(rows) == 1797 and all(len(r) == 65 for r in rows)
digits = "0123456789abcdefg"
lines = ["".join(digits[v] for v in r[:64]) + str(r[64]) for r in rows]
header = "\n".join("// " + line if line else "//" for line in copying.split("\n"))
out = f"""// The 8x8 handwritten digits as scikit-learn {version} ships them
// (sklearn/datasets/data/digits.csv.gz, sha256 {hashlib.sha256(raw).hexdigest()}),
// written by scripts/digits-from-scikit-learn.py: do not edit.
//
// The data is the test set of the UCI "Optical Recognition of Handwritten Digits" data set
// (E. Alpaydin, C. Kaynak, 1998;
// https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits), in the copy
// scikit-learn distributes under its licence:
//
{header}

extension Dataset {{
  /// One line per image: 64 pixel counts in base 17 (`0`…`9`, `a`…`g` for 10…16), row by row,
  /// then the digit.
  static let digitsTable = \"\"\"
{chr(10).join("    " + line for line in lines)}
    \"\"\"
}}
"""
open("Sources/Neural/Digits+Data.swift", "w").write(out)
