import { randomUUID } from 'node:crypto';
import { ForbiddenError } from '@nimbus/errors';
import type {
  LimitFilter,
  LimitRecord,
  LimitRepository,
  LimitView,
  RegisteredLimitRecord,
} from '../../db/ext/limit-repository';
import type { ExtensionCoreAccess } from './core-access';
import { ExpectingAttribute, PlainNotFound, StoreConflict } from './ext-errors';

/** The enforcement model `/v3/limits/model` reports (Keystone's default, `flat`). */
export const FLAT_LIMIT_MODEL = {
  name: 'flat',
  description: 'Limit enforcement and validation does not take project hierarchy into consideration.',
} as const;

/** Keystone's RegisteredLimitError. */
export class RegisteredLimitInUse extends ForbiddenError {
  constructor(id: string) {
    super(
      `Unable to update or delete registered limit ${id} because there are project limits associated with it.`,
      { code: 'IDENTITY_REGISTERED_LIMIT_IN_USE' },
    );
  }
}

/** Keystone's NoLimitReference. */
export class NoLimitReference extends ForbiddenError {
  constructor() {
    super('Unable to create a limit that has no corresponding registered limit.', {
      code: 'IDENTITY_NO_LIMIT_REFERENCE',
    });
  }
}

const newId = () => randomUUID().replaceAll('-', '');

/**
 * Unified limits: registered limits (a service's default for a resource, per region) and the
 * project or domain limits that override them, with Keystone's flat enforcement model. Creation is
 * all-or-nothing per batch; duplicates are 409.
 */
export class LimitManager {
  constructor(
    private readonly repo: LimitRepository,
    private readonly core: ExtensionCoreAccess,
  ) {}

  private async assertRefs(
    x: { serviceId?: string; regionId?: string | null; projectId?: string | null; domainId?: string | null },
    target: string,
  ): Promise<void> {
    if (x.serviceId !== undefined && !(await this.core.serviceExists(x.serviceId)))
      throw new ExpectingAttribute('service_id', target);
    if (x.regionId && !(await this.core.regionExists(x.regionId)))
      throw new ExpectingAttribute('region_id', target);
    if (x.projectId && !(await this.core.getProject(x.projectId)))
      throw new ExpectingAttribute('project_id', target);
    if (x.domainId) {
      const d = await this.core.getProject(x.domainId);
      if (!d?.isDomain) throw new ExpectingAttribute('domain_id', target);
    }
  }

  async createRegistered(
    inputs: {
      serviceId: string;
      regionId?: string | null;
      resourceName: string;
      defaultLimit: number;
      description?: string | null;
    }[],
  ): Promise<RegisteredLimitRecord[]> {
    const rows: RegisteredLimitRecord[] = [];
    for (const i of inputs) {
      await this.assertRefs(i, 'registered_limit');
      const row = {
        id: newId(),
        serviceId: i.serviceId,
        regionId: i.regionId ?? null,
        resourceName: i.resourceName,
        defaultLimit: i.defaultLimit,
        description: i.description ?? null,
      };
      const clash = rows.some(
        (r) =>
          r.serviceId === row.serviceId && r.regionId === row.regionId && r.resourceName === row.resourceName,
      );
      if (
        clash ||
        (
          await this.repo.listRegistered({
            serviceId: row.serviceId,
            regionId: row.regionId,
            resourceName: row.resourceName,
          })
        ).length
      ) {
        throw new StoreConflict('registered_limit', 'Duplicate entry');
      }
      rows.push(row);
    }
    await this.repo.createRegistered(rows);
    return rows;
  }

  async getRegistered(id: string): Promise<RegisteredLimitRecord> {
    const r = await this.repo.getRegistered(id);
    if (!r)
      throw new PlainNotFound(
        `Could not find registered limit for ${id}.`,
        'IDENTITY_REGISTERED_LIMIT_NOT_FOUND',
      );
    return r;
  }

  listRegistered(f: LimitFilter = {}): Promise<RegisteredLimitRecord[]> {
    return this.repo.listRegistered(f);
  }

