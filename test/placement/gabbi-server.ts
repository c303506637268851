/**
 * The Node half of the gabbi harness: a control endpoint that starts a fresh Placement (SQLite,
 * noauth2) for each gabbi file, configured for the file's fixture, and a fixed-port TCP proxy to
 * it so gabbi's target never changes. Run: `npx tsx test/placement/gabbi-server.ts`; it prints
 * `control <port> placement <port>` once listening. POST /reset?fixture=<Name> restarts the cloud.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { pipeline } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placementService } from '@nimbus/placement';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { placementPolicies } from '../../services/placement/src/api/placement-policies';

let cloud: TestCloud | undefined;
let target = 0;

/** Configuration of each upstream fixture family. */
function overridesFor(fixture: string): Record<string, Record<string, unknown>> {
  const policy: Record<string, unknown> = {};
  if (fixture === 'SecureRBACPolicyFixture')
    Object.assign(policy, { enforce_scope: true, enforce_new_defaults: true });
  if (fixture === 'OpenPolicyFixture') {
    // Every placement rule '@' (anyone), as the fixture sets them.
    const dir = mkdtempSync(join(tmpdir(), 'placement-open-policy-'));
    const rules = placementPolicies.filter((r) => r.name !== 'admin_api').map((r) => `"${r.name}": "@"`);
    writeFileSync(join(dir, 'placement.yaml'), `${rules.join('\n')}\n`);
    policy.policy_dir = dir;
  }
  const cors =
    fixture === 'CORSFixture'
      ? { allowed_origin: 'http://valid.example.com', allow_headers: 'openstack-api-version' }
      : {};
  return { api: { auth_strategy: 'noauth2' }, oslo_policy: policy, cors };
}

async function reset(fixture: string): Promise<void> {
  await cloud?.stop();
  cloud = await startTestCloud([placementService], overridesFor(fixture));
  target = Number(new URL(cloud.url('placement')).port);
}

const proxy = createTcpServer((socket) => {
  const upstream = connect(target, '127.0.0.1');
  // Both directions; an error or close on either side ends both.
  pipeline(socket, upstream, socket, () => {
    socket.destroy();
    upstream.destroy();
  });
});

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'POST' && url.pathname === '/reset') {
    reset(url.searchParams.get('fixture') ?? 'APIFixture').then(
      () => res.end('ok'),
      (err) => {
        res.statusCode = 500;
        res.end(String(err?.stack ?? err));
      },
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/stop') {
    res.end('bye');
    void (async () => {
      await cloud?.stop();
      process.exit(0);
    })();
    return;
  }
  res.statusCode = 404;
  res.end();
});

await reset('APIFixture');
await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
const port = (s: { address(): unknown }) => (s.address() as { port: number }).port;
console.log(`control ${port(control)} placement ${port(proxy)}`);
