import type { ImageRepository } from '../db/repositories/image-repository';
import { tooLarge } from './image-errors';

/** The unified-limit resources Glance registers in identity. */
export const QUOTA_RESOURCES = [
  'image_size_total',
  'image_stage_total',
  'image_count_total',
  'image_count_uploading',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** A project's limit for each resource, from identity (project limit, else registered default, else 0). */
export type LimitSource = (
  projectId: string,
  resources: readonly QuotaResource[],
) => Promise<Record<string, number>>;

const MiB = 1024 * 1024;

/**
 * Glance's unified-limit quotas (`use_keystone_limits`): before an operation, each resource's
 * current usage plus the operation's delta must not pass the project's limit, or it gets 413
 * with oslo.limit's message. Sizes count in MiB, as upstream registers them. Without a limit
 * source (limits off) every check passes.
 */
export class ImageQuotas {
  constructor(
    private readonly images: ImageRepository,
    private readonly limits?: LimitSource,
  ) {}

  get enabled(): boolean {
    return this.limits !== undefined;
  }

  async enforce(
    projectId: string | null | undefined,
    deltas: Partial<Record<QuotaResource, number>>,
  ): Promise<void> {
    if (!this.limits || !projectId) return;
    const names = Object.keys(deltas) as QuotaResource[];
    const [limits, usage] = await Promise.all([this.limits(projectId, names), this.current(projectId)]);
    const over = names
      .filter((n) => usage[n] + (deltas[n] ?? 0) > (limits[n] ?? 0))
      .map(
        (n) =>
          `Resource ${n} is over limit of ${limits[n] ?? 0} due to current usage ${usage[n]} and delta ${deltas[n] ?? 0}`,
      );
    if (over.length) throw tooLarge(`Project ${projectId} is over a limit for [${over.join(', ')}]`);
  }

  /** `GET /v2/info/usage`: each resource's usage and limit; empty when limits are off. */
  async usage(projectId: string | undefined): Promise<Record<string, { usage: number; limit: number }>> {
    if (!this.limits || !projectId) return {};
    const [limits, usage] = await Promise.all([
      this.limits(projectId, QUOTA_RESOURCES),
      this.current(projectId),
    ]);
    return Object.fromEntries(QUOTA_RESOURCES.map((n) => [n, { usage: usage[n], limit: limits[n] ?? 0 }]));
  }

  /** Bytes as quotas count them. */
  static mib(bytes: number | null | undefined): number {
    return Math.floor((bytes ?? 0) / MiB);
  }

  private async current(projectId: string): Promise<Record<QuotaResource, number>> {
    const u = await this.images.usage(projectId);
    return {
      image_size_total: ImageQuotas.mib(u.bytes),
      image_stage_total: ImageQuotas.mib(u.stagingBytes),
      image_count_total: u.count,
      image_count_uploading: u.uploading,
    };
  }
}
