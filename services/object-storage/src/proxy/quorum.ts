/** Replicas that must agree for a write to succeed: a majority (2 of 3, 3 of 4, 3 of 5). */
export function quorumSize(replicas: number): number {
  return Math.floor(replicas / 2) + 1;
}

/**
 * The answer a set of node statuses add up to, as upstream's `best_response`: the class of
 * status (2xx, 3xx, 4xx) that reached quorum, answered with its most common code; 503 when none
 * did.
 */
export function bestStatus(statuses: readonly number[], replicas: number): number {
  const quorum = quorumSize(replicas);
  for (const cls of [200, 300, 400]) {
    const hits = statuses.filter((s) => s >= cls && s < cls + 100);
    if (hits.length >= quorum) {
      const counts = new Map<number, number>();
      for (const s of hits) counts.set(s, (counts.get(s) ?? 0) + 1);
      return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    }
  }
  return 503;
}
