import { describe, expect, it } from 'vitest';
import { bestStatus, quorumSize } from './quorum';

describe('quorum', () => {
  it('needs a majority of replicas, as Swift computes it', () => {
    expect([1, 2, 3, 4, 5].map(quorumSize)).toEqual([1, 2, 2, 3, 3]);
  });

  it('answers the status class that reached quorum, 503 when none did', () => {
    expect(bestStatus([201, 201, 503], 3)).toBe(201);
    expect(bestStatus([201, 507, 503], 3)).toBe(503);
    expect(bestStatus([404, 404, 204], 3)).toBe(404);
    expect(bestStatus([204, 204, 404], 3)).toBe(204);
    expect(bestStatus([409, 409, 409], 3)).toBe(409);
  });
});
