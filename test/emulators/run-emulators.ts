import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubEmulator } from './github/github.emulator';
import { startGoogleEmulator } from './google/google.emulator';
import { startScimAppEmulator } from './scim/scim-app.emulator';
import { startSlackScimEmulator } from './slack/slack-scim.emulator';
import type { EmulatorHandle } from './support';
import { startWebhookReceiver } from './webhook/webhook-receiver.emulator';

/**
 * `npm run emulators`: every emulator on a fixed loopback port, for trying Delta by hand.
 * State lives in memory until Ctrl-C; `/__emulator/*` on each one shows requests and state.
 * Base port: EMULATOR_BASE_PORT (default 4010), so the ports are base+0, base+1, …
 */

/** Fixed, documented test credentials: loopback only, never real secrets. */
export const EMULATOR_CREDENTIALS = {
  webhookSecret: `whsec_${Buffer.from('delta-emulator-webhook-secret-32').toString('base64')}`,
  slackToken: 'xoxp-delta-emulator-token',
  scimToken: 'scim-emulator-token',
  githubToken: 'ghp_delta_emulator_token',
  googleAdmin: 'admin@acme.example',
} as const;

/** A throwaway service account for the Google emulator, written where a user can paste it from. */
function googleServiceAccount(tokenUri: string): { file: string; publicKey: string; clientEmail: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = 'delta-emulator@delta-emulator.iam.gserviceaccount.com';
  const dir = join(process.cwd(), 'data', 'emulators');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'google-service-account.json');
  const key = { type: 'service_account', client_email: clientEmail, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: tokenUri };
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return { file, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), clientEmail };
}

interface EmulatorEntry {
  name: string;
  /** Offset from the base port. */
  offset: number;
  start(port: number): Promise<EmulatorHandle>;
  /** Lines printed under the URL: base URL to configure, credentials. */
  describe(handle: EmulatorHandle): string[];
}

// One entry per emulator.
let googleKeyFile = '';
const EMULATORS: EmulatorEntry[] = [
  {
    name: 'webhook receiver',
    offset: 0,
    start: (port) => startWebhookReceiver({ port, secret: EMULATOR_CREDENTIALS.webhookSecret }),
    describe: (h) => [`endpoint: ${h.url}/webhooks (any path, POST)`, `secret:   ${EMULATOR_CREDENTIALS.webhookSecret}`],
  },
  {
    name: 'Slack SCIM v2',
    offset: 1,
    start: (port) => startSlackScimEmulator({ port, tokens: [EMULATOR_CREDENTIALS.slackToken] }),
    describe: (h) => [`base URL: ${h.url}/scim/v2`, `token:    ${EMULATOR_CREDENTIALS.slackToken}`],
  },
  {
    name: 'generic SCIM 2.0 app',
    offset: 2,
    start: (port) => startScimAppEmulator({ port, tokens: [EMULATOR_CREDENTIALS.scimToken] }),
    describe: (h) => [`base URL: ${h.url}/scim/v2`, `token:    ${EMULATOR_CREDENTIALS.scimToken}`],
  },
  {
    name: 'GitHub',
    offset: 3,
    start: (port) =>
      startGitHubEmulator({
        port,
        users: [{ login: 'delta-admin', email: 'admin@acme.example' }],
        tokens: { [EMULATOR_CREDENTIALS.githubToken]: { login: 'delta-admin' } },
        orgs: [{ login: 'acme', owners: ['delta-admin'] }],
        enterprises: ['acme'],
      }) as unknown as Promise<EmulatorHandle>,
    describe: (h) => [`base URL: ${h.url}`, `token:    ${EMULATOR_CREDENTIALS.githubToken} (owner of org "acme", enterprise "acme")`],
  },
  {
    name: 'Google (Directory API, OAuth token, IAM)',
    offset: 4,
    start: async (port) => {
      const account = googleServiceAccount(`http://127.0.0.1:${port}/token`);
      googleKeyFile = account.file;
      return startGoogleEmulator({
        port,
        serviceAccounts: [{ clientEmail: account.clientEmail, publicKey: account.publicKey }],
        admins: [EMULATOR_CREDENTIALS.googleAdmin],
        domains: ['acme.example'],
        policies: { 'projects/acme-project': [] },
      }) as unknown as Promise<EmulatorHandle>;
    },
    describe: (h) => [`base URL: ${h.url}`, `service account key: ${googleKeyFile}`, `subject:  ${EMULATOR_CREDENTIALS.googleAdmin}`],
  },
];

async function main(): Promise<void> {
  const basePort = Number(process.env.EMULATOR_BASE_PORT ?? 4010);
  const started: EmulatorHandle[] = [];
  const shutdown = async () => {
    await Promise.all(started.map((h) => h.close()));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  try {
    for (const entry of EMULATORS) {
      const handle = await entry.start(basePort + entry.offset);
      started.push(handle);
      console.log(`${entry.name}: ${handle.url}`);
      for (const line of entry.describe(handle)) console.log(`  ${line}`);
      console.log(`  control:  ${handle.url}/__emulator/{requests,faults,state,reset,seed}`);
    }
  } catch (error) {
    console.error(`Could not start the emulators: ${error instanceof Error ? error.message : String(error)}`);
    await Promise.all(started.map((h) => h.close()));
    process.exit(1);
  }
  console.log('Emulators running; Ctrl-C to stop.');
}

if (require.main === module) void main();
