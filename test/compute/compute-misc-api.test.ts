import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

describe('compute: extensions, x509 key pairs, the status filter', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('lists the v2-compatible extensions and shows one by alias', async () => {
    const list = await compute('GET', '/extensions');
    expect(list.status).toBe(200);
    expect(list.body.extensions.map((e: any) => e.name)).toContain('Hosts');
    expect(list.body.extensions[0]).toEqual({
      name: expect.any(String),
      alias: expect.any(String),
      description: expect.any(String),
      namespace: expect.stringMatching(/^http/),
      updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      links: [],
    });
    const one = await compute('GET', '/extensions/os-consoles');
    expect(one.body.extension.alias).toBe('os-consoles');
    expect((await compute('GET', '/extensions/os-nothing')).status).toBe(404);
  });

  it('generates an x509 key pair at 2.2 and lists it with its type', async () => {
    const h = { 'openstack-api-version': 'compute 2.2' };
    const created = await compute('POST', '/os-keypairs', { keypair: { name: 'cert', type: 'x509' } }, h);
    expect(created.status).toBe(201);
    expect(created.body.keypair.type).toBe('x509');
    expect(created.body.keypair.private_key).toContain('PRIVATE KEY');
    const cert = new X509Certificate(created.body.keypair.public_key);
    expect(created.body.keypair.fingerprint).toBe(cert.fingerprint.toLowerCase());
    const list = await compute('GET', '/os-keypairs', undefined, h);
    expect(list.body.keypairs.find((k: any) => k.keypair.name === 'cert').keypair.type).toBe('x509');
    expect((await compute('GET', '/os-keypairs/cert', undefined, h)).body.keypair.type).toBe('x509');
  });

  it('answers an unknown status filter with nothing before 2.38 and 400 since', async () => {
    const old = await compute('GET', '/servers/detail?status=invalid_status', undefined, {
      'openstack-api-version': 'compute 2.37',
    });
    expect(old.status).toBe(200);
    expect(old.body.servers).toEqual([]);
    const now = await compute('GET', '/servers/detail?status=invalid_status', undefined, {
      'openstack-api-version': 'compute 2.38',
    });
    expect(now.status).toBe(400);
  });
  it('lists hosts by zone, shows a compute host, disables it, and is gone after 2.42', async () => {
    const list = await compute('GET', '/os-hosts');
    expect(list.status).toBe(200);
    const computes = list.body.hosts.filter((h: any) => h.service === 'compute');
    expect(computes.length).toBeGreaterThanOrEqual(2);
    expect(computes[0].zone).toBe('nova');
    expect(list.body.hosts.some((h: any) => h.service === 'conductor' && h.zone === 'internal')).toBe(true);
    expect((await compute('GET', '/os-hosts?zone=nova')).body.hosts).toEqual(computes);
    expect((await compute('GET', '/os-hosts?zone=')).body.hosts).toEqual(list.body.hosts);
    expect((await compute('GET', '/os-hosts?zone=xxx')).body.hosts).toEqual([]);
    const name = computes[0].host_name;
    const shown = await compute('GET', `/os-hosts/${name}`);
    expect(shown.body.host[0].resource).toMatchObject({ host: name, project: '(total)' });
    expect(shown.body.host[0].resource.cpu).toBeGreaterThan(0);
    expect((await compute('GET', '/os-hosts/nope')).status).toBe(404);
    const bad = await compute('PUT', `/os-hosts/${name}`, { status: 'invalid', maintenance_mode: 'enable' });
    expect(bad.status).toBe(400);
    expect((await compute('PUT', `/os-hosts/${name}`, {})).status).toBe(400);
    expect((await compute('PUT', '/os-hosts/nope', { status: 'enable' })).status).toBe(404);
    const off = await compute('PUT', `/os-hosts/${name}`, { status: 'disable' });
    expect(off.body).toEqual({ host: name, status: 'disabled' });
    const svc = await compute('GET', `/os-services?host=${name}&binary=nova-compute`);
    expect(svc.body.services[0].status).toBe('disabled');
    await compute('PUT', `/os-hosts/${name}`, { status: 'enable' });
    expect((await compute('GET', '/os-hosts/nope/reboot')).status).toBe(404);
    expect((await compute('GET', `/os-hosts/${name}/reboot`)).status).toBe(501);
    const gone = await compute('GET', '/os-hosts', undefined, { 'openstack-api-version': 'compute 2.43' });
    expect(gone.status).toBe(404);
  });
  it('reports simple tenant usage for the period, per project and in total', async () => {
    const r = await compute(
      'POST',
      '/servers',
      {
        server: { name: 'usage-1', flavorRef: env.flavorId, imageRef: env.imageId, networks: 'none' },
      },
      { 'openstack-api-version': 'compute 2.37' },
    );
    const server = await waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE');
    const fmt = (d: Date) =>
      d
        .toISOString()
        .replace('Z', '')
        .replace(/\.(\d{3})$/, '.$1000');
    const start = fmt(new Date(Date.now() - 86_400_000));
    const end = fmt(new Date(Date.now() + 86_400_000));
    const one = await compute('GET', `/os-simple-tenant-usage/${env.projectId}?start=${start}&end=${end}`);
    expect(one.status).toBe(200);
    const u = one.body.tenant_usage;
    expect(Object.keys(u).sort()).toEqual(
      [
        'server_usages',
        'start',
        'stop',
        'tenant_id',
        'total_hours',
        'total_local_gb_usage',
        'total_memory_mb_usage',
        'total_vcpus_usage',
      ].sort(),
    );
    expect(u.server_usages.map((s: any) => s.instance_id)).toContain(server.id);
    const mine = u.server_usages.find((s: any) => s.instance_id === server.id);
    expect(mine).toMatchObject({
      name: 'usage-1',
      flavor: 'm1.tiny',
      vcpus: 1,
      memory_mb: 512,
      local_gb: 1,
      state: 'active',
    });
    expect(mine.hours).toBeGreaterThan(0);
    expect(u.total_memory_mb_usage).toBeCloseTo(
      u.server_usages.reduce((a: number, s: any) => a + s.hours * s.memory_mb, 0),
    );
    const all = await compute('GET', `/os-simple-tenant-usage?start=${start}&end=${end}&detailed=1`);
    expect(all.body.tenant_usages[0].server_usages.length).toBeGreaterThan(0);
    expect(Object.keys(all.body.tenant_usages[0])).toHaveLength(8);
    const before = fmt(new Date(Date.now() - 3 * 86_400_000));
    const past = await compute(
      'GET',
      `/os-simple-tenant-usage/${env.projectId}?start=${before}&end=${start}`,
    );
    expect(past.body.tenant_usage).toEqual({});
    expect(
      (await compute('GET', `/os-simple-tenant-usage/${env.projectId}?start=${end}&end=${start}`)).status,
    ).toBe(400);
    expect((await compute('GET', `/os-simple-tenant-usage/${env.projectId}?start=yesterday`)).status).toBe(
      400,
    );
    expect((await compute('GET', `/os-simple-tenant-usage/?start=${start}&end=${end}`)).status).toBe(404);
    await compute('DELETE', `/servers/${server.id}`);
  });
  it('reports the usage audit of the last monthly period with every host not run', async () => {
    const list = await compute('GET', '/os-instance_usage_audit_log');
    expect(list.status).toBe(200);
    const log = list.body.instance_usage_audit_logs;
    expect(log.num_hosts).toBeGreaterThanOrEqual(2);
    expect(log.hosts_not_run).toHaveLength(log.num_hosts);
    expect(log.overall_status).toBe(`0 of ${log.num_hosts} hosts done. 0 errors.`);
    const one = await compute(
      'GET',
      `/os-instance_usage_audit_log/${encodeURIComponent('2026-03-15 10:00:00')}`,
    );
    expect(one.body.instance_usage_audit_log).toMatchObject({
      period_beginning: '2026-02-01 00:00:00',
      period_ending: '2026-03-01 00:00:00',
    });
    expect((await compute('GET', '/os-instance_usage_audit_log/invalid_time')).status).toBe(400);
  });
  it('shows and updates quota classes; the default class changes every project default', async () => {
    const shown = await compute('GET', '/os-quota-class-sets/default');
    expect(shown.status).toBe(200);
    expect(shown.body.quota_class_set).toMatchObject({
      id: 'default',
      instances: 10,
      floating_ips: 10,
      fixed_ips: -1,
    });
    expect(shown.body.quota_class_set.injected_file_path_bytes).toEqual(expect.any(Number));
    expect(shown.body.quota_class_set.server_groups).toBeUndefined();
    const up = await compute('PUT', '/os-quota-class-sets/default', {
      quota_class_set: { instances: 110, floating_ips: 110, injected_file_path_bytes: 355 },
    });
    expect(up.status).toBe(200);
    expect(up.body.quota_class_set).toMatchObject({
      instances: 110,
      floating_ips: 110,
      injected_file_path_bytes: 355,
    });
    expect(up.body.quota_class_set.id).toBeUndefined();
    const defaults = await compute('GET', `/os-quota-sets/${env.projectId}/defaults`);
    expect(defaults.body.quota_set.instances).toBe(110);
    expect(defaults.body.quota_set.injected_file_path_bytes).toBe(355);
    const v257 = { 'openstack-api-version': 'compute 2.57' };
    const later = await compute('GET', '/os-quota-class-sets/default', undefined, v257);
    expect(later.body.quota_class_set.server_groups).toEqual(expect.any(Number));
    expect(later.body.quota_class_set.floating_ips).toBeUndefined();
    expect(later.body.quota_class_set.injected_files).toBeUndefined();
    const bad = await compute(
      'PUT',
      '/os-quota-class-sets/default',
      { quota_class_set: { floating_ips: 1 } },
      v257,
    );
    expect(bad.status).toBe(400);
    await compute('PUT', '/os-quota-class-sets/default', { quota_class_set: { instances: 10 } });
  });
});
