import { defineOptions, opt } from '@nimbus/config';
import { InternalError } from '@nimbus/errors';
import { NOTIFICATION_DRIVERS, type NotificationDriver, type NotifierOptions } from './notifier';

/** `[DEFAULT]` options of the bus (merged with the process's other `[DEFAULT]` options). */
export const messagingDefaultOptions = defineOptions('DEFAULT', 'Options every Nimbus process reads.', {
  control_exchange: opt.string({
    default: '',
    help: "Topic exchange of this service's RPC and notifications on the broker, as oslo.messaging's. Empty: the service's upstream name (keystone, glance, nova...).",
  }),
});

/** `[oslo_messaging_notifications]`, as oslo.messaging reads it. */
export const notificationOptions = defineOptions(
  'oslo_messaging_notifications',
  'Where notifications go (oslo.messaging compatible).',
  {
    driver: opt.list({
      default: ['messagingv2'],
      help: 'Notification drivers: messagingv2 (oslo 2.0 envelope), messaging (1.0, bare), log, noop. Several may be given.',
    }),
    topics: opt.list({
      default: ['notifications'],
      help: 'Topics notifications are sent to (queue `<topic>.<priority>`).',
    }),
  },
);

/**
 * `[upgrade_levels]`: `<topic> = <version>` caps what clients of that RPC topic send during a
 * rolling upgrade. This group declares none: each service adds the topics it serves with a group
 * of the same name (`defineOptions('upgrade_levels', ..., { compute: opt.string(...) })`).
 */
export const upgradeLevelOptions = defineOptions(
  'upgrade_levels',
  'Version caps of RPC topics for rolling upgrades (`<topic> = <major.minor>`).',
  {},
);

/**
 * The notifier options of one service from `[oslo_messaging_notifications]` and
 * `[DEFAULT] control_exchange`; `serviceExchange` is the default control exchange (`glance`).
 * Throws InternalError `BUS_INVALID_OPTION` on an unknown driver.
 */
export function notifierOptionsFromConfig(
  notifications: { driver: string[]; topics: string[] },
  controlExchange: string,
  serviceExchange: string,
): NotifierOptions {
  const drivers = notifications.driver.map((d) => d.trim()).filter((d) => d !== '');
  for (const d of drivers) {
    if (!NOTIFICATION_DRIVERS.includes(d as NotificationDriver)) {
      throw new InternalError(
        `[oslo_messaging_notifications] driver ${JSON.stringify(d)}: one of ${NOTIFICATION_DRIVERS.join(', ')}`,
        { code: 'BUS_INVALID_OPTION' },
      );
    }
  }
  return {
    drivers: drivers as NotificationDriver[],
    topics: notifications.topics,
    exchange: controlExchange || serviceExchange,
  };
}

/** The version caps set in `[upgrade_levels]` (empty values mean no cap). */
export function upgradeLevelsFromConfig(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [topic, version] of Object.entries(values)) {
    if (typeof version === 'string' && version.trim() !== '') out[topic] = version.trim();
  }
  return out;
}
