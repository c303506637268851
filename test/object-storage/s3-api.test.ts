import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The S3 API through boto3 (Debian's python3-boto3), signed with an identity EC2 credential.
describe('S3 API with boto3', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
    });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates buckets, puts, lists, copies, uploads in parts, presigns, and refuses a forged signature', async () => {
    const env = {
      ...process.env,
      OS_CLIENT_CONFIG_FILE: join(cloud.dataDir, 'clouds.yaml'),
      OS_CLOUD: 'nimbus',
    } as Record<string, string>;
    const { stdout } = await run('openstack', ['ec2', 'credentials', 'create', '-f', 'json'], {
      env,
      timeout: 60_000,
    });
    const cred = JSON.parse(stdout) as { access: string; secret: string };
    const out = await run('python3', [join(__dirname, 's3-boto3-check.py')], {
      env: {
        ...process.env,
        S3_ENDPOINT: cloud.url('object-store'),
        S3_ACCESS: cred.access,
        S3_SECRET: cred.secret,
      },
      timeout: 120_000,
    }).catch((err: { stdout?: string; stderr?: string }) => ({
      stdout: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    }));
    expect(out.stdout.trim().split('\n').pop()).toBe('S3 OK');
  });
}, 300_000);
