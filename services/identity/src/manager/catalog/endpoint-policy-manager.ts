import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@nimbus/errors';
import type { StoredEndpoint } from '../../db/repositories/catalog-repository';
import type {
  EndpointPolicyRepository,
  PolicyAssociationTarget,
} from '../../db/repositories/endpoint-policy-repository';
import type { CatalogManager } from './catalog-manager';

const associationNotFound = () =>
  new NotFoundError('Could not find policy association.', { code: 'IDENTITY_POLICY_ASSOCIATION_NOT_FOUND' });

/**
 * OS-ENDPOINT-POLICY: which policy blob applies to an endpoint. An endpoint's own association
 * wins; else its service's in the endpoint's region or the nearest parent region; else its
 * service's association for every region. Keystone stores these for other services and never
 * enforces them; neither does Nimbus.
 */
export class EndpointPolicyManager {
  constructor(
    private readonly repo: EndpointPolicyRepository,
    private readonly catalog: CatalogManager,
    /** Throws Keystone's PolicyNotFound for an unknown policy blob. */
    private readonly requirePolicy: (id: string) => Promise<unknown>,
  ) {}

  /** Associates the policy with the target (each must exist), replacing any policy it had. */
  async associate(policyId: string, target: PolicyAssociationTarget): Promise<void> {
    await this.requirePolicy(policyId);
    await this.requireTarget(target);
    await this.repo.put(randomUUID().replaceAll('-', ''), policyId, target);
  }

  /** Throws NotFoundError unless exactly this policy is associated with exactly this target. */
  async check(policyId: string, target: PolicyAssociationTarget): Promise<void> {
    await this.requirePolicy(policyId);
    await this.requireTarget(target);
    const a = await this.repo.find(target);
    if (a?.policyId !== policyId) throw associationNotFound();
  }

  /** Removes the association if it names this policy; removing nothing is not an error (as Keystone). */
  async dissociate(policyId: string, target: PolicyAssociationTarget): Promise<void> {
    await this.requirePolicy(policyId);
    await this.requireTarget(target);
    const a = await this.repo.find(target);
    if (a?.policyId === policyId) await this.repo.delete(a.id);
  }

  /** The id of the policy that applies to the endpoint; NotFoundError when none does. */
  async policyIdForEndpoint(endpointId: string): Promise<string> {
    const e = await this.catalog.getEndpoint(endpointId);
    const own = await this.live({ endpointId: e.id });
    if (own) return own;
    const seen = new Set<string>();
    for (let region = e.regionId; region && !seen.has(region); ) {
      seen.add(region);
      const a = await this.live({ serviceId: e.serviceId, regionId: region });
      if (a) return a;
      region = (await this.catalog.getRegion(region).catch(() => undefined))?.parentRegionId ?? null;
    }
    const service = await this.live({ serviceId: e.serviceId });
    if (service) return service;
    throw new NotFoundError(`No policy is associated with endpoint ${endpointId}.`, {
      code: 'IDENTITY_POLICY_FOR_ENDPOINT_NOT_FOUND',
    });
  }

  /** Every endpoint the policy applies to through any of its associations. */
  async endpointsForPolicy(policyId: string): Promise<StoredEndpoint[]> {
    await this.requirePolicy(policyId);
    const all = await this.catalog.listEndpoints();
    const regions = await this.catalog.listRegions();
    const parent = new Map(regions.map((r) => [r.id, r.parentRegionId]));
    const within = (region: string | null, ancestor: string) => {
      const seen = new Set<string>();
      for (let r = region; r && !seen.has(r); r = parent.get(r) ?? null) {
        if (r === ancestor) return true;
        seen.add(r);
      }
      return false;
    };
    const out = new Map<string, StoredEndpoint>();
    for (const a of await this.repo.listForPolicy(policyId))
      for (const e of all)
        if (
          (a.endpointId && e.id === a.endpointId) ||
          (a.serviceId && e.serviceId === a.serviceId && (!a.regionId || within(e.regionId, a.regionId)))
        )
          out.set(e.id, e);
    return [...out.values()];
  }

  /**
   * The policy id of the target's association, when its policy still exists. Keystone drops a
   * deleted policy's associations; the blobs live in the extension tables, so an association
   * left by a deleted policy is dropped here, when first met.
   */
  private async live(target: PolicyAssociationTarget): Promise<string | undefined> {
    const a = await this.repo.find(target);
    if (!a) return undefined;
    try {
      await this.requirePolicy(a.policyId);
      return a.policyId;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      await this.repo.deleteForPolicy(a.policyId);
      return undefined;
    }
  }

  private async requireTarget(t: PolicyAssociationTarget): Promise<void> {
    if ('endpointId' in t) await this.catalog.getEndpoint(t.endpointId);
    else {
      await this.catalog.getService(t.serviceId);
      if (t.regionId) await this.catalog.getRegion(t.regionId);
    }
  }
}
