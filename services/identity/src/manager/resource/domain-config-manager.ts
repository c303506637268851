import { ForbiddenError, NotFoundError } from '@nimbus/errors';
import type {
  DomainConfigOption,
  DomainConfigRepository,
} from '../../db/repositories/domain-config-repository';
import { DOMAIN_CONFIG_DEFAULTS, DOMAIN_CONFIG_SENSITIVE } from './domain-config-defaults';

/** A configuration: group → option → value. */
export type DomainConfig = Record<string, Record<string, unknown>>;

const invalid = (reason: string) =>
  new ForbiddenError(`Invalid domain specific configuration: ${reason}.`, {
    code: 'IDENTITY_INVALID_DOMAIN_CONFIG',
  });

function describe(group?: string, option?: string): string {
  if (option) return `option ${option} in group ${group}`;
  if (group) return `group ${group}`;
  return 'any options';
}

/** Keystone's readable security-compliance options. */
const READABLE_COMPLIANCE = ['password_regex', 'password_regex_description'];

/**
 * Domain-specific configuration (Keystone's domain config API): whitelisted `[identity]` and
 * `[ldap]` options per domain, with sensitive options stored but never shown, partial updates
 * and deletes by group or option, and the cloud's defaults.
 */
export class DomainConfigManager {
  constructor(
    private readonly repo: DomainConfigRepository,
    /** The cloud's `[security_compliance]` password rules, readable for the default domain. */
    private readonly compliance: { password_regex: string; password_regex_description: string },
  ) {}

  /** Replaces the domain's configuration; true when it had none before (201 upstream). */
  async create(domainId: string, config: DomainConfig): Promise<{ config: DomainConfig; created: boolean }> {
    this.assertValidConfig(config);
    const created = (await this.repo.list(domainId)).length === 0;
    await this.repo.replace(domainId, this.toList(config));
    return { config: await this.visible(domainId), created };
  }

  async get(
    domainId: string,
    group?: string,
    option?: string,
  ): Promise<DomainConfig | Record<string, unknown>> {
    this.assertValidGroupAndOption(group, option);
    const options = await this.repo.list(domainId, {
      ...(group ? { group } : {}),
      ...(option ? { option } : {}),
      sensitive: false,
    });
    if (!options.length) throw this.notFound(domainId, group, option);
    if (option) return { [option]: options[0]!.value };
    return toConfig(options, group);
  }

  async update(
    domainId: string,
    body: DomainConfig | Record<string, unknown>,
    group?: string,
    option?: string,
  ): Promise<DomainConfig> {
    const config = (group && option ? { [group]: body } : body) as DomainConfig;
    this.assertValidConfig(config);
    this.assertValidGroupAndOption(group, option);
    if (group) {
      const groups = Object.keys(config);
      if (groups.length !== 1 || (option && Object.keys(config[group] ?? {}).length !== 1)) {
        throw invalid(
          option
            ? `Trying to update option ${option} in group ${group}, so that, and only that, option must be specified  in the config`
            : `Trying to update group ${group}, so that, and only that, group must be specified in the config`,
        );
      }
      if (!config[group])
        throw invalid(
          `request to update group ${group}, but config provided contains group ${groups[0]} instead`,
        );
      if (option && !(option in config[group]!))
        throw invalid(
          `Trying to update option ${option} in group ${group}, but config provided contains option ${Object.keys(config[group]!)[0]} instead`,
        );
      if (!(await this.repo.list(domainId, { group, ...(option ? { option } : {}) })).length)
        throw this.notFound(domainId, group, option);
    }
    await this.repo.upsert(domainId, this.toList(config));
    return this.visible(domainId);
  }

  async delete(domainId: string, group?: string, option?: string): Promise<void> {
    this.assertValidGroupAndOption(group, option);
    if (group) {
      const current = await this.repo.list(domainId, { group });
      if (!current.length) throw this.notFound(domainId, group);
      if (option && !current.some((o) => o.option === option)) throw this.notFound(domainId, group, option);
    }
    await this.repo.delete(domainId, group, option);
  }

