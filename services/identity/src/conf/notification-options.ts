import { defineOptions, opt } from '@nimbus/config';

/** Keystone's notification options, in `[DEFAULT]` as upstream. */
export const notificationFormatOptions = defineOptions('DEFAULT', 'Options every Nimbus process reads.', {
  notification_format: opt.enum({
    choices: ['basic', 'cadf'] as const,
    default: 'cadf',
    help: 'Format of identity notifications: basic (the resource id only) or cadf (a CADF event with initiator, target, observer and outcome).',
  }),
  notification_opt_out: opt.list({
    default: [
      'identity.authenticate.success',
      'identity.authenticate.pending',
      'identity.authenticate.failed',
    ],
    help: 'Identity notifications not sent, as `identity.<resource_type>.<operation>` (authentication: `identity.authenticate.<outcome>`).',
  }),
});
