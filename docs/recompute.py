#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Recompute mdrill's preservation figures from --csv exports and a --keep
database, without mdrill: a second implementation of the oracle's rule, to
hold the first one to.

  recompute.py CSV_DIR KEPT.db "PROBE SELECT" TABLE
  recompute.py --scenario SCENARIO.drill CSV_DIR KEPT.db

Both print 'expected N preserved N', as the scorecard's preservation
figures (its JSON's preservation.expected and preservation.preserved).
The first form checks one table through one probe; the second every table
through the scenario's own probes (SQLite's, or those for every engine).
SQLite only, like --keep's file.

The rule.  Every acknowledged write (a transaction whose outcome is "ok", or
the seed) establishes a fact: one field of one row; a delete establishes the
row's absence.  For each (table, key, field) the value it may finally hold
is that of any acknowledged operation that no other acknowledged operation
definitely follows (its complete tick is at or after the latest invoke tick
among them: overlapping writes are all accepted, as Jepsen's register
checkers accept them); an operation of unknown outcome ("indeterminate") is
accepted too, but never makes an item expected on its own.  A field whose
only fate is its row's deletion is judged once, on the row.  The item is
preserved when the probe finds an accepted value: the value as text, NULL
for NULL, the row absent for a delete.  A column the final schema lacks
reads as lost; a probe that fails loses every fact of its table.
"""
import csv
import re
import sqlite3
import sys

USAGE = (
    "usage: recompute.py CSV_DIR KEPT.db \"PROBE SELECT\" TABLE\n"
    "       recompute.py --scenario SCENARIO.drill CSV_DIR KEPT.db\n"
    "  CSV_DIR   the directory 'mdrill run ... --csv CSV_DIR' wrote\n"
    "  KEPT.db   the SQLite file 'mdrill run ... --keep' kept\n"
    "  PROBE     a '-- @probe TABLE' SELECT, key first; TABLE the table it reads\n"
    "  SCENARIO  the scenario file: every probe of it, SQLite's where it has its own\n"
    "prints 'expected N preserved N', as the scorecard's preservation figures\n")

# A directive line, as mdrill's sql_directive reads one: white space is a space or a tab.
DIRECTIVE = re.compile(r"^[ \t]*--[ \t]*@([A-Za-z0-9_]+)(?:[ \t]+(.*?))?[ \t]*\r?$")


def probes_of(path):
    """{table: SELECT} of the scenario's probes: SQLite's own, else the one for every engine."""
    found, cur = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = DIRECTIVE.match(line)
        if m:
            cur = None
            if m.group(1) == "probe":
                words = (m.group(2) or "").split()
                if words and (len(words) == 1 or words[1] == "sqlite"):
                    cur = (words[0], len(words) > 1)
                    found.setdefault(cur, [])
            continue
        if cur is not None:
            found[cur].append(line)
    out = {}
    for (table, own), lines in found.items():
        # The SELECT up to its ';': comments after it are the scenario's prose.
        sql = "\n".join(l for l in lines if not l.lstrip().startswith("--")).split(";")[0].strip()
        if own or table not in out:
            out[table] = sql
    return out


def read_probe(con, sql):
    """(columns, {key: {column: text or None}}, missing columns), or None when it cannot run."""
    missing = []
    for _ in range(16):
        try:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            cur.close()
            break
        except sqlite3.OperationalError as e:
            m = re.match(r"no such column: (\S+)", str(e))
            if not m:
                return None
            col = m.group(1)
            # Read it as NULL: in the select list under its alias, or its own name.
            pat = re.compile(r"(?<![\w.])" + re.escape(col) + r"(?![\w])(\s+AS\s+(\w+))?", re.I)
            cut = re.search(r"(?i)\bfrom\b", sql)
            head, tail = (sql[:cut.start()], sql[cut.start():]) if cut else (sql, "")

            def null_as(m):
                name = m.group(2) or col.split(".")[-1]
                missing.append(name)
                return "NULL AS " + name
            sql = pat.sub(null_as, head) + re.sub(r"(?<![\w.])" + re.escape(col) + r"(?![\w])", "NULL", tail)
    else:
        return None
    # Every value as SQLite itself writes it as text, as mdrill's driver reads it.
    wrapped = "SELECT %s FROM (%s)" % (
        ", ".join("CAST(\"%s\" AS TEXT)" % n.replace('"', '""') for n in names), sql)
    rows = {}
    for r in con.execute(wrapped):
        if r[0] is None or str(r[0]) in rows:
            continue
        rows[str(r[0])] = dict(zip(names[1:], r[1:]))
    return names, rows, missing


def recount(csv_dir, db, probes, only=None):
    tx = {r["id"]: r for r in csv.DictReader(open(f"{csv_dir}/transactions.csv", encoding="utf-8"))}
    items = {}   # (table, key, field) -> [(outcome, invoke, complete, value or DELETED)]
    dels = {}    # (table, key) -> [(outcome, invoke, complete)]
    rowfacts = {}
    DELETED = object()
    for f in csv.DictReader(open(f"{csv_dir}/facts.csv", encoding="utf-8")):
        if f["tx"] == "seed":
            outcome, invoke, complete = "ok", -1, -1
        else:
            t = tx[f["tx"]]
            outcome, invoke, complete = t["outcome"], int(t["invoke_tick"]), int(t["complete_tick"])
        if outcome == "failed" or (only and f["table"] != only):
            continue
        key = (f["table"], f["key"])
        if f["field"] == "(row)":
            op = (outcome, invoke, complete, DELETED if f["op"] == "delete" else "present")
            rowfacts.setdefault(key, []).append(op)
            if f["op"] == "delete":
                dels.setdefault(key, []).append(op)
            continue
        value = None if f["value_is_null"] == "true" else f["value"]
        items.setdefault(key + (f["field"],), []).append((outcome, invoke, complete, value))

    con = sqlite3.connect(db)
    read = {t: read_probe(con, sql) for t, sql in probes.items()}

    def judge(ops, found, present, readable, is_row):
        acked = [o for o in ops if o[0] == "ok"]
        if not acked:
            return None   # nothing acknowledged: no fact
        latest = max(o[1] for o in acked)
        cands = [o for o in ops if o[2] >= latest]
        if not is_row and all(o[3] is DELETED for o in cands):
            return None   # judged on the row
        if not readable:
            return False
        for o in cands:
            if o[3] is DELETED:
                if not present:
                    return True
            elif is_row:
                if present:
                    return True
            elif present and found is not MISSING and found == o[3]:
                return True
        return False

    MISSING = object()
    expected = preserved = 0
    for (table, key, field), ops in items.items():
        ops = ops + dels.get((table, key), [])
        r = read.get(table)
        readable = r is not None
        row = r[1].get(key) if readable else None
        found = MISSING
        if row is not None and field not in r[2] and field in r[1].get(key, {}):
            found = row[field]
        v = judge(ops, found, row is not None, readable, False)
        if v is not None:
            expected += 1
            preserved += v
    for (table, key), ops in rowfacts.items():
        r = read.get(table)
        readable = r is not None
        v = judge(ops, None, readable and key in r[1], readable, True)
        if v is not None:
            expected += 1
            preserved += v
    return expected, preserved


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    only = None
    if len(argv) == 5 and argv[1] == "--scenario":
        probes = probes_of(argv[2])
        csv_dir, db = argv[3], argv[4]
    elif len(argv) == 5 and not argv[1].startswith("-"):
        csv_dir, db, probe, table = argv[1:5]
        probes = {table: probe.strip().rstrip(";")}
        only = table
    else:
        sys.stderr.write(USAGE)
        return 2
    expected, preserved = recount(csv_dir, db, probes, only)
    print(f"expected {expected} preserved {preserved}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
