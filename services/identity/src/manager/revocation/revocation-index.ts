import { type RevocableToken, type RevocationEvent, revokes } from './revocation-event';

/**
 * The live revocation events, indexed so that checking a token costs a few map look-ups instead
 * of a scan: token validation runs on every API call of every service. Events past the longest
 * token lifetime can be pruned; they can no longer match a valid token.
 */
export class RevocationIndex {
  private readonly byUser = new Map<string, RevocationEvent[]>();
  private readonly byProject = new Map<string, RevocationEvent[]>();
  private readonly byAudit = new Map<string, RevocationEvent[]>();
  private readonly others: RevocationEvent[] = [];

  add(event: RevocationEvent): void {
    if (event.auditId !== undefined) push(this.byAudit, event.auditId, event);
    else if (event.auditChainId !== undefined) push(this.byAudit, event.auditChainId, event);
    else if (event.userId !== undefined) push(this.byUser, event.userId, event);
    else if (event.projectId !== undefined) push(this.byProject, event.projectId, event);
    else this.others.push(event);
  }

  /** True when any event revokes the token. */
  isRevoked(token: RevocableToken): boolean {
    const candidates = [
      ...(this.byAudit.get(token.auditIds[0] ?? '') ?? []),
      ...(token.auditIds.length > 1
        ? (this.byAudit.get(token.auditIds[token.auditIds.length - 1]!) ?? [])
        : []),
      ...(this.byUser.get(token.userId) ?? []),
      ...(token.trustorId ? (this.byUser.get(token.trustorId) ?? []) : []),
      ...(token.trusteeId ? (this.byUser.get(token.trusteeId) ?? []) : []),
      ...(token.projectId ? (this.byProject.get(token.projectId) ?? []) : []),
      ...this.others,
    ];
    return candidates.some((e) => revokes(e, token));
  }

  /** Drops events that can only match tokens issued before `issuedBefore` seconds (already expired). */
  prune(olderThan: number): void {
    const keep = (e: RevocationEvent) => e.issuedBefore >= olderThan;
    for (const map of [this.byUser, this.byProject, this.byAudit]) {
      for (const [k, list] of map) {
        const kept = list.filter(keep);
        if (kept.length) map.set(k, kept);
        else map.delete(k);
      }
    }
    const kept = this.others.filter(keep);
    this.others.length = 0;
    this.others.push(...kept);
  }
}

function push(map: Map<string, RevocationEvent[]>, key: string, e: RevocationEvent): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}
