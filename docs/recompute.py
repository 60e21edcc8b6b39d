#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Recompute mdrill's preservation figures from --csv exports and a --keep
database, without mdrill: the expected value of each (table, key, field) is
the last acknowledged write (by complete tick; writes that overlap in time
are all accepted), and the kept database's probe is compared with it.

usage: recompute.py CSV_DIR KEPT.db "PROBE SELECT" TABLE
Prints 'expected N preserved N'.  SQLite only, like --keep's file; for
drills without deletes (a delete makes the row's absence the expected
value, which this short version does not handle).
"""
import csv, sqlite3, sys

if len(sys.argv) != 5 or sys.argv[1] in ("-h", "--help"):
    asked = len(sys.argv) == 2 and sys.argv[1] in ("-h", "--help")
    (sys.stdout if asked else sys.stderr).write(
        "usage: recompute.py CSV_DIR KEPT.db \"PROBE SELECT\" TABLE\n"
        "  CSV_DIR  the directory 'mdrill run ... --csv CSV_DIR' wrote\n"
        "  KEPT.db  the SQLite file 'mdrill run ... --keep' kept\n"
        "  PROBE    the scenario's '-- @probe TABLE' SELECT, key first\n"
        "  TABLE    the table it reads\n"
        "prints 'expected N preserved N', as the scorecard's preservation figures\n")
    sys.exit(0 if asked else 2)
csv_dir, db, probe, table = sys.argv[1:5]
tx = {r["id"]: r for r in csv.DictReader(open(f"{csv_dir}/transactions.csv"))}
writes = {}  # (key, field) -> [(invoke, complete, value)]
for f in csv.DictReader(open(f"{csv_dir}/facts.csv")):
    if f["table"] != table or f["op"] != "write" or f["field"] == "(row)":
        continue
    if f["tx"] == "seed":
        invoke = complete = -1
    else:
        t = tx[f["tx"]]
        if t["outcome"] != "ok":
            continue
        invoke, complete = int(t["invoke_tick"]), int(t["complete_tick"])
    value = None if f["value_is_null"] == "true" else f["value"]
    writes.setdefault((f["key"], f["field"]), []).append((invoke, complete, value))

rows = {}
con = sqlite3.connect(db)
cur = con.execute(probe)
names = [d[0] for d in cur.description]
for r in cur:
    rows[str(r[0])] = {n: (None if v is None else str(v)) for n, v in zip(names[1:], r[1:])}

preserved = 0
for (key, field), ws in writes.items():
    last_invoke = max(w[0] for w in ws)
    accepted = {w[2] for w in ws if w[1] >= last_invoke}  # not followed by another write
    row = rows.get(key)
    if row is not None and field in row and row[field] in accepted:
        preserved += 1
print(f"expected {len(writes)} preserved {preserved}")
