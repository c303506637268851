import type { Notification, NotificationListener } from '@nimbus/bus';
import { identityService } from '@nimbus/identity';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Keystone's notifications from the identity API, received by a listener on the `keystone`
// control exchange: event types, publisher, priority and payloads in both formats.
async function notifiedCloud(format: 'cadf' | 'basic') {
  const cloud = await startTestCloud([identityService], {
    identity: { password_hash_rounds: 4 },
    DEFAULT: { notification_format: format, host: 'idhost' },
  });
  const received: Notification[] = [];
  const listener = await cloud.bus.notificationListener(
    { exchanges: ['keystone'], pool: `identity-test-${format}` },
    (_ctx, n) => {
      received.push(n);
    },
  );
  const { token } = await adminToken(cloud);
  const call = async (method: string, path: string, body?: unknown, auth: string | null = token) => {
    const r = await fetch(`${cloud.url('identity')}${path}`, {
      method,
      headers: {
        'user-agent': 'notifications-test/1.0',
        ...(auth ? { 'x-auth-token': auth } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  /** The notifications of one event type received so far, waiting up to a second for the first. */
  const events = async (eventType: string, count = 1) => {
    for (let i = 0; i < 100; i++) {
      const found = received.filter((n) => n.event_type === eventType);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    return received.filter((n) => n.event_type === eventType);
  };
  return { cloud, listener, call, events, received };
}

describe('identity notifications (cadf, the default)', () => {
  let t: Awaited<ReturnType<typeof notifiedCloud>>;
  beforeAll(async () => {
    t = await notifiedCloud('cadf');
  });
  afterAll(async () => {
    await t?.listener.stop();
    await t?.cloud.stop();
  });

  it('announces a project created, as a CADF activity with initiator, target and observer', async () => {
    const p = await t.call('POST', '/v3/projects', { project: { name: 'audited', domain_id: 'default' } });
    expect(p.status).toBe(201);
    const [n] = await t.events('identity.project.created');
    expect(n).toMatchObject({ publisher_id: 'identity.idhost', priority: 'INFO' });
    const payload = n!.payload as Record<string, any>;
    expect(payload).toMatchObject({
      typeURI: 'http://schemas.dmtf.org/cloud/audit/1.0/event',
      eventType: 'activity',
      action: 'created.project',
      outcome: 'success',
      resource_info: p.body.project.id,
      target: { typeURI: 'data/security/project', id: p.body.project.id },
      observer: { typeURI: 'service/security' },
      initiator: {
        typeURI: 'service/security/account/user',
        username: 'admin',
        host: { agent: 'notifications-test/1.0', address: expect.any(String) },
      },
    });
    expect(payload.id).toMatch(/^openstack:[0-9a-f-]{36}$/);
    expect(payload.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$/);
    expect(payload.initiator.user_id).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.initiator.project_id).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.initiator.request_id).toMatch(/^req-/);
    // The observer is identity's own entry in the catalog.
    const services = await t.call('GET', '/v3/services?type=identity');
    expect(payload.observer.id).toBe(services.body.services[0].id);
  });

  it('announces a user, a role assignment and a deletion', async () => {
    const p = await t.call('POST', '/v3/projects', { project: { name: 'assigned', domain_id: 'default' } });
    const u = await t.call('POST', '/v3/users', {
      user: { name: 'audited-user', domain_id: 'default', password: 'Secret-pass1' },
    });
    expect(u.status).toBe(201);
    const roles = await t.call('GET', '/v3/roles?name=member');
    const roleId = roles.body.roles[0].id as string;
    const path = `/v3/projects/${p.body.project.id}/users/${u.body.user.id}/roles/${roleId}`;
    expect((await t.call('PUT', path)).status).toBe(204);
    expect((await t.call('DELETE', path)).status).toBe(204);
    expect((await t.call('DELETE', `/v3/projects/${p.body.project.id}`)).status).toBe(204);

    const [user] = await t.events('identity.user.created');
    expect(user!.payload).toMatchObject({
      action: 'created.user',
      resource_info: u.body.user.id,
      target: { typeURI: 'data/security/account/user', id: u.body.user.id },
    });
    const [granted] = await t.events('identity.role_assignment.created');
    expect(granted!.payload).toMatchObject({
      action: 'created.role_assignment',
      outcome: 'success',
      project: p.body.project.id,
      user: u.body.user.id,
      role: roleId,
      inherited_to_projects: false,
      target: { typeURI: 'service/security/account/user' },
    });
    const [revoked] = await t.events('identity.role_assignment.deleted');
    expect(revoked!.payload).toMatchObject({ action: 'deleted.role_assignment', role: roleId });
    const deleted = await t.events('identity.project.deleted');
    expect(deleted.map((n) => (n.payload as any).resource_info)).toContain(p.body.project.id);
    expect((deleted[0]!.payload as any).action).toBe('deleted.project');
  });

  it('announces a failed password authentication of a known user, not a successful one', async () => {
    await t.call('POST', '/v3/users', {
      user: { name: 'auth-user', domain_id: 'default', password: 'Right-pass1' },
    });
    const login = (password: string) =>
      t.call(
        'POST',
        '/v3/auth/tokens',
        {
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'auth-user', domain: { id: 'default' }, password } },
            },
          },
        },
        null,
      );
    expect((await login('wrong')).status).toBe(401);
    expect((await login('Right-pass1')).status).toBe(201);
    const [failed] = await t.events('identity.authenticate');
    expect(failed).toMatchObject({ publisher_id: 'identity.idhost', priority: 'INFO' });
    expect(failed!.payload).toMatchObject({
      action: 'authenticate',
      outcome: 'failure',
      eventType: 'activity',
      initiator: { username: 'auth-user', typeURI: 'service/security/account/user' },
      target: { typeURI: 'service/security/account/user' },
    });
    // identity.authenticate.success is opted out by default (notification_opt_out).
    await new Promise((r) => setTimeout(r, 100));
    const outcomes = t.received
      .filter((n) => n.event_type === 'identity.authenticate')
      .map((n) => (n.payload as any).outcome);
    expect(outcomes).toEqual(['failure']);
  });
});

describe('identity notifications (basic format)', () => {
  let t: Awaited<ReturnType<typeof notifiedCloud>>;
  beforeAll(async () => {
    t = await notifiedCloud('basic');
  });
  afterAll(async () => {
    await t?.listener.stop();
    await t?.cloud.stop();
  });

  it('sends {"resource_info": id} (and the request id), role assignments still as CADF', async () => {
    const g = await t.call('POST', '/v3/groups', { group: { name: 'basic-group', domain_id: 'default' } });
    expect(g.status).toBe(201);
    const [n] = await t.events('identity.group.created');
    expect(n).toMatchObject({ publisher_id: 'identity.idhost', priority: 'INFO' });
    expect(n!.payload).toEqual({
      resource_info: g.body.group.id,
      request_id: expect.stringMatching(/^req-/),
    });

    const roles = await t.call('GET', '/v3/roles?name=reader');
    const path = `/v3/domains/default/groups/${g.body.group.id}/roles/${roles.body.roles[0].id}`;
    expect((await t.call('PUT', path)).status).toBe(204);
    const [granted] = await t.events('identity.role_assignment.created');
    expect(granted!.payload).toMatchObject({
      action: 'created.role_assignment',
      domain: 'default',
      group: g.body.group.id,
    });
  });
});