  async updateRegistered(
    id: string,
    changes: {
      serviceId?: string;
      regionId?: string | null;
      resourceName?: string;
      defaultLimit?: number;
      description?: string | null;
    },
  ): Promise<RegisteredLimitRecord> {
    await this.assertRefs(changes, 'registered_limit');
    const current = await this.getRegistered(id);
    if (await this.repo.hasLimits(id)) throw new RegisteredLimitInUse(id);
    const next = {
      ...current,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    } as RegisteredLimitRecord;
    if (
      changes.serviceId !== undefined ||
      changes.regionId !== undefined ||
      changes.resourceName !== undefined
    ) {
      const same = await this.repo.listRegistered({
        serviceId: next.serviceId,
        regionId: next.regionId,
        resourceName: next.resourceName,
      });
      if (same.some((r) => r.id !== id)) throw new StoreConflict('registered_limit', 'Duplicate entry');
    }
    await this.repo.updateRegistered(id, next);
    return next;
  }

  async deleteRegistered(id: string): Promise<void> {
    await this.getRegistered(id);
    if (await this.repo.hasLimits(id)) throw new RegisteredLimitInUse(id);
    await this.repo.deleteRegistered(id);
  }

  async createLimits(
    inputs: {
      projectId?: string;
      domainId?: string;
      serviceId: string;
      regionId?: string | null;
      resourceName: string;
      resourceLimit: number;
      description?: string | null;
    }[],
  ): Promise<LimitView[]> {
    const rows: LimitView[] = [];
    for (const i of inputs) {
      await this.assertRefs(i, 'limit');
      let projectId = i.projectId ?? null;
      let domainId = i.domainId ?? null;
      // A project id naming a domain makes a domain limit, as Keystone treats it.
      if (projectId && (await this.core.getProject(projectId))?.isDomain) {
        domainId = projectId;
        projectId = null;
      }
      const reg = (
        await this.repo.listRegistered({
          serviceId: i.serviceId,
          regionId: i.regionId ?? null,
          resourceName: i.resourceName,
        })
      )[0];
      if (!reg) throw new NoLimitReference();
      const row: LimitView = {
        id: newId(),
        projectId,
        domainId,
        registeredLimitId: reg.id,
        resourceLimit: i.resourceLimit,
        description: i.description ?? null,
        serviceId: reg.serviceId,
        regionId: reg.regionId,
        resourceName: reg.resourceName,
      };
      const existing = await this.repo.listLimits(projectId ? { projectId } : { domainId: domainId! });
      const clash = [...existing, ...rows].some(
        (l) => l.registeredLimitId === reg.id && l.projectId === projectId && l.domainId === domainId,
      );
      if (clash) throw new StoreConflict('limit', 'Duplicate entry');
      rows.push(row);
    }
    await this.repo.createLimits(
      rows.map(({ serviceId: _s, regionId: _r, resourceName: _n, ...rec }) => rec as LimitRecord),
    );
    return rows;
  }

  async getLimit(id: string): Promise<LimitView> {
    const l = await this.repo.getLimit(id);
    if (!l) throw new PlainNotFound(`Could not find limit for ${id}.`, 'IDENTITY_LIMIT_NOT_FOUND');
    return l;
  }

  /** The limit or undefined (policy targets are built before existence is known). */
  findLimit(id: string): Promise<LimitView | undefined> {
    return this.repo.getLimit(id);
  }

  listLimits(f: LimitFilter = {}): Promise<LimitView[]> {
    return this.repo.listLimits(f);
  }

  async updateLimit(
    id: string,
    changes: { resourceLimit?: number; description?: string | null },
  ): Promise<LimitView> {
    await this.getLimit(id);
    await this.repo.updateLimit(id, changes);
    return this.getLimit(id);
  }

  async deleteLimit(id: string): Promise<void> {
    if (!(await this.repo.deleteLimit(id))) await this.getLimit(id);
  }

  /** Removes the limits of a deleted project or domain. */
  deleteLimitsOf(targetId: string): Promise<void> {
    return this.repo.deleteLimitsOf(targetId);
  }
}
