import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads, `N passed, N failed, N skipped`, and appends the same counts to
 * `$NIMBUS_SUMMARY_FILE` when set so the test script can add them to the conformance counts.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\nunit: ${line}\n`);
    if (process.env.NIMBUS_SUMMARY_FILE) appendFileSync(process.env.NIMBUS_SUMMARY_FILE, `unit ${passed} ${failed} ${skipped}\n`);
  }
}
