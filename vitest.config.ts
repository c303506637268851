import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Resolves `@nimbus/<name>` to its source, wherever the workspace lives (packages, services, apps). */
function nimbusAlias(name: string): string {
  for (const dir of ['packages', 'services', 'apps']) {
    const entry = `${root}${dir}/${name}/src/index.ts`;
    if (existsSync(entry)) return entry;
  }
  return `${root}packages/${name}/src/index.ts`;
}

export default defineConfig({
  plugins: [
    {
      name: 'nimbus-workspace',
      enforce: 'pre',
      resolveId(id) {
        const m = /^@nimbus\/([a-z-]+)$/.exec(id);
        return m ? nimbusAlias(m[1]!) : null;
      },
    },
  ],
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    isolate: false,
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
