import { defineOptions, opt } from '@nimbus/config';

/** Glance's `[DEFAULT]` notification options, under `[image]` as the rest of Glance's `[DEFAULT]`. */
export const imageNotificationOptions = defineOptions('image', 'Image service (Glance v2).', {
  default_publisher_id: opt.string({
    default: 'image.localhost',
    help: 'publisher_id of the notifications the image service sends.',
  }),
  disabled_notifications: opt.list({
    default: [],
    help: 'Notifications not sent: an event type (image.create) or a group (image, task, metadef_tag).',
  }),
});
