#!/usr/bin/env python3
"""Timing data for Tempest's workers, ours and checked in, since CI starts from a fresh clone.

stestr balances its workers on the durations it recorded in earlier runs; a fresh workspace has
none, so it deals test classes out round-robin and one worker can get most of the slow ones (a
network class that deletes ten subnets sleeps 100 s in Debian's Tempest, whose subnet delete
sleeps 10 s, hard-coded). A test's own duration leaves out its class's setup and teardown (where
many of those sleeps are), so we keep each test's duration plus an even share of its class's.

  tempest-timings.py record < subunit-stream > timings.txt
      From a run (`stestr last --subunit`): per worker, each class's time runs from its first
      test's start to the next class's first start (or its last test's end plus a margin for the
      teardown nobody timed). Writes "<seconds> <test id>" lines, sorted by test id.
  tempest-timings.py workers timings.txt N < test-list > workers.yaml
      A `tempest run --worker-file` for N workers over the listed tests (`tempest run --list-tests`
      with the run's regex and exclusions): classes dealt longest first to the least loaded
      worker, as stestr would, except that a class longer than most of a worker's share is dealt
      test by test, since no worker could finish it in time (Debian's DHCPv6 class deletes dozens
      of subnets, ten seconds each). Tests not in the file count as the median test.
"""
import collections
import datetime
import sys

# What a class's teardown after its last test takes when nothing later on its worker shows it.
LAST_CLASS_TEARDOWN_SECONDS = 10.0


def class_of(test_id):
    name = test_id.split('[', 1)[0]
    return name.rsplit('.', 1)[0]


def record(stream_in, out):
    import subunit
    import testtools

    tests = {}

    def on_test(test):
        start, stop = test['timestamps']
        if test['status'] in ('exists', None) or None in (start, stop):
            return
        if not test['id'] or test['id'].startswith(('setUpClass', 'tearDownClass')):
            return
        workers = [t for t in test['tags'] if t.startswith('worker-')]
        tests[test['id'].split('[', 1)[0]] = (workers[0] if workers else 'worker-0', start, stop)

    result = testtools.StreamToDict(on_test)
    stream = subunit.ByteStreamToStreamResult(stream_in, non_subunit_name='stdout')
    result.startTestRun()
    stream.run(result)
    result.stopTestRun()

    by_worker = collections.defaultdict(list)
    for test_id, (worker, start, stop) in tests.items():
        by_worker[worker].append((start, stop, test_id))
    class_seconds = collections.defaultdict(float)
    class_tests = collections.defaultdict(list)
    for runs in by_worker.values():
        runs.sort()
        # Consecutive runs of one class on a worker, in order.
        spans = []
        for start, stop, test_id in runs:
            cls = class_of(test_id)
            if spans and spans[-1][0] == cls:
                spans[-1][2] = max(spans[-1][2], stop)
            else:
                spans.append([cls, start, stop])
            class_tests[cls].append(test_id)
        for i, (cls, start, stop) in enumerate(spans):
            end = spans[i + 1][1] if i + 1 < len(spans) else stop + datetime.timedelta(
                seconds=LAST_CLASS_TEARDOWN_SECONDS)
            class_seconds[cls] += (end - start).total_seconds()
    lines = []
    for cls, ids in class_tests.items():
        own = {t: (tests[t][2] - tests[t][1]).total_seconds() for t in ids}
        # The class's setup and teardown, which no test's duration includes, shared evenly.
        overhead = max(0.0, class_seconds[cls] - sum(own.values())) / len(ids)
        lines.extend('%.3f %s' % (own[t] + overhead, t) for t in ids)
    for line in sorted(lines, key=lambda l: l.split(' ', 1)[1]):
        out.write(line + '\n')


def strip_attrs(test_id):
    return test_id.split('[', 1)[0]


def load_timings(path):
    times = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                seconds, test_id = line.split(' ', 1)
                times[strip_attrs(test_id)] = float(seconds)
    return times


def workers(path, count, test_ids, out):
    import re

    times = load_timings(path)
    known = sorted(times.values())
    median = known[len(known) // 2] if known else 1.0
    by_class = collections.defaultdict(list)
    for test_id in test_ids:
        by_class[class_of(test_id)].append(strip_attrs(test_id))
    weight = {t: times.get(t, median) for ids in by_class.values() for t in ids}
    total = sum(weight.values())
    share = total / count
    # A unit is (seconds, regex): a whole class, or one test of a class too long for one worker.
    units = []
    for cls, ids in by_class.items():
        seconds = sum(weight[t] for t in ids)
        if seconds > 0.75 * share and len(ids) > 1:
            units.extend((weight[t], '^%s(\\[|$)' % re.escape(t)) for t in ids)
        else:
            units.append((seconds, '^%s\\.' % re.escape(cls)))
    loads = [[0.0, i, []] for i in range(count)]
    for seconds, regex in sorted(units, key=lambda u: (-u[0], u[1])):
        loads.sort(key=lambda w: (w[0], w[1]))
        loads[0][0] += seconds
        loads[0][2].append(regex)
    loads.sort(key=lambda w: w[1])
    for seconds, _, regexes in loads:
        if not regexes:
            continue
        out.write('# about %d s\n- worker:\n' % seconds)
        for regex in regexes:
            out.write("  - '%s'\n" % regex.replace("'", "''"))
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == 'record':
        record(sys.stdin.buffer, sys.stdout)
        return 0
    if len(argv) == 4 and argv[1] == 'workers':
        import re

        test_id = re.compile(r'^[A-Za-z_][\w.]*\.\w+(\[[^\]]*\])?$')
        ids = [line.strip() for line in sys.stdin if test_id.match(line.strip())]
        return workers(argv[2], int(argv[3]), ids, sys.stdout)
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