  /** The cloud's values for the configurable options (`/v3/domains/config/default`). */
  defaults(group?: string, option?: string): DomainConfig | Record<string, unknown> {
    if (group && !DOMAIN_CONFIG_DEFAULTS[group])
      throw invalid(`Group ${group} is not supported for domain specific configurations`);
    this.assertValidGroupAndOption(group, option);
    if (group && option) {
      if (DOMAIN_CONFIG_SENSITIVE[group]?.includes(option))
        throw invalid(`Reading the default for option ${option} in group ${group} is not supported`);
      return { [option]: DOMAIN_CONFIG_DEFAULTS[group]![option] };
    }
    if (group) return { [group]: { ...DOMAIN_CONFIG_DEFAULTS[group] } };
    return structuredClone(DOMAIN_CONFIG_DEFAULTS);
  }

  /** `security_compliance` readable options, for the default domain only. */
  securityCompliance(domainId: string, option?: string): Record<string, unknown> {
    if (domainId !== 'default')
      throw invalid(
        'Reading security compliance information for any domain other than the default domain is not allowed or supported',
      );
    if (option && !READABLE_COMPLIANCE.includes(option))
      throw invalid(
        'Reading security compliance values other than password_regex and password_regex_description is not allowed',
      );
    const values: Record<string, unknown> = {
      password_regex: this.compliance.password_regex || null,
      password_regex_description: this.compliance.password_regex_description || null,
    };
    return option ? { [option]: values[option] } : { security_compliance: values };
  }

  private async visible(domainId: string): Promise<DomainConfig> {
    return toConfig(await this.repo.list(domainId, { sensitive: false }));
  }

  private toList(config: DomainConfig): DomainConfigOption[] {
    return Object.entries(config).flatMap(([group, options]) =>
      Object.entries(options).map(([option, value]) => ({
        group,
        option,
        value,
        sensitive: DOMAIN_CONFIG_SENSITIVE[group]?.includes(option) ?? false,
      })),
    );
  }

  private assertValidConfig(config: DomainConfig): void {
    if (!config || Object.keys(config).length === 0) throw invalid('No options specified');
    for (const [group, options] of Object.entries(config)) {
      if (
        !options ||
        typeof options !== 'object' ||
        Array.isArray(options) ||
        Object.keys(options).length === 0
      ) {
        throw invalid(
          `The value of group ${group} specified in the config should be a dictionary of options`,
        );
      }
      for (const option of Object.keys(options)) this.assertValidGroupAndOption(group, option);
    }
  }

  private assertValidGroupAndOption(group?: string, option?: string): void {
    if (!group) return;
    if (!(group in DOMAIN_CONFIG_DEFAULTS))
      throw invalid(`Group ${group} is not supported for domain specific configurations`);
    if (
      option &&
      !(option in DOMAIN_CONFIG_DEFAULTS[group]!) &&
      !DOMAIN_CONFIG_SENSITIVE[group]?.includes(option)
    ) {
      throw invalid(`Option ${option} in group ${group} is not supported for domain specific configurations`);
    }
  }

  private notFound(domainId: string, group?: string, option?: string): NotFoundError {
    return new NotFoundError(
      `Could not find ${describe(group, option)} in domain configuration for domain ${domainId}.`,
      { code: 'IDENTITY_DOMAIN_CONFIG_NOT_FOUND' },
    );
  }
}

function toConfig(options: readonly DomainConfigOption[], onlyGroup?: string): DomainConfig {
  const out: DomainConfig = {};
  for (const o of options) {
    if (onlyGroup && o.group !== onlyGroup) continue;
    const group = out[o.group] ?? {};
    group[o.option] = o.value;
    out[o.group] = group;
  }
  return out;
}
