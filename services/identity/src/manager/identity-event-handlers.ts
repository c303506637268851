import type { ExtensionHooks } from './ext/extension-managers';
import type { IdentityEvents } from './identity-events';
import type { RevocationManager } from './revocation/revocation-manager';

/** Clean-ups of other core managers that follow a deletion (assignments of a deleted user...). */
export interface CoreCascades {
  actorDeleted(actorId: string): Promise<void>;
  targetDeleted(targetId: string): Promise<void>;
  /** Deletes a domain's users, groups and domain-specific roles before the domain goes. */
  domainEmptied(domainId: string): Promise<void>;
}

/**
 * What identity does after each core change, as Keystone does: revocation events where a
 * token's subject went away or changed (user, password, project, domain), clean-ups in the
 * extensions (credentials, application credentials, trusts, limits) and in assignments, and a
 * cache flush where validation recomputes the answer anyway (roles, group membership).
 */
export function identityEventHandlers(
  revocations: RevocationManager,
  ext: ExtensionHooks,
  cascades: CoreCascades,
): IdentityEvents {
  return {
    async userDisabled(userId) {
      await revocations.revoke({ userId });
      await ext.userDisabled(userId);
    },
    async userDeleted(userId) {
      await revocations.revoke({ userId });
      await cascades.actorDeleted(userId);
      await ext.userDeleted(userId);
    },
    async passwordChanged(userId) {
      await revocations.revoke({ userId });
    },
    async projectDisabled(projectId) {
      await revocations.revoke({ projectId });
    },
    async projectDeleted(projectId) {
      await revocations.revoke({ projectId });
      await cascades.targetDeleted(projectId);
      await ext.projectDeleted(projectId);
    },
    async domainDisabled(domainId) {
      await revocations.revoke({ domainId });
    },
    async domainDeleted(domainId) {
      await revocations.revoke({ domainId });
      await cascades.domainEmptied(domainId);
      await cascades.targetDeleted(domainId);
      await ext.domainDeleted(domainId);
    },
    async groupDeleted(groupId) {
      await cascades.actorDeleted(groupId);
      revocations.invalidateCaches();
    },
    async userRemovedFromGroup() {
      revocations.invalidateCaches();
    },
    async assignmentRemoved(input) {
      revocations.invalidateCaches();
      if (input.targetId)
        for (const userId of input.userIds) await ext.userLostProjectRole(userId, input.targetId);
    },
    async roleDeleted() {
      revocations.invalidateCaches();
    },
  };
}

/** Events whose handlers are bound after the managers that announce them are built (they depend on each other). */
export function lateBoundEvents(): IdentityEvents & { bind(handlers: IdentityEvents): void } {
  let target: IdentityEvents | undefined;
  const call =
    <K extends keyof IdentityEvents>(k: K) =>
    (...args: Parameters<IdentityEvents[K]>): Promise<void> => {
      if (!target) throw new Error(`identity event ${k} raised before the handlers were bound`);
      return (target[k] as (...a: Parameters<IdentityEvents[K]>) => Promise<void>)(...args);
    };
  return {
    bind(handlers) {
      target = handlers;
    },
    userDisabled: call('userDisabled'),
    userDeleted: call('userDeleted'),
    passwordChanged: call('passwordChanged'),
    projectDisabled: call('projectDisabled'),
    projectDeleted: call('projectDeleted'),
    domainDisabled: call('domainDisabled'),
    domainDeleted: call('domainDeleted'),
    groupDeleted: call('groupDeleted'),
    userRemovedFromGroup: call('userRemovedFromGroup'),
    assignmentRemoved: call('assignmentRemoved'),
    roleDeleted: call('roleDeleted'),
  };
}
