#!/usr/bin/env node
// Bundles the nimbus executable: our workspace sources are compiled into one ESM file, every npm
// package stays external (native addons, pino transports and fastify load from node_modules).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundlePath = join(root, 'apps/nimbus/dist/nimbus.mjs');
const workspaceDirs = ['packages', 'services', 'apps'];

function resolveWorkspace(name) {
  for (const dir of workspaceDirs) {
    const entry = join(root, dir, name, 'src/index.ts');
    if (existsSync(entry)) return entry;
  }
  return undefined;
}

/** Newest modification time of any TypeScript source the bundle is made from. */
export function newestSourceMtime() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of workspaceDirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

export function bundleIsStale() {
  return !existsSync(bundlePath) || statSync(bundlePath).mtimeMs < newestSourceMtime();
}

export async function build() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'apps/nimbus/src/cli.ts')],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'nimbus-workspace',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const m = /^@nimbus\/([a-z-]+)$/.exec(args.path);
            if (m) {
              const entry = resolveWorkspace(m[1]);
              if (entry) return { path: entry };
            }
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  await build();
  process.stdout.write(`built ${bundlePath} in ${Date.now() - t} ms\n`);
}
