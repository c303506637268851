import { defineOptions, opt } from '@nimbus/config';

/** Placement's `[placement]` options (upstream's names). */
export const placementOptions = defineOptions('placement', 'Placement service.', {
  max_placement_results: opt.int({
    default: 1000,
    min: 1,
    help: 'Most allocation candidates GET /allocation_candidates considers (its limit when the request names none).',
  }),
  randomize_allocation_candidates: opt.bool({
    default: false,
    help: 'Return allocation candidates in random order (so a limit does not always pick the same providers).',
  }),
  allocation_conflict_retry_count: opt.int({
    default: 10,
    min: 1,
    help: 'Times an allocation write is retried when another write moved a provider generation first.',
  }),
  incomplete_consumer_project_id: opt.string({
    default: '00000000-0000-0000-0000-000000000000',
    help: 'Project recorded for consumers written before microversion 1.8 (no project given).',
  }),
  incomplete_consumer_user_id: opt.string({
    default: '00000000-0000-0000-0000-000000000000',
    help: 'User recorded for consumers written before microversion 1.8 (no user given).',
  }),
});

/** Placement's `[api]` options, as upstream names them. */
export const placementApiOptions = defineOptions(
  'api',
  'API authentication (upstream placement reads [api] auth_strategy).',
  {
    auth_strategy: opt.enum({
      choices: ['keystone', 'noauth2'],
      default: 'keystone',
      help: "'keystone' validates tokens; 'noauth2' (upstream's functional-test mode) trusts X-Auth-Token and X-Roles headers: never in production.",
    }),
  },
);

/** oslo.middleware's `[cors]` options, as every OpenStack API reads them. */
export const corsOptions = defineOptions('cors', 'Cross-origin resource sharing.', {
  allowed_origin: opt.list({
    default: [],
    help: 'Origins allowed to make cross-origin requests (none: CORS off).',
  }),
  allow_headers: opt.list({ default: [], help: 'Request headers a cross-origin request may carry.' }),
  expose_headers: opt.list({ default: [], help: 'Response headers a cross-origin caller may read.' }),
  allow_methods: opt.list({
    default: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'],
    help: 'Methods a cross-origin request may use.',
  }),
  allow_credentials: opt.bool({
    default: true,
    help: 'Whether cross-origin requests may carry credentials.',
  }),
  max_age: opt.int({ default: 3600, min: 0, help: 'Seconds a preflight answer may be cached.' }),
});
