import { CONCURRENT_CHANGE } from '../../emulators/google/google-iam.handler';
import { SCOPES } from '../../emulators/google/google-emulator.state';
import { googleQuotaFault } from '../../emulators/google/google-quota.util';
import { ADMIN, api, accessToken, startSeededGoogle } from './google-test.util';

const USER = `/admin/directory/v1/users/${ADMIN}`;

describe('Google emulator: quotas (reference §3.1), faults (§4) and IAM etags (§3.4)', () => {
  it('per-user bucket → 403 userRateLimitExceeded (usageLimits), recovering the next minute', async () => {
    const { google, sa } = await startSeededGoogle({ quotas: { perUserPerMinute: 2 } });
    try {
      const token = await accessToken(google, sa.private_key);
      await api(google, token, 'GET', USER);
      await api(google, token, 'GET', USER);
      const refused = await api(google, token, 'GET', USER);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 403, errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }] });
      google.clock.advance(60_000);
      expect((await api(google, token, 'GET', USER)).status).toBe(200);
    } finally {
      await google.close();
    }
  });

  it('concurrency: 429 rateLimitExceeded per account, 403 quotaExceeded per project', async () => {
    const { google, sa } = await startSeededGoogle({ quotas: { concurrentPerCustomer: 1, concurrentPerProject: 5 }, latencyMs: 100 });
    const second = await startSeededGoogle({ quotas: { concurrentPerCustomer: 5, concurrentPerProject: 1 }, latencyMs: 100 });
    try {
      const token = await accessToken(google, sa.private_key);
      const answers = await Promise.all([api(google, token, 'GET', USER), api(google, token, 'GET', USER)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
      expect(answers.find((a) => a.status === 429)!.body.error.errors[0].reason).toBe('rateLimitExceeded');
      const token2 = await accessToken(second.google, second.sa.private_key);
      const answers2 = await Promise.all([api(second.google, token2, 'GET', USER), api(second.google, token2, 'GET', USER)]);
      expect(answers2.find((a) => a.status === 403)!.body.error.errors[0].reason).toBe('quotaExceeded');
    } finally {
      await Promise.all([google.close(), second.google.close()]);
    }
  });

  it('fault kinds: canned quota/backend errors, delay, hang, reset, OAuth errors on /token', async () => {
    const { google, sa } = await startSeededGoogle();
    try {
      const token = await accessToken(google, sa.private_key);
      google.faults.next(1, googleQuotaFault('backendError'), { path: USER });
      expect((await api(google, token, 'GET', USER)).body.error).toMatchObject({ code: 503, errors: [{ reason: 'backendError' }] });
      google.faults.next(1, { delayMs: 120 }, { path: USER });
      const started = Date.now();
      expect((await api(google, token, 'GET', USER)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
      google.faults.next(1, { hang: true }, { path: USER });
      await expect(fetch(`${google.url}${USER}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(100) })).rejects.toThrow();
      google.faults.next(1, { reset: true }, { path: USER });
      await expect(api(google, token, 'GET', USER)).rejects.toThrow(/fetch failed/);
      google.faults.next(1, { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } }, { method: 'POST', path: '/token' });
      await expect(accessToken(google, sa.private_key)).resolves.toBeUndefined();
      expect(google.requests.count({ path: USER })).toBe(4);
    } finally {
      await google.close();
    }
  });

  it('setIamPolicy with a stale etag → 409 ABORTED; a re-read then write succeeds', async () => {
    const { google, sa } = await startSeededGoogle();
    try {
      const token = await accessToken(google, sa.private_key, [SCOPES.cloudPlatform], null);
      const read = await api(google, token, 'POST', '/v3/projects/delta-prod:getIamPolicy', { options: { requestedPolicyVersion: 3 } });
      expect(read.body).toMatchObject({ version: 1, etag: expect.any(String), bindings: [{ role: 'roles/viewer', members: ['group:ops@example.com'] }] });
      const mine = { ...read.body, bindings: [...read.body.bindings, { role: 'roles/editor', members: ['group:eng@example.com'] }] };
      // Another writer changes the policy between our get and set (§3.4 "Optimistic concurrency").
      const theirs = await fetch(`${google.url}/__emulator/iam/concurrent-change`, { method: 'POST', body: JSON.stringify({ resource: 'projects/delta-prod', role: 'roles/viewer', member: 'user:x@example.com' }) });
      expect(theirs.status).toBe(200);
      const stale = await api(google, token, 'POST', '/v3/projects/delta-prod:setIamPolicy', { policy: mine });
      expect(stale).toMatchObject({ status: 409, body: { error: { code: 409, status: 'ABORTED', message: CONCURRENT_CHANGE } } });
      const reread = await api(google, token, 'POST', '/v1/projects/delta-prod:getIamPolicy', {});
      const retry = { ...reread.body, bindings: [...reread.body.bindings, { role: 'roles/editor', members: ['group:eng@example.com'] }] };
      const written = await api(google, token, 'POST', '/v3/projects/delta-prod:setIamPolicy', { policy: retry });
      expect(written.status).toBe(200);
      expect(written.body.etag).not.toBe(reread.body.etag);
      expect(google.state.policies.get('projects/delta-prod')!.bindings.map((b) => b.members)).toEqual([['group:ops@example.com', 'user:x@example.com'], ['group:eng@example.com']]);
      expect((await api(google, token, 'POST', '/v3/projects/unknown:getIamPolicy', {})).body.error.status).toBe('PERMISSION_DENIED');
      const directoryToken = await accessToken(google, sa.private_key);
      expect((await api(google, directoryToken, 'POST', '/v3/projects/delta-prod:getIamPolicy', {})).status).toBe(403);
    } finally {
      await google.close();
    }
  });
});
