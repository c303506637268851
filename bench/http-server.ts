// The servers bench/http.ts measures, one per child process: `bare` (fastify hello world) or
// `nimbus` (a route through the whole Nimbus stack: request id, token validation, microversion,
// query validation, policy, view rendering, metrics, fault renderer).
import type { Credentials } from '@nimbus/auth';
import { ForbiddenError, UnauthorizedError } from '@nimbus/errors';
import { createHttpServer, keystoneFaults, route } from '@nimbus/http';
import { silentLogger } from '@nimbus/logging';
import fastify from 'fastify';

const mode = process.argv[2];
const creds: Credentials = {
  token: 'bench-token',
  userId: 'u1',
  userName: 'bench',
  userDomainId: 'default',
  userDomainName: 'Default',
  projectId: 'p1',
  roles: ['member', 'reader'],
  roleIds: [],
  isAdminProject: false,
  methods: ['password'],
  auditIds: ['a'],
  issuedAt: new Date(),
  expiresAt: new Date(Date.now() + 86_400_000),
};

const app =
  mode === 'bare'
    ? fastify().get('/v3/widgets/:id', async (req) => ({ widget: { id: (req.params as { id: string }).id } }))
    : createHttpServer({
        name: 'bench',
        faults: keystoneFaults,
        logger: silentLogger(),
        services: {},
        tokenValidator: {
          validate: async (token) => {
            if (token !== creds.token) throw new UnauthorizedError();
            return creds;
          },
        },
        policy: {
          authorize(action, target, c) {
            if (!this.allowed(action, target, c))
              throw new ForbiddenError(`Policy doesn't allow ${action} to be performed.`);
          },
          allowed: (_action, target, c) => c.roles.includes('reader') && target.project_id === c.projectId,
        },
        routes: [
          route(
            'GET',
            '/v3/widgets/:id',
            (req) => {
              req.authorize('bench:get_widget', { project_id: 'p1' });
              return { widget: { id: req.params.id } };
            },
            {
              query: {
                type: 'object',
                properties: { fields: { type: 'string' } },
                additionalProperties: false,
              },
            },
          ),
        ],
      });

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
// The parent asks for CPU time around each run: CPU per request is robust on a busy machine.
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`cpu ${u.user + u.system}\n`);
});
