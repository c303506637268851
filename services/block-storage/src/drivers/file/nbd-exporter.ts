import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VolumeDriverError } from '../driver-api';

const run = promisify(execFile);

/** Longest unix socket path the kernel accepts, with a margin (sun_path is 108 bytes). */
const MAX_SOCKET_PATH = 100;

/** One volume's NBD export, as kept on disk so a restarted volume role still finds it. */
interface ExportState {
  pid: number;
  socket: string;
  exportName: string;
  hosts: string[];
}

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** True when `pid` runs and is a qemu daemon (a pid reused after a reboot must never be signalled). */
const alive = (pid: number) => {
  if (!running(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('qemu');
  } catch {
    return true;
  }
};

/**
 * Serves volume files over NBD on unix sockets, one daemon per exported volume:
 * `qemu-storage-daemon` (Debian `qemu-system-common`) when installed, else `qemu-nbd`
 * (`qemu-utils`). Guests see raw bytes whatever the file's format. The export lives while at
 * least one host holds it; its state (pid, hosts) is a JSON file beside the socket.
 */
export class NbdExporter {
  private tool: 'qemu-storage-daemon' | 'qemu-nbd' | undefined;
  readonly socketDir: string;

  /** `tools`: the daemons to try, in order (tests pin one). */
  constructor(
    private readonly stateDir: string,
    private readonly tools: readonly ('qemu-storage-daemon' | 'qemu-nbd')[] = [
      'qemu-storage-daemon',
      'qemu-nbd',
    ],
  ) {
    const probe = join(stateDir, `volume-${'0'.repeat(36)}.sock`);
    this.socketDir =
      probe.length <= MAX_SOCKET_PATH
        ? stateDir
        : join(tmpdir(), `nimbus-nbd-${createHash('sha256').update(stateDir).digest('hex').slice(0, 12)}`);
  }

  /** Finds the daemon to use (throws when none is installed); forgets exports whose daemon died. */
  async init(): Promise<string> {
    await mkdir(this.stateDir, { recursive: true });
    await mkdir(this.socketDir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.stateDir)) {
      const m = /^volume-(.+)\.export\.json$/.exec(name);
      const state = m ? await this.state(m[1]!) : undefined;
      if (m && state && !alive(state.pid)) await this.unexport(m[1]!, undefined);
    }
    for (const tool of this.tools) {
      try {
        await run(tool, ['--version']);
        this.tool = tool;
        return tool;
      } catch {
        // try the next one
      }
    }
    throw new VolumeDriverError(
      'NBD export needs qemu-storage-daemon (qemu-system-common) or qemu-nbd (qemu-utils).',
    );
  }

  /** Exports `path` for `host` (idempotent); answers the socket and export name. */
  async export(id: string, path: string, format: string, host: string): Promise<ExportState> {
    const state = await this.state(id);
    if (state && alive(state.pid)) {
      if (!state.hosts.includes(host)) state.hosts.push(host);
      await this.save(id, state);
      return state;
    }
    const socket = join(this.socketDir, `volume-${id}.sock`);
    const pidFile = join(this.stateDir, `volume-${id}.pid`);
    const exportName = `volume-${id}`;
    await rm(socket, { force: true });
    await rm(pidFile, { force: true });
    if (!this.tool) await this.init();
    try {
      if (this.tool === 'qemu-storage-daemon') {
        await run('qemu-storage-daemon', [
          '--blockdev',
          `driver=file,node-name=file0,filename=${path.replaceAll(',', ',,')}`,
          '--blockdev',
          `driver=${format},node-name=fmt0,file=file0`,
          '--nbd-server',
          `addr.type=unix,addr.path=${socket.replaceAll(',', ',,')}`,
          '--export',
          `type=nbd,id=export0,node-name=fmt0,name=${exportName},writable=on`,
          '--pidfile',
          pidFile,
          '--daemonize',
        ]);
      } else {
        await run('qemu-nbd', [
          '--fork',
          '--persistent',
          '--shared=0',
          `--socket=${socket}`,
          `--export-name=${exportName}`,
          `--pid-file=${pidFile}`,
          '-f',
          format,
          path,
        ]);
      }
    } catch (err) {
      throw new VolumeDriverError(
        `Could not export volume ${id} over NBD: ${(err as { stderr?: string }).stderr ?? err}`,
        {
          cause: err,
        },
      );
    }
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    const fresh: ExportState = { pid, socket, exportName, hosts: [host] };
    await this.save(id, fresh);
    return fresh;
  }

  /** Drops `host` (every host when undefined); stops the daemon when none is left. */
  async unexport(id: string, host: string | undefined): Promise<void> {
    const state = await this.state(id);
    if (!state) return;
    state.hosts = host === undefined ? [] : state.hosts.filter((h) => h !== host);
    if (state.hosts.length) return this.save(id, state);
    await this.stop(state.pid);
    await rm(state.socket, { force: true });
    await rm(join(this.stateDir, `volume-${id}.pid`), { force: true });
    await rm(join(this.stateDir, `volume-${id}.export.json`), { force: true });
  }

  /** The hosts a volume is exported to (empty when it is not). */
  async hosts(id: string): Promise<string[]> {
    const state = await this.state(id);
    return state && alive(state.pid) ? state.hosts : [];
  }

  private async stop(pid: number): Promise<void> {
    if (!alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    // Until it is gone, not merely exiting: the socket and file are free only then.
    for (let i = 0; i < 100 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (running(pid)) process.kill(pid, 'SIGKILL');
  }

  private async state(id: string): Promise<ExportState | undefined> {
    try {
      return JSON.parse(
        await readFile(join(this.stateDir, `volume-${id}.export.json`), 'utf8'),
      ) as ExportState;
    } catch {
      return undefined;
    }
  }

  private async save(id: string, state: ExportState): Promise<void> {
    await writeFile(join(this.stateDir, `volume-${id}.export.json`), JSON.stringify(state));
  }
}
