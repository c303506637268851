import type { Notification, NotificationListener } from '@nimbus/bus';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Glance's notifications from the image API, received on the `glance` control exchange:
// event types in Glance's order, publisher `image.localhost`, priorities and the image payload.
describe('image notifications', () => {
  let cloud: TestCloud;
  let listener: NotificationListener;
  let token: string;
  const received: Notification[] = [];
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const r = await fetch(`${cloud.url('image')}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body: body instanceof Buffer ? body : JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text && text.startsWith('{') ? JSON.parse(text) : text };
  };
  const forImage = (id: string) =>
    received.filter((n) => (n.payload as { id?: string; image_id?: string }).id === id);
  const settle = async (id: string, count: number) => {
    for (let i = 0; i < 100 && forImage(id).length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return forImage(id);
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { disabled_notifications: ['image.member.create'] },
    });
    listener = await cloud.bus.notificationListener(
      { exchanges: ['glance'], pool: 'image-test' },
      (_c, n) => {
        received.push(n);
      },
    );
    token = (await adminToken(cloud)).token;
  });
  afterAll(async () => {
    await listener?.stop();
    await cloud?.stop();
  });

  it('announces create, prepare, upload, activate, update and delete with Glance’s payload', async () => {
    const created = await call('POST', '/v2/images', {
      name: 'noted',
      disk_format: 'raw',
      container_format: 'bare',
      os_distro: 'debian',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const data = Buffer.alloc(4096, 7);
    expect((await call('PUT', `/v2/images/${id}/file`, data, 'application/octet-stream')).status).toBe(204);
    expect((await call('DELETE', `/v2/images/${id}`)).status).toBe(204);

    const events = await settle(id, 7);
    expect(events.map((n) => n.event_type)).toEqual([
      'image.create',
      'image.update',
      'image.prepare',
      'image.upload',
      'image.activate',
      'image.update',
      'image.delete',
    ]);
    for (const n of events) expect(n).toMatchObject({ publisher_id: 'image.localhost', priority: 'INFO' });
    const [create, saving, prepare, upload, activate, , deleted] = events.map(
      (n) => n.payload as Record<string, any>,
    );
    expect(Object.keys(create!).sort()).toEqual(
      [
        'checksum',
        'container_format',
        'created_at',
        'deleted',
        'deleted_at',
        'disk_format',
        'id',
        'is_public',
        'min_disk',
        'min_ram',
        'name',
        'owner',
        'properties',
        'protected',
        'size',
        'status',
        'tags',
        'updated_at',
        'virtual_size',
        'visibility',
      ].sort(),
    );
    expect(create).toMatchObject({
      id,
      name: 'noted',
      status: 'queued',
      size: null,
      is_public: false,
      visibility: 'shared',
      properties: { os_distro: 'debian' },
      deleted: false,
      deleted_at: null,
    });
    expect(create!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(saving).toMatchObject({ status: 'saving' });
    expect(prepare).toMatchObject({
      status: 'saving',
      os_glance_importing_to_stores: [],
      os_glance_failed_import: [],
    });
    expect(upload).toMatchObject({
      status: 'active',
      size: 4096,
      checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(activate).toMatchObject({ status: 'active', size: 4096 });
    expect(deleted).toMatchObject({
      status: 'deleted',
      deleted: true,
      deleted_at: expect.stringMatching(/Z$/),
    });
  });

  it('announces a failed upload at ERROR, and honours disabled_notifications', async () => {
    const created = await call('POST', '/v2/images', {
      name: 'bad',
      disk_format: 'qcow2',
      container_format: 'bare',
    });
    const id = created.body.id as string;
    // Not a qcow2: the format inspector refuses it.
    const upload = await call(
      'PUT',
      `/v2/images/${id}/file`,
      Buffer.alloc(4096, 1),
      'application/octet-stream',
    );
    expect(upload.status).toBe(400);
    for (let i = 0; i < 100 && !received.some((n) => n.priority === 'ERROR'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const failed = received.find((n) => n.priority === 'ERROR');
    expect(failed).toMatchObject({ event_type: 'image.upload', publisher_id: 'image.localhost' });
    expect(failed!.payload).toEqual(expect.stringContaining(id));

    // image.member.create is disabled here (by event type: Glance's groups are the first word); image.update is not.
    const shared = await call('POST', '/v2/images', { name: 'shared', visibility: 'shared' });
    expect((await call('POST', `/v2/images/${shared.body.id}/members`, { member: 'someone' })).status).toBe(
      200,
    );
    await call(
      'PATCH',
      `/v2/images/${shared.body.id}`,
      [{ op: 'replace', path: '/name', value: 'x' }],
      'application/openstack-images-v2.1-json-patch',
    );
    const events = (await settle(shared.body.id, 2)).map((n) => n.event_type);
    expect(events).toEqual(['image.create', 'image.update']);
    expect(received.some((n) => n.event_type.startsWith('image.member'))).toBe(false);
  });
});
