import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Credentials, scopeOf, toPolicyCredentials } from '@nimbus/auth';
import { Config, ConfigError } from '@nimbus/config';
import { openDatabase } from '@nimbus/db';
import {
  buildIdentityCore,
  identityPolicies,
  identityPolicyCredentials,
  identityService,
} from '@nimbus/identity';
import { imagePolicies } from '@nimbus/image';
import { createLogger, silentLogger } from '@nimbus/logging';
import {
  generateSampleYaml,
  InvalidScopeError,
  loadServicePolicy,
  type PolicyCredentialsMapper,
  type RuleDefault,
  readAccessCredentials,
} from '@nimbus/policy';
import { allOptionGroups, databaseUrl, defaultOptions } from '@nimbus/service';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { serviceRegistry } from '../service-registry';
import { type CloudFlags, cloudOverrides, commonCloudOptions } from './cloud-flags';

/** The policy of each service that has one, by catalog type. Swift (object-store) has none: it uses ACLs. */
const servicePolicies: Record<
  string,
  { defaults: readonly RuleDefault[]; credentials?: PolicyCredentialsMapper }
> = {
  identity: { defaults: identityPolicies, credentials: identityPolicyCredentials },
  image: { defaults: imagePolicies },
};

function serviceOf(type: string) {
  const s = servicePolicies[type];
  if (!s)
    throw new ConfigError(
      `no policy for service '${type}'; known: ${Object.keys(servicePolicies).join(', ')}`,
    );
  return s;
}

function loadConfig(flags: CloudFlags): Config {
  return Config.load({
    groups: allOptionGroups(serviceRegistry),
    file: flags.configFile,
    env: process.env,
    overrides: cloudOverrides(flags),
  });
}

function readDoc(path: string): unknown {
  return parseYaml(readFileSync(path, 'utf8'));
}

/** Validates a token with identity's keys and database, as the identity API would. */
async function credentialsOfToken(config: Config, dataDir: string, token: string): Promise<Credentials> {
  const db = await openDatabase({
    url: databaseUrl(config, dataDir, identityService.name),
    service: identityService.name,
  });
  try {
    const core = buildIdentityCore({ config, db, dataDir, logger: silentLogger(), watchPolicy: false });
    core.policy.close();
    await core.revocations.refresh();
    return await core.validator.validate(token);
  } finally {
    await db.close();
  }
}

interface CheckFlags extends CloudFlags {
  service?: string;
  rule?: string;
  token?: string;
  credentials?: string;
  target?: string;
}

async function check(flags: CheckFlags): Promise<void> {
  const type = flags.service ?? (flags.rule?.startsWith('identity:') ? 'identity' : undefined);
  if (!type) throw new ConfigError('--service <type> is needed (identity, image...)');
  if (Boolean(flags.token) === Boolean(flags.credentials))
    throw new ConfigError('give one of --token or --credentials');
  const service = serviceOf(type);
  const config = loadConfig(flags);
  const dataDir = resolve(config.group(defaultOptions).data_dir);
  const policy = loadServicePolicy({
    serviceType: type,
    defaults: service.defaults,
    config,
    dataDir,
    logger: createLogger({ level: 'error' }),
    watch: false,
    strict: true,
    ...(service.credentials ? { credentials: service.credentials } : {}),
  });
  let creds: Record<string, unknown>;
  let scope: 'system' | 'domain' | 'project' | 'unscoped';
  if (flags.token) {
    const c = await credentialsOfToken(config, dataDir, flags.token);
    creds = (service.credentials ?? toPolicyCredentials)(c);
    scope = scopeOf(c);
  } else {
    const access = readAccessCredentials(readDoc(flags.credentials!));
    if ('credentials' in access) {
      creds = (service.credentials ?? toPolicyCredentials)(access.credentials);
      scope = scopeOf(access.credentials);
    } else {
      creds = access.creds;
      scope = access.scope;
    }
  }
  const target = flags.target ? (readDoc(flags.target) as Record<string, unknown>) : {};
  const rules = flags.rule ? [flags.rule] : service.defaults.map((d) => d.name);
  let denied = 0;
  for (const rule of rules) {
    let line: string;
    try {
      const d = policy.enforcer.enforce(rule, target, creds, scope);
      line = d.allowed ? `passed: ${rule}` : `failed: ${rule}: ${d.reason}`;
      if (!d.allowed) denied++;
    } catch (err) {
      if (!(err instanceof InvalidScopeError)) throw err;
      line = `failed: ${rule}: ${err.message}`;
      denied++;
    }
    process.stdout.write(`${line}\n`);
  }
  // One rule: the exit code is the answer (0 allowed, 1 denied), for scripts.
  if (flags.rule && denied) process.exitCode = 1;
}

/**
 * `nimbus policy sample <service>` (oslopolicy-sample-generator) and `nimbus policy check`
 * (oslopolicy-checker): each service's defaults as a commented policy file, and a rule evaluated
 * for a token or a set of credentials against the defaults and the operator's file.
 */
export function policyCommand(): Command {
  const policy = new Command('policy').description(
    'Policy tools (oslopolicy-sample-generator, oslopolicy-checker)',
  );
  policy.addCommand(
    new Command('sample')
      .description(
        `Print a service's policy defaults as a commented policy.yaml (${Object.keys(servicePolicies).join(', ')})`,
      )
      .argument('<service>', 'catalog type of the service')
      .action((type: string) => {
        const header = [
          `Policy defaults of the ${type} service. Save as <[oslo_policy] policy_dir>/${type}.yaml`,
          '(policy/ in the data directory by default) and uncomment a rule to override it; the file is',
          're-read when it changes.',
        ].join('\n');
        process.stdout.write(generateSampleYaml(serviceOf(type).defaults, header));
      }),
  );
  policy.addCommand(
    commonCloudOptions(new Command('check'))
      .description("Evaluate a service's rules for a token or credentials, with the operator's policy file")
      .option('--service <type>', 'catalog type of the service (default from an identity: rule name)')
      .option('--rule <name>', 'the rule to check; every rule of the service when absent')
      .option('--token <token>', 'a token, validated with the data directory keys and identity database')
      .option(
        '--credentials <file>',
        'a token body (GET /v3/auth/tokens) or an oslo creds dictionary, YAML or JSON',
      )
      .option('--target <file>', 'the target dictionary, YAML or JSON (default {})')
      .action((flags: CheckFlags) => check(flags)),
  );
  return policy;
}
