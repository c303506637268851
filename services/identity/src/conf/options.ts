import { defineOptions, opt } from '@nimbus/config';
import { osloPolicyOptions } from '@nimbus/policy';

/** Keystone's `[token]`. */
export const tokenOptions = defineOptions('token', 'Token lifetime and rescoping.', {
  expiration: opt.int({ default: 3600, min: 0, max: 9_223_372_036, help: 'Seconds a token stays valid.' }),
  allow_expired_window: opt.int({
    default: 172_800,
    min: 0,
    help: 'Seconds after expiry a token is still accepted with allow_expired.',
  }),
  allow_rescope_scoped_token: opt.bool({
    default: true,
    help: 'Whether a scoped token may be exchanged for one of another scope.',
  }),
  revocation_refresh_seconds: opt.int({
    default: 2,
    min: 1,
    max: 60,
    help: 'How often a process reads revocation events written by other identity processes.',
  }),
});

/** Keystone's `[fernet_tokens]`. */
export const fernetOptions = defineOptions('fernet_tokens', 'Fernet key repository of tokens.', {
  key_repository: opt.string({
    default: '',
    help: 'Directory of the token keys; default <data_dir>/fernet-keys.',
  }),
  max_active_keys: opt.int({
    default: 3,
    min: 1,
    help: 'Keys kept after a rotation: staged, primary and secondaries.',
  }),
});

/** Keystone's `[identity]` (password hashing) and our bootstrap settings. */
export const identityOptions = defineOptions('identity', 'Users and passwords.', {
  password_hash_rounds: opt.int({ default: 12, min: 4, max: 31, help: 'bcrypt cost of password hashes.' }),
  max_password_length: opt.int({ default: 4096, min: 1, help: 'Longest password accepted.' }),
  list_limit: opt.int({
    default: 0,
    min: 0,
    help: 'Most entities a list returns (0: no limit); lists cut short say "truncated".',
  }),
  admin_password: opt.string({
    default: '',
    secret: true,
    help: 'Password of the bootstrap admin user; empty generates one on first start.',
  }),
});

/** Keystone's `[resource]`. */
export const resourceOptions = defineOptions('resource', 'Projects and domains.', {
  admin_project_name: opt.string({
    default: 'admin',
    help: 'Project whose tokens are admin tokens (is_admin_project).',
  }),
  admin_project_domain_name: opt.string({ default: 'Default', help: 'Domain of the admin project.' }),
  max_project_tree_depth: opt.int({ default: 5, min: 1, help: 'Deepest project hierarchy allowed.' }),
});

/** Keystone's `[auth]` and `[totp]`. */
export const authOptions = defineOptions('auth', 'Authentication methods.', {
  methods: opt.list({
    default: ['external', 'password', 'token', 'oauth1', 'mapped', 'application_credential', 'totp'],
    help: 'Enabled methods; the order also fixes each method bit in tokens.',
  }),
  totp_included_previous_windows: opt.int({
    default: 1,
    min: 0,
    max: 10,
    help: 'TOTP windows before the current one that are still accepted.',
  }),
});

/** Keystone's `[security_compliance]`: every rule off by default, as upstream. */
export const securityComplianceOptions = defineOptions('security_compliance', 'Password and lockout rules.', {
  lockout_failure_attempts: opt.int({
    default: 0,
    min: 0,
    help: 'Failed logins before a user is locked (0: never).',
  }),
  lockout_duration: opt.int({ default: 1800, min: 0, help: 'Seconds a locked user stays locked.' }),
  password_regex: opt.string({ default: '', help: 'Regular expression new passwords must match.' }),
  password_regex_description: opt.string({
    default: '',
    help: 'The regex in words, shown when a password does not match.',
  }),
  unique_last_password_count: opt.int({
    default: 0,
    min: 0,
    help: 'New passwords must differ from this many previous ones.',
  }),
  password_expires_days: opt.int({ default: 0, min: 0, help: 'Days a password stays valid (0: forever).' }),
  minimum_password_age: opt.int({
    default: 0,
    min: 0,
    help: 'Days before a user may change their password again.',
  }),
  change_password_upon_first_use: opt.bool({
    default: false,
    help: 'Users must change a password an admin set before using it.',
  }),
});

/** Keystone's `[credential]`, `[application_credential]` and `[trust]`. */
export const extensionOptions = defineOptions(
  'credential',
  'Credentials, application credentials and trusts.',
  {
    user_limit: opt.int({ default: -1, min: -1, help: 'Credentials a user may own (-1: no limit).' }),
    application_credential_user_limit: opt.int({
      default: -1,
      min: -1,
      help: 'Application credentials a user may own (-1: no limit).',
    }),
    trust_max_redelegation_count: opt.int({
      default: 3,
      min: 0,
      help: 'Longest chain of re-delegated trusts.',
    }),
  },
);

/** oslo.policy's `[oslo_policy]`, shared by every service (declared in @nimbus/policy). */
export const policyOptions = osloPolicyOptions;

/** Keystone's password length rule, in `[DEFAULT]` as upstream. */
export const passwordCheckOptions = defineOptions('DEFAULT', 'Options every Nimbus process reads.', {
  strict_password_check: opt.bool({
    default: false,
    help: 'Refuse a password longer than max_password_length (403) instead of truncating it.',
  }),
});

/** Every option group identity reads. */
export const identityOptionGroups = [
  passwordCheckOptions,
  tokenOptions,
  fernetOptions,
  identityOptions,
  resourceOptions,
  authOptions,
  securityComplianceOptions,
  extensionOptions,
  policyOptions,
];
