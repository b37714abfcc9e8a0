import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubIdentity {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
}

interface PendingCode {
  identity: StubIdentity;
  codeChallenge: string;
  redirectUri: string;
  clientId: string;
}

/**
 * A stand-in for GitHub's and Google's OAuth endpoints: it checks the client credentials, the
 * redirect URI and the PKCE verifier as the real ones do, and serves the profile of the identity
 * a test "signed in" as. One stub serves both providers' paths.
 */
export class OAuthProviderStub {
  readonly clientId = 'stub-client-id';
  readonly clientSecret = 'stub-client-secret';
  private readonly codes = new Map<string, PendingCode>();
  private readonly tokens = new Map<string, StubIdentity>();
  private server?: Server;
  private port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Environment for the app: both providers pointed at this stub. */
  env(): Record<string, string> {
    const base = `http://127.0.0.1:${this.port}`;
    const env: Record<string, string> = {};
    for (const provider of ['GITHUB', 'GOOGLE']) {
      env[`OAUTH_${provider}_CLIENT_ID`] = this.clientId;
      env[`OAUTH_${provider}_CLIENT_SECRET`] = this.clientSecret;
      env[`OAUTH_${provider}_AUTHORIZE_URL`] = `${base}/authorize`;
      env[`OAUTH_${provider}_TOKEN_URL`] = `${base}/token`;
    }
    env.OAUTH_GITHUB_USERINFO_URL = `${base}/github/user`;
    env.OAUTH_GOOGLE_USERINFO_URL = `${base}/google/userinfo`;
    return env;
  }

  /** What the provider does when the user consents: a code for the authorization URL's request. */
  consent(authorizationUrl: string, identity: StubIdentity): string {
    const params = new URL(authorizationUrl).searchParams;
    if (params.get('code_challenge_method') !== 'S256' || !params.get('state')) {
      throw new Error('The authorization URL lacks PKCE or state');
    }
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {
      identity,
      codeChallenge: params.get('code_challenge')!,
      redirectUri: params.get('redirect_uri')!,
      clientId: params.get('client_id')!,
    });
    return code;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'POST' && url.pathname === '/token')
      return this.token(await readForm(req), res);
    const identity = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!identity) return send(res, 401, { message: 'Bad credentials' });
    switch (url.pathname) {
      case '/github/user':
        return send(res, 200, {
          id: Number(identity.id),
          login: identity.name.toLowerCase(),
          name: identity.name,
          email: null,
        });
      case '/github/user/emails':
        return send(
          res,
          200,
          identity.email
            ? [{ email: identity.email, primary: true, verified: identity.emailVerified }]
            : [],
        );
      case '/google/userinfo':
        return send(res, 200, {
          sub: identity.id,
          email: identity.email,
          email_verified: identity.emailVerified,
          name: identity.name,
        });
      default:
        return send(res, 404, { message: 'Not Found' });
    }
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    const pending = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const valid =
      pending &&
      form.get('client_id') === this.clientId &&
      form.get('client_secret') === this.clientSecret &&
      form.get('redirect_uri') === pending.redirectUri &&
      createHash('sha256').update(verifier).digest('base64url') === pending.codeChallenge;
    if (!valid) return send(res, 400, { error: 'invalid_grant' });
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, pending.identity);
    send(res, 200, { access_token: accessToken, token_type: 'bearer' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}
