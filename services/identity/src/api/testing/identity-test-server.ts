import type { Credentials, TokenValidator } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import { createHttpServer, keystoneFaults, type Route } from '@nimbus/http';
import { silentLogger } from '@nimbus/logging';
import { PolicyEnforcer, policyCheck, type RuleDefault } from '@nimbus/policy';
import type { FastifyInstance } from 'fastify';
import { basePolicies } from '../policy/base-policies';
import { identityPolicyCredentials } from '../policy/identity-policy-credentials';

/** Who a test token speaks for: a persona with roles by name and one scope. */
export interface TestCaller {
  userId: string;
  roles: string[];
  userDomainId?: string;
  projectId?: string;
  projectDomainId?: string;
  domainId?: string;
  system?: boolean;
}

/** Identity routes served in-process with tokens minted by the test. */
export interface IdentityTestServer {
  app: FastifyInstance;
  /** A token for the caller; send it as `x-auth-token`. */
  tokenFor(caller: TestCaller): string;
  close(): Promise<void>;
}

/** Serves a slice of identity's routes with Keystone's faults and policies, for tests (no sockets, no real tokens). */
export function startIdentityTestServer<S>(input: {
  routes: readonly Route[];
  policies: readonly RuleDefault[];
  services: S;
  policyOverrides?: Record<string, string>;
}): IdentityTestServer {
  const tokens = new Map<string, Credentials>();
  const validator: TokenValidator = {
    async validate(token) {
      const creds = tokens.get(token);
      if (!creds) throw new UnauthorizedError('The request you have made requires authentication.');
      return creds;
    },
  };
  const enforcer = new PolicyEnforcer({
    defaults: [...basePolicies, ...input.policies],
    overrides: input.policyOverrides,
  });
  const app = createHttpServer({
    name: 'identity',
    routes: input.routes,
    faults: keystoneFaults,
    tokenValidator: validator,
    policy: policyCheck(enforcer, { credentials: identityPolicyCredentials }),
    services: input.services,
    logger: silentLogger(),
  });
  return {
    app,
    tokenFor(c) {
      const token = `test-token-${tokens.size + 1}`;
      const creds: Credentials = {
        token,
        userId: c.userId,
        userName: c.userId,
        userDomainId: c.userDomainId ?? 'default',
        userDomainName: c.userDomainId ?? 'Default',
        roles: c.roles,
        roleIds: c.roles,
        isAdminProject: false,
        methods: ['password'],
        auditIds: [token],
        issuedAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
      };
      if (c.projectId) {
        creds.projectId = c.projectId;
        creds.projectDomainId = c.projectDomainId ?? 'default';
      }
      if (c.domainId) creds.domainId = c.domainId;
      if (c.system) creds.systemScope = 'all';
      tokens.set(token, creds);
      return token;
    },
    close: async () => app.close(),
  };
}
