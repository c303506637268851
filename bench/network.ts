// Prints the network service's figures against identity + network started in this process on
// ephemeral ports (SQLite, fake driver); the clients share the process, so figures are a floor:
//   network create/s (16 clients), port create/s with a fixed IPv4 from one /16 (16 clients),
//   GET /v2.0/ports?limit=100 p50/p95 with 10,000 ports, security group rule create/s (16 clients),
//   each with the process's CPU ms per operation (server and in-process clients together).
//   npx tsx bench/network.ts [--seconds 5] [--ports 10000] [--only networks|ports|list|rules]
import { identityService } from '@nimbus/identity';
import { networkService } from '@nimbus/network';
import { adminToken, startTestCloud } from '@nimbus/testing';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const seconds = arg('--seconds', 5);
const portCount = arg('--ports', 10_000);
const CLIENTS = 16;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
/** Whether a phase runs (all of them unless `--only` names one; `list` needs the ports it makes). */
const runs = (phase: string) => !only || only === phase;

async function main() {
  const cloud = await startTestCloud([identityService, networkService], {
    identity: { password_hash_rounds: 4 },
    DEFAULT: { log_level: 'error' },
  });
  try {
    const { token, projectId } = await adminToken(cloud);
    const base = cloud.url('network');
    const call = async (method: string, path: string, body?: unknown, expect = 201) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    /** Process CPU (user + system) in ms since `from`: server and clients together. */
    const cpuMs = (from: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(from);
      return (u.user + u.system) / 1000;
    };
    /**
     * Runs `op` from CLIENTS loops for `seconds`; answers "N/s, X ms CPU/op" (the CPU of the whole
     * process, the in-process clients' share included).
     */
    const rate = async (op: (n: number) => Promise<unknown>) => {
      let done = 0;
      const end = Date.now() + seconds * 1000;
      const started = Date.now();
      const cpu = process.cpuUsage();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (Date.now() < end) await op(done++);
        }),
      );
      const perSecond = done / ((Date.now() - started) / 1000);
      return `${perSecond.toFixed(0)}/s, ${(cpuMs(cpu) / done).toFixed(2)} ms CPU/op`;
    };

    const unlimited = { network: -1, subnet: -1, port: -1, security_group: -1, security_group_rule: -1 };
    await call('PUT', `/v2.0/quotas/${projectId}`, { quota: unlimited }, 200);
    if (runs('networks')) {
      const netRate = await rate((n) => call('POST', '/v2.0/networks', { network: { name: `bench-${n}` } }));
      console.log(`network create: ${netRate} (${CLIENTS} clients)`);
    }

    const net = (await call('POST', '/v2.0/networks', { network: { name: 'bench-ports' } })).network;
    const subnet = (
      await call('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '10.128.0.0/16', ip_version: 4 },
      })
    ).subnet;
    if (runs('ports')) {
      const portRate = await rate(() =>
        call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id }] } }),
      );
      console.log(`port create with a fixed IPv4 (one /16): ${portRate} (${CLIENTS} clients)`);
    }

    if (runs('list')) await listFigures(net.id);
    if (runs('rules')) await ruleFigures();

    async function listFigures(networkId: string) {
      let have = (await call('GET', `/v2.0/ports?network_id=${networkId}&fields=id`, undefined, 200)).ports
        .length;
      while (have < portCount) {
        const batch = Math.min(100, portCount - have);
        await call('POST', '/v2.0/ports', {
          ports: Array.from({ length: batch }, () => ({ network_id: networkId })),
        });
        have += batch;
      }
      const times: number[] = [];
      const listCpu = process.cpuUsage();
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await call('GET', '/v2.0/ports?limit=100', undefined, 200);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
      console.log(
        `GET /v2.0/ports?limit=100 with ${have} ports: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, ${(cpuMs(listCpu) / times.length).toFixed(2)} ms CPU/op`,
      );
    }

    async function ruleFigures() {
      const sg = (await call('POST', '/v2.0/security-groups', { security_group: { name: 'bench' } }))
        .security_group;
      const ruleRate = await rate((n) =>
        call('POST', '/v2.0/security-group-rules', {
          security_group_rule: {
            security_group_id: sg.id,
            direction: 'ingress',
            protocol: 'tcp',
            port_range_min: (n % 65535) + 1,
            port_range_max: (n % 65535) + 1,
            remote_ip_prefix: `10.${(n >> 16) & 255}.0.0/16`,
          },
        }),
      );
      console.log(`security group rule create: ${ruleRate} (${CLIENTS} clients)`);
    }
  } finally {
    await cloud.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
