// Fuzzes every route of every service of the all-in-one cloud (the engine of test/fuzz) for
// longer than the test does, and prints the figures: requests, per-service counts, 5xx, hangs,
// crashes and requests/s, then every finding with a request to reproduce it.
//   npx tsx bench/fuzz.ts [--requests 1000000] [--seconds 3600] [--seed 19] [--concurrency 24]
import { fuzzAllRoutes } from '../test/fuzz/fuzz-all-routes';
import { formatFigures, formatFindings } from '../test/fuzz/fuzz-report';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  const v = i < 0 ? Number.NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};

async function main() {
  const result = await fuzzAllRoutes({
    seed: arg('--seed', 19),
    requests: arg('--requests', 1_000_000),
    seconds: arg('--seconds', 3_600),
    concurrency: arg('--concurrency', 24),
    maxRestarts: arg('--max-restarts', 20),
    progress: (n, s) =>
      process.stderr.write(`  ${n} requests in ${s.toFixed(0)} s (${Math.round(n / s)}/s)\n`),
  });
  console.log(formatFigures(result.report));
  console.log(
    `process survived: ${result.sameProcess}; unresponsive after: ${result.unresponsive.join(', ') || 'none'}`,
  );
  console.log(
    `baseline changed: ${result.changed.length ? `\n  ${result.changed.join('\n  ')}` : 'nothing'}`,
  );
  const findings = formatFindings(result.report);
  console.log(findings ? `findings:\n${findings}` : 'findings: none');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
