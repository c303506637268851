import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');

/** Runs only the lint plugins (scripts/biome/*.grit) of the repository's biome.json. */
function lintPlugins(...paths: string[]): { status: number | null; output: string } {
  const run = spawnSync(
    biome,
    ['lint', '--only=plugin', '--max-diagnostics=none', `--config-path=${root}biome.json`, ...paths],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// Issue 19: a bare `.pipe()` left a gunzip error unhandled and one request killed the cloud.
describe('no bare .pipe() chain can land', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-bare-pipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the lint plugin refuses a bare .pipe(), naming file and line', () => {
    const file = join(dir, 'bare.ts');
    writeFileSync(
      file,
      "import { Readable } from 'node:stream';\n\nReadable.from([]).pipe(process.stdout, { end: false });\n",
    );
    const { status, output } = lintPlugins(file);
    expect(status).not.toBe(0);
    expect(output).toContain('bare.ts:3:1');
    expect(output).toContain('streamPipeline');
  });

  it('no source file in the repository pipes streams by hand', () => {
    const { status, output } = lintPlugins('packages', 'services', 'apps', 'bench', 'test');
    expect(output).not.toContain('Bare .pipe()');
    expect(status).toBe(0);
  }, 60_000);
});
