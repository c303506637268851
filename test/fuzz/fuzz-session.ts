import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, issueToken, must } from './cloud-api';
import type { FuzzCloud } from './fuzz-cloud';
import type { FuzzRequest } from './fuzz-request';
import { TOKENS } from './fuzz-targets';

export const MEMBER = { user: 'fuzz-member', password: 'fuzz-member-pw', project: 'fuzz-other' };

/**
 * The identities the fuzzer speaks as: the admin on the admin project, a member of another
 * project, a revoked token and disposable tokens (the only ones a fuzzed DELETE may revoke).
 * Tokens are re-issued when a check finds them refused, so that a request that revoked one
 * (legitimately) does not blind the rest of the run.
 */
export class FuzzSession {
  admin = '';
  adminProjectId = '';
  adminUserId = '';
  member = '';
  memberProjectId = '';
  memberUserId = '';
  revoked = '';
  private disposable: string[] = [];
  private next = 0;
  /** How many times a token had to be issued again. */
  reissued = 0;

  constructor(private readonly cloud: FuzzCloud) {}

  /** The admin's password, from the cloud's clouds.yaml. */
  adminPassword(): string {
    return /password: *['"]?([^'"\n]+)/.exec(
      readFileSync(join(this.cloud.dataDir, 'clouds.yaml'), 'utf8'),
    )![1]!;
  }

  /** Issues the admin's tokens (the member's come once its user exists: `issueMember`). */
  async issueAdmin(): Promise<void> {
    const a = await issueToken(this.cloud, 'admin', this.adminPassword(), 'admin');
    this.admin = a.token;
    this.adminProjectId = a.projectId;
    this.adminUserId = a.userId;
    const r = await issueToken(this.cloud, 'admin', this.adminPassword(), 'admin');
    await must([204], this.cloud, 'identity', 'DELETE', '/v3/auth/tokens', {
      token: this.admin,
      headers: { 'x-subject-token': r.token },
    });
    this.revoked = r.token;
    this.disposable = [];
    for (let i = 0; i < 8; i++)
      this.disposable.push((await issueToken(this.cloud, 'admin', this.adminPassword(), 'admin')).token);
  }

  /** Issues the member's token. */
  async issueMember(): Promise<void> {
    const m = await issueToken(this.cloud, MEMBER.user, MEMBER.password, MEMBER.project);
    this.member = m.token;
    this.memberProjectId = m.projectId;
    this.memberUserId = m.userId;
  }

  /** Checks the admin and member tokens and issues new ones when refused. */
  async check(): Promise<void> {
    const valid = async (t: string) =>
      (
        await api(this.cloud, 'identity', 'GET', '/v3/auth/tokens', {
          token: this.admin,
          headers: { 'x-subject-token': t },
        })
      ).status === 200;
    if (!(await valid(this.admin))) {
      this.reissued++;
      await this.issueAdmin();
    }
    if (this.member && !(await valid(this.member))) {
      this.reissued++;
      await this.issueMember().catch(() => undefined);
    }
  }

  /** The request with its token placeholders replaced by this session's tokens. */
  substitute(req: FuzzRequest): FuzzRequest {
    const fill = (s: string) =>
      s.includes('{token:')
        ? s
            .replaceAll(TOKENS.admin, this.admin)
            .replaceAll(TOKENS.member, this.member)
            .replaceAll(TOKENS.revoked, this.revoked)
            .replaceAll(
              TOKENS.disposable,
              () => this.disposable[this.next++ % this.disposable.length] ?? 'none',
            )
        : s;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = fill(v);
    const raw = req.raw ? Buffer.from(fill(req.raw.toString('latin1')), 'latin1') : undefined;
    return { ...req, headers, ...(raw ? { raw } : {}) };
  }
}
