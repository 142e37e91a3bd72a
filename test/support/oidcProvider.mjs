// A real local OpenID Connect provider (npm oidc-provider) for the OAuth sign-in tests, run as its own
// process because the package is ESM-only. Its development login form accepts any login, which is taken as
// the e-mail; logins starting with "unverified" get email_verified=false. Prints "oidc ready <issuer>".
import { createHash } from 'node:crypto';
import { Provider } from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 0);
const redirectUri = process.env.OIDC_REDIRECT_URI;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'voyce-test',
      client_secret: 'voyce-test-secret-voyce-test-secret',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  // Put the e-mail claims in the ID token itself, as Google and most providers do.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        const email = id.replace(/^unverified-/, '');
        return { sub: `sub-${createHash('sha256').update(email).digest('hex').slice(0, 16)}`, email, email_verified: !id.startsWith('unverified-') };
      },
    };
  },
});

provider.on("server_error", (ctx, err) => process.stderr.write(`oidc server_error: ${ctx.method} ${ctx.url} ${JSON.stringify(ctx.headers)} ${err.stack}\n`));

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
