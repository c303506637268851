import { defineOptions, opt } from '@nimbus/config';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '@nimbus/http';

/** Options every Nimbus process reads (`[DEFAULT]`). */
export const defaultOptions = defineOptions('DEFAULT', 'Options every Nimbus process reads.', {
  data_dir: opt.string({
    default: '.nimbus',
    help: 'Directory for SQLite databases, keys, object devices and images.',
  }),
  bind_host: opt.string({ default: '127.0.0.1', help: 'Address the APIs listen on.' }),
  public_host: opt.string({ default: '', help: 'Host name put in catalog URLs; defaults to bind_host.' }),
  region_name: opt.string({ default: 'RegionOne', help: 'Region of every endpoint this cloud registers.' }),
  transport_url: opt.string({
    default: 'memory://',
    help: 'Message bus: memory:// (in-process) or amqp://user:pass@host:5672/.',
  }),
  log_level: opt.enum({
    choices: ['trace', 'debug', 'info', 'warn', 'error', 'silent'],
    default: 'info',
    help: 'Lowest log level written.',
  }),
  log_format: opt.enum({
    choices: ['auto', 'json', 'pretty'],
    default: 'auto',
    help: 'JSON lines, pretty lines, or pretty on a terminal only.',
  }),
  host: opt.string({
    default: '',
    help: 'Name of this host: the RPC server name of its roles and what `nimbus status` shows; default the machine host name. `nimbus serve --host` names the hosts of per-host roles.',
  }),
  report_interval: opt.int({
    default: 10,
    min: 1,
    max: 3600,
    help: 'Seconds between heartbeats of the roles of this process on the bus (`nimbus status`).',
  }),
  max_request_body_size: opt.int({
    default: 114_688,
    min: 1024,
    help: 'Largest JSON request body accepted, in bytes (413 above).',
  }),
  request_timeout: opt.int({
    default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
    min: 0,
    help: 'Seconds an API request may go unanswered once its body stopped arriving (an upload is never cut while its bytes keep coming); past it the client gets a logged 503 (408 when its body stalled) and the connection is closed. A backstop against a handler that never answers; 0 disables.',
  }),
});

/** Where each service keeps its tables. */
export const databaseOptions = defineOptions('database', 'Relational database of every service.', {
  connection: opt.string({
    default: '',
    help: 'Server URL (postgresql://user@host:5432/ or mysql://root@host:3306/): each service gets its own database on it. Empty means one SQLite file per service in data_dir.',
  }),
});

/** Credentials a service uses to call other services when it runs in its own process. */
export const serviceUserOptions = defineOptions(
  'service_user',
  'How a split-out service authenticates to the others.',
  {
    auth_url: opt.string({ default: 'http://127.0.0.1:5000/v3', help: 'Identity v3 endpoint.' }),
    username: opt.string({
      default: '',
      help: "Service user name; empty means the user identity's bootstrap created for each service, with the password it wrote to data_dir (all-in-one).",
    }),
    password: opt.string({ default: '', secret: true, help: 'Service user password.' }),
    project_name: opt.string({ default: 'service', help: 'Project of the service users.' }),
    user_domain_name: opt.string({ default: 'Default', help: 'Domain of the service user.' }),
    project_domain_name: opt.string({ default: 'Default', help: 'Domain of the service project.' }),
    interface: opt.enum({
      choices: ['internal', 'public', 'admin'],
      default: 'internal',
      help: 'Catalog interface of the endpoints a service calls the others at; public is tried when the region lists none.',
    }),
    region_name: opt.string({
      default: '',
      help: 'Region of the endpoints a service calls; empty means any.',
    }),
    timeout_seconds: opt.int({
      default: 60,
      min: 1,
      max: 3600,
      help: "Seconds a call to another service waits for the answer's headers (streamed uploads wait as long as they take).",
    }),
    token_cache_seconds: opt.int({
      default: 5,
      min: 0,
      max: 300,
      help: 'How long a validated token is reused before asking identity again.',
    }),
  },
);
