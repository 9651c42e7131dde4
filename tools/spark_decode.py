#!/usr/bin/env python3
"""Decode a log on Spark with posresp as a stateless streaming filter (RDD.pipe: log lines on
stdin, JSON Lines on stdout), on a local Spark (pyspark from PyPI, local mode), and check
that the result equals a direct `posresp decode` of the same log. Not run by CI.

    python3 -m venv /tmp/sparkvenv && /tmp/sparkvenv/bin/pip install pyspark==4.3.0
    /tmp/sparkvenv/bin/python tools/spark_decode.py [TRANSACTIONS] [PARTITIONS]

Needs Java 17 (Spark's JVM). See docs/scale-out.md for the recipe on a cluster.
"""
import json, os, subprocess, sys, tempfile, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
PARTS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=root, check=True)
posresp = os.path.join(root, "target", "release", "posresp")
work = tempfile.mkdtemp()
log = os.path.join(work, "traffic.jsonl")
subprocess.run([posresp, "--spec", "cup", "generate", "--count", str(N), "--seed", "11",
                "--out", log], check=True)
# One bad line in the middle: it must come out as an error record, not vanish.
lines = open(log).read().splitlines()
lines.insert(len(lines) // 2, '{"ts":"2026-11-26T00:00:00.000Z","hex":"0200ZZ"}')
open(log, "w").write("\n".join(lines) + "\n")

FILTER = [posresp, "--spec", "cup", "--output", "jsonl", "decode", "--input-format", "jsonl", "-"]

def canonical(line):
    # Index and line number count from the start of each input, so a partition starts at 0:
    # everything else must be identical.
    r = json.loads(line)
    r.pop("index", None)
    r.pop("line", None)
    return json.dumps(r, sort_keys=True)

t0 = time.time()
direct = subprocess.run(FILTER[:-1] + [log], capture_output=True, text=True)
assert direct.returncode == 2, "the planted bad line makes the direct decode exit 2"
t_direct = time.time() - t0
want = [canonical(l) for l in direct.stdout.splitlines()]

from pyspark import SparkConf, SparkContext
conf = (SparkConf().setMaster(f"local[{os.cpu_count()}]").setAppName("posresp-decode")
        .set("spark.ui.enabled", "false"))
sc = SparkContext(conf=conf)
sc.setLogLevel("ERROR")
t0 = time.time()
rdd = sc.textFile(log, minPartitions=PARTS)
# RDD.pipe keeps the order within a partition and partitions keep the file's order.
out_dir = os.path.join(work, "decoded")
rdd.pipe(" ".join(FILTER), checkCode=False).saveAsTextFile(out_dir)
t_spark = time.time() - t0
parts = rdd.getNumPartitions()
sc.stop()
got = []
for part in sorted(f for f in os.listdir(out_dir) if f.startswith("part-")):
    with open(os.path.join(out_dir, part)) as f:
        got.extend(canonical(l) for l in f)

print(f"{len(lines)} log lines, {parts} partitions")
print(f"direct posresp decode: {len(want)} records in {t_direct:.2f} s")
print(f"Spark RDD.pipe:        {len(got)} records in {t_spark:.2f} s")
errors = sum('"error"' in g for g in got)
print(f"error records: {errors} (the planted bad line)")
if got != want:
    first = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b) if len(got) == len(want) else None
    sys.exit(f"MISMATCH: {len(got)} vs {len(want)} records; first difference at {first}")
assert errors == 1, errors
print("identical: every record equal to the direct decode, in the same order")
