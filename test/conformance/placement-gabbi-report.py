"""Totals the placement gabbi results against the checked-in exclusion list.

Usage: placement-gabbi-report.py <gabbits-dir> <exclusions.txt> <results-dir> file.yaml...
An exclusion line is `<file>.yaml: <test name>  # <reason>`. A failing excluded test counts as
skipped; a failing test not listed, and a file that produced no results, count as failed. Prints
each failure, then "N passed, N failed, N skipped"; writes the same counts to $NIMBUS_SUMMARY_FILE.
"""
import json
import os
import sys

import yaml


def main():
    src, exclusions_file, results, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    excluded = {}
    if os.path.exists(exclusions_file):
        for line in open(exclusions_file):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            key, _, reason = line.partition('  #')
            excluded[key.strip()] = reason.strip()
    passed = failed = skipped = 0
    for f in files:
        with open(os.path.join(src, f)) as h:
            expected = [t['name'] for t in (yaml.safe_load(h) or {}).get('tests', [])]
        path = os.path.join(results, f + '.json')
        rows = json.load(open(path)) if os.path.exists(path) else []
        outcome = {}
        for row in rows:
            outcome.setdefault(row['name'], (row['outcome'], row['detail']))
        for name in expected:
            state, detail = outcome.get(name, ('fail', 'no result (the file did not finish)'))
            key = '%s: %s' % (f, name)
            if state == 'pass':
                passed += 1
            elif key in excluded or state == 'skip':
                skipped += 1
            else:
                failed += 1
                first = [ln for ln in detail.splitlines() if ln.strip()][-1:] or ['']
                print('FAIL %s -- %s' % (key, first[0][:300]))
    line = '%d passed, %d failed, %d skipped' % (passed, failed, skipped)
    print(line)
    summary = os.environ.get('NIMBUS_SUMMARY_FILE')
    if summary:
        with open(summary, 'a') as h:
            h.write('gabbi-placement %d %d %d\n' % (passed, failed, skipped))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
