import { defineOptions, opt } from '@nimbus/config';

/**
 * oslo.policy's `[oslo_policy]`, read by every service the same way. One overrides file per
 * service, named by catalog type, lives in `policy_dir` (`identity.yaml`, `image.yaml`...).
 */
export const osloPolicyOptions = defineOptions(
  'oslo_policy',
  'Policy enforcement (oslo.policy), for every service.',
  {
    policy_dir: opt.string({
      default: 'policy',
      help: 'Directory of the policy overrides, one file per service named by its catalog type (identity.yaml, image.yaml, compute.yaml...; .yml and .json also read); relative to the data directory. Files are reloaded when they change; a bad file stops start-up or is refused on reload.',
    }),
    policy_file: opt.string({
      default: 'policy.yaml',
      help: "Deprecated: identity's single overrides file of earlier releases, relative to the data directory; identity still reads it when present, under <policy_dir>/identity.yaml, which wins.",
    }),
    enforce_scope: opt.bool({
      default: false,
      help: "Refuse tokens whose scope (system, domain, project) is not one of the rule's scope types; when off, the mismatch is only logged.",
    }),
    enforce_new_defaults: opt.bool({
      default: false,
      help: 'Use only the secure-RBAC defaults; when off, each deprecated default is OR-ed with its new default.',
    }),
  },
);
