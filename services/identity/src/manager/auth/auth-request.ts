import type { NamedRef } from './auth-directory';

/** The `auth` object of `POST /v3/auth/tokens`, after schema validation. */
export interface AuthRequest {
  identity: {
    methods: string[];
    password?: { user?: NamedRef & { password?: string } };
    token?: { id: string };
    application_credential?: { id?: string; name?: string; secret?: string; user?: NamedRef };
    totp?: { user?: NamedRef & { passcode?: string } };
    [method: string]: unknown;
  };
  scope?:
    | string
    | {
        project?: NamedRef;
        domain?: { id?: string; name?: string };
        'OS-TRUST:trust'?: { id?: string };
        system?: { all?: boolean };
        unscoped?: unknown;
      };
}
