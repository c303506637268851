import type { Notifier } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import {
  type AuditInitiator,
  CADF,
  CADF_TARGET_TYPES,
  type CadfOutcome,
  cadfEvent,
  cadfId,
  cadfInitiator,
} from './cadf-event';

/** Keystone's notification formats (`[DEFAULT] notification_format`). */
export type NotificationFormat = 'basic' | 'cadf';

/** What Keystone notifies about a resource. */
export type ResourceOperation = 'created' | 'updated' | 'deleted';

/** A grant, as `identity.role_assignment.*` describes it. */
export interface GrantDescription {
  roleId: string;
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  inherited: boolean;
}

/** Lookups the CADF format needs: the initiator's user name and the identity service's catalog id. */
export interface NotifierLookups {
  userName(userId: string): Promise<string | undefined>;
  identityServiceId(): Promise<string | undefined>;
}

/** How identity notifies. */
export interface IdentityNotifierOptions {
  format: NotificationFormat;
  /** Event types not sent (`identity.authenticate.<outcome>` for authentication). */
  optOut: readonly string[];
}

/**
 * Keystone's notifications (publisher `identity.<host>`, priority INFO, on the `keystone` control
 * exchange): `identity.<resource>.<created|updated|deleted>` with `{"resource_info": id}` (basic)
 * or the same event as a CADF activity (cadf, Keystone's default); `identity.role_assignment.*`
 * and `identity.authenticate` are CADF in both formats. Sending never fails the caller: a bus
 * error is logged, as Keystone does.
 */
export class IdentityNotifier {
  constructor(
    private readonly notifier: Notifier | undefined,
    private readonly options: IdentityNotifierOptions,
    private readonly lookups: NotifierLookups,
    private readonly logger: Logger,
  ) {}

  /** `identity.<resourceType>.<operation>`; `actor` for group membership (`added`/`removed` user). */
  async resource(
    operation: ResourceOperation,
    resourceType: string,
    resourceId: string,
    initiator?: AuditInitiator,
    actor?: { id: string; type: string; operation: 'added' | 'removed' },
  ): Promise<void> {
    const eventType = `identity.${resourceType}.${operation}`;
    if (this.options.optOut.includes(eventType)) return;
    if (this.options.format === 'basic') {
      const payload: Record<string, unknown> = { resource_info: resourceId };
      if (actor) {
        payload.actor_id = actor.id;
        payload.actor_type = actor.type;
        payload.actor_operation = actor.operation;
      }
      if (initiator?.requestId) payload.request_id = initiator.requestId;
      if (initiator?.globalRequestId) payload.global_request_id = initiator.globalRequestId;
      return this.send(eventType, payload);
    }
    await this.audit(eventType, `${operation}.${resourceType}`, 'success', initiator, {
      target: { typeURI: CADF_TARGET_TYPES[resourceType] ?? CADF.unknown, id: resourceId },
      extra: { resource_info: resourceId },
    });
  }

  /** `identity.role_assignment.created|deleted` (CADF in both formats, as upstream). */
  async roleAssignment(
    operation: 'created' | 'deleted',
    grant: GrantDescription,
    initiator?: AuditInitiator,
  ): Promise<void> {
    const extra: Record<string, unknown> = {};
    if (grant.projectId) extra.project = grant.projectId;
    else if (grant.domainId) extra.domain = grant.domainId;
    if (grant.userId) extra.user = grant.userId;
    else if (grant.groupId) extra.group = grant.groupId;
    extra.inherited_to_projects = grant.inherited;
    extra.role = grant.roleId;
    const eventType = `identity.role_assignment.${operation}`;
    if (this.options.optOut.includes(eventType)) return;
    await this.audit(eventType, `${operation}.role_assignment`, 'success', initiator, {
      target: { typeURI: CADF.accountUser, id: cadfId() },
      extra,
    });
  }

  /** `identity.authenticate`: a password authentication of a known user, and how it ended. */
  async authenticate(
    userId: string,
    outcome: CadfOutcome,
    initiator?: AuditInitiator,
    reason?: { reasonType: string; reasonCode: string },
  ): Promise<void> {
    if (this.options.optOut.includes(`identity.authenticate.${outcome}`)) return;
    await this.audit(
      'identity.authenticate',
      'authenticate',
      outcome,
      { ...initiator, userId },
      {
        target: { typeURI: CADF.accountUser, id: cadfId() },
        ...(reason ? { reason } : {}),
      },
    );
  }

  private async audit(
    eventType: string,
    action: string,
    outcome: CadfOutcome,
    initiator: AuditInitiator | undefined,
    rest: {
      target: { typeURI: string; id: string };
      extra?: Record<string, unknown>;
      reason?: { reasonType: string; reasonCode: string };
    },
  ): Promise<void> {
    if (!this.notifier) return;
    try {
      const userName = initiator?.userId ? await this.lookups.userName(initiator.userId) : undefined;
      const observerId = await this.lookups.identityServiceId();
      const payload = cadfEvent({
        action,
        outcome,
        initiator: cadfInitiator(initiator, userName),
        ...rest,
        ...(observerId ? { observerId } : {}),
      });
      await this.send(eventType, payload);
    } catch (err) {
      this.logger.error({ err, eventType }, 'identity notification failed');
    }
  }

  private async send(eventType: string, payload: Record<string, unknown>): Promise<void> {
    if (!this.notifier) return;
    try {
      // Keystone sends with an empty context: who acted is in the payload.
      await this.notifier.info({}, eventType, payload);
    } catch (err) {
      this.logger.error({ err, eventType }, 'identity notification failed');
    }
  }
}
