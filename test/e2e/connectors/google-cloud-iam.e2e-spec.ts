import type { DesiredGroup } from '@delta/connectors/app-connector';
import { createGoogleConnector } from '@delta/connectors/google/google-workspace.connector';
import type { GoogleEmulator } from '../../emulators/google/google.emulator';
import { ADMIN, type serviceAccount, startSeededGoogle } from '../emulators/google-test.util';

const PROJECT = 'projects/delta-prod';
const ENG = 'group:engineering-team@example.com';
const eng: DesiredGroup = { id: 'grp-eng', displayName: 'Engineering Team', externalId: null };
/** The seed's group_role_mapping: the group gets viewer and browser on the project. */
const IAM = {
  bindings: [
    { group: 'Engineering Team', project: PROJECT, role: 'roles/viewer' },
    { group: 'grp-eng', project: 'delta-prod', role: 'roles/browser' },
    { group: 'Data', project: PROJECT, role: 'roles/bigquery.dataViewer' },
  ],
};

describe('Google Cloud IAM bindings through the Google connector (reference §3.4)', () => {
  let google: GoogleEmulator;
  let sa: ReturnType<typeof serviceAccount>['json'];
  const connector = (fetchImpl?: typeof fetch) =>
    createGoogleConnector({
      organizationId: 'org-1',
      connectionId: 'conn-1',
      config: { base_url: google.url, domain: 'example.com', iam: IAM },
      credentials: { service_account_json: JSON.stringify(sa), subject: ADMIN },
      fetch: fetchImpl,
    });
  const bindings = () => google.state.policies.get(PROJECT)!.bindings;
  const membersOf = (role: string) => bindings().find((b) => b.role === role && !b.condition)?.members;

  beforeAll(async () => {
    ({ google, sa } = await startSeededGoogle({
      policies: {
        [PROJECT]: [
          { role: 'roles/viewer', members: ['group:ops@example.com'] },
          { role: 'roles/owner', members: ['user:founder@example.com', ENG] },
          { role: 'roles/viewer', members: [ENG], condition: { title: 'weekdays', expression: 'request.time.getDayOfWeek() < 5' } },
        ],
      },
    }));
  });
  afterEach(() => google.reset());
  afterAll(() => google.close());

  it('binds the group to its roles when it is created, keeping every other binding', async () => {
    await connector().createGroup(eng);
    expect(membersOf('roles/viewer')).toEqual(['group:ops@example.com', ENG]);
    expect(membersOf('roles/browser')).toEqual([ENG]);
    expect(membersOf('roles/owner')).toEqual(['user:founder@example.com', ENG]);
    expect(membersOf('roles/bigquery.dataViewer')).toBeUndefined();
    expect(google.state.policies.get(PROJECT)!.version).toBe(3);
    // The CRM calls carry no `sub`: IAM needs no domain-wide delegation (§3.4).
    const setCall = google.requests.last({ path: `/v3/${PROJECT}:setIamPolicy` })!;
    expect(google.state.accessTokens.get(setCall.headers.authorization!.replace('Bearer ', ''))?.sub).toBeUndefined();
  });

  it("survives a concurrent policy change (409 ABORTED) without dropping the other writer's binding", async () => {
    let raced = false;
    // Another writer changes the policy between Delta's getIamPolicy and setIamPolicy.
    const racingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!raced && url.endsWith(':getIamPolicy')) {
        raced = true;
        google.state.concurrentIamChange(PROJECT, 'roles/viewer', 'user:other-writer@example.com');
      }
      return response;
    };
    await connector(racingFetch).createGroup(eng);
    expect(raced).toBe(true);
    expect(google.requests.entries({ path: `/v3/${PROJECT}:setIamPolicy` }).map((r) => r.status)).toEqual([409, 200]);
    expect(membersOf('roles/viewer')).toEqual(['group:ops@example.com', 'user:other-writer@example.com', ENG]);
    expect(membersOf('roles/browser')).toEqual([ENG]);
  });

  it('gives up after repeated conflicts as retryable, leaving the policy as the other writer left it', async () => {
    const alwaysRacing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input instanceof Request ? input.url : input).endsWith(':getIamPolicy')) google.state.concurrentIamChange(PROJECT);
      return response;
    };
    await expect(connector(alwaysRacing).createGroup(eng)).rejects.toMatchObject({ kind: 'retryable', status: 409 });
    expect(membersOf('roles/browser')).toBeUndefined();
  });

  it('removal on group delete takes out only what Delta manages', async () => {
    const google1 = connector();
    const remote = await google1.createGroup(eng);
    google.state.concurrentIamChange(PROJECT, 'roles/browser', 'user:someone@example.com');
    await google1.deleteGroup(remote.id);
    expect(google.state.groups.has(remote.id)).toBe(false);
    expect(membersOf('roles/viewer')).toEqual(['group:ops@example.com']);
    expect(membersOf('roles/browser')).toEqual(['user:someone@example.com']);
    // Roles outside config.iam and conditional bindings are never Delta's to remove.
    expect(membersOf('roles/owner')).toEqual(['user:founder@example.com', ENG]);
    expect(bindings().find((b) => b.condition)?.members).toEqual([ENG]);
  });

  it('a group that no longer matches the configuration loses its configured roles on update', async () => {
    const google1 = connector();
    const remote = await google1.createGroup(eng);
    await google1.updateGroup(remote.id, { ...eng, id: 'grp-other', displayName: 'Engineering' });
    expect(membersOf('roles/viewer')).toEqual(['group:ops@example.com']);
    expect(membersOf('roles/browser')).toBeUndefined();
    expect(google.state.groups.get(remote.id)!.email).toBe('engineering-team@example.com');
  });

  it('test() reads every configured policy; an inaccessible project fails it', async () => {
    await expect(connector().test()).resolves.toBeUndefined();
    google.state.policies.delete(PROJECT);
    await expect(connector().test()).rejects.toMatchObject({ kind: 'permanent', status: 403, message: expect.stringContaining(PROJECT) });
  });
});
