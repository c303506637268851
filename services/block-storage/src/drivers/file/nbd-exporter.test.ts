import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NbdExporter } from './nbd-exporter';

const installed = (tool: string) => {
  try {
    execFileSync(tool, ['--version']);
    return true;
  } catch {
    return false;
  }
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

for (const tool of ['qemu-storage-daemon', 'qemu-nbd'] as const)
  describe.runIf(installed(tool))(`NBD export with ${tool}`, () => {
    it('serves the file raw over a unix socket until the last host leaves', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'nbd-'));
      dirs.push(dir);
      const file = join(dir, 'disk.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '64M']);
      await writeFile(join(dir, 'unused'), '');
      const exporter = new NbdExporter(join(dir, 'exports'), [tool]);
      expect(await exporter.init()).toBe(tool);
      const id = randomUUID();
      const a = await exporter.export(id, file, 'qcow2', 'host-a');
      const b = await exporter.export(id, file, 'qcow2', 'host-b');
      expect(b.pid).toBe(a.pid);
      const url = `nbd+unix:///${a.exportName}?socket=${a.socket}`;
      const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', url], { encoding: 'utf8' }));
      expect(info['virtual-size']).toBe(64 * 1024 * 1024);
      expect(info.format).toBe('raw');
      await exporter.unexport(id, 'host-a');
      expect(await exporter.hosts(id)).toEqual(['host-b']);
      await exporter.unexport(id, 'host-b');
      expect(await exporter.hosts(id)).toEqual([]);
      expect(await readdir(join(dir, 'exports'))).toEqual([]);
      expect(() => process.kill(a.pid, 0)).toThrow();
    });
  });

describe('NBD export state', () => {
  it('forgets exports whose daemon is gone when it starts again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nbd-'));
    dirs.push(dir);
    const state = join(dir, 'exports');
    const exporter = new NbdExporter(state, ['qemu-nbd']);
    await exporter.init();
    const id = randomUUID();
    // A daemon that died with the host: its pid is now some process that is not qemu (this one).
    await writeFile(
      join(state, `volume-${id}.export.json`),
      JSON.stringify({
        pid: process.pid,
        socket: join(state, `volume-${id}.sock`),
        exportName: 'x',
        hosts: ['h'],
      }),
    );
    await writeFile(join(state, `volume-${id}.sock`), '');
    expect(await exporter.hosts(id)).toEqual([]);
    await new NbdExporter(state, ['qemu-nbd']).init();
    expect(await readdir(state)).toEqual([]);
  });
});
