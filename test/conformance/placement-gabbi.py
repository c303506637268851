"""Runs upstream Placement's gabbi files against Nimbus's Placement.

Usage: placement-gabbi.py <control-port> <placement-port> <gabbits-dir> <results.json> [file.yaml ...]
The fixtures come from placement-gabbi-fixtures.py (next to this file). Writes one result per
test (file, name, outcome, detail) to results.json and prints "N passed, N failed, N skipped".
"""
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import unittest

from gabbi import driver

here = os.path.dirname(os.path.abspath(__file__))


def main():
    control, target, source, out = sys.argv[1:5]
    only = set(sys.argv[5:])
    os.environ['PLACEMENT_GABBI_CONTROL'] = control
    os.environ['PLACEMENT_GABBI_TARGET'] = target
    spec = importlib.util.spec_from_file_location(
        'placement_gabbi_fixtures', os.path.join(here, 'placement-gabbi-fixtures.py'))
    fixtures = importlib.util.module_from_spec(spec)
    sys.modules['placement_gabbi_fixtures'] = fixtures
    spec.loader.exec_module(fixtures)

    work = tempfile.mkdtemp(prefix='placement-gabbits-')
    try:
        for name in sorted(os.listdir(source)):
            if name.endswith('.yaml') and (not only or name in only):
                shutil.copy(os.path.join(source, name), work)
        suite = driver.build_tests(work, unittest.TestLoader(), host='127.0.0.1', port=int(target),
                                   fixture_module=fixtures, test_loader_name='gabbi')
        result = Collector()
        suite.run(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(out, 'w') as f:
        json.dump(result.rows, f, indent=1)
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    for row in result.rows:
        counts[row['outcome']] += 1
    print('%d passed, %d failed, %d skipped' % (counts['pass'], counts['fail'], counts['skip']))


class Collector(unittest.TestResult):
    """Keeps every test's outcome, named `<file>: <test name>`."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def _row(self, test, outcome, detail=''):
        file = getattr(test, 'test_directory', '')
        data = getattr(test, 'test_data', {}) or {}
        ident = test.id().split('.')[-1]
        name = data.get('name', ident)
        yaml = ident.split('_', 1)[1] if '_' in ident else ident
        self.rows.append({'id': ident, 'name': name, 'outcome': outcome, 'detail': detail[-3000:], 'file': file or yaml})

    def addSuccess(self, test):
        self._row(test, 'pass')

    def addFailure(self, test, err):
        self._row(test, 'fail', self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self._row(test, 'fail', self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self._row(test, 'skip', reason)

    def addExpectedFailure(self, test, err):
        self._row(test, 'pass', 'expected failure')

    def addUnexpectedSuccess(self, test):
        self._row(test, 'fail', 'unexpected success')


if __name__ == '__main__':
    main()
