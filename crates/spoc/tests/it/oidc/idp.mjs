// A real OpenID provider for the tests (the `oidc-provider` package), on loopback.
//
// Environment: SPOC_OIDC_PROVIDER_DIR (where the package is installed), CLIENT_ID,
// CLIENT_SECRET, REDIRECT_URIS (comma-separated), ALG (RS256 or ES256). It prints
// `listening <port>` once it serves. There is no login page: the person signed in next is the
// one last sent to `POST /test/user` as JSON claims ({"sub", "email", "email_verified", "name",
// "groups"}), and consent is given at once.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const dir = process.env.SPOC_OIDC_PROVIDER_DIR;
const load = (path) => import(pathToFileURL(`${dir}/node_modules/${path}`).href);
const { default: Provider } = await load('oidc-provider/lib/index.js');
const jose = await load('jose/dist/node/esm/index.js');

async function key(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg, use: 'sig' };
}

const accounts = new Map();
let current = null;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;
const alg = process.env.ALG || 'RS256';

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: process.env.REDIRECT_URIS.split(','),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: alg,
  }],
  jwks: { keys: [await key('RS256', `rsa-${port}`), await key('ES256', `ec-${port}`)] },
  cookies: { keys: ['spoc-test-cookie-key'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => claims };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

const handle = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/test/user') {
      let body = '';
      for await (const chunk of req) body += chunk;
      current = JSON.parse(body);
      accounts.set(current.sub, current);
      res.writeHead(204).end();
    } else if (req.url.startsWith('/interaction/')) {
      await provider.interactionFinished(req, res, { login: { accountId: current.sub } },
        { mergeWithLastSubmission: false });
    } else {
      handle(req, res);
    }
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
console.log(`listening ${port}`);
