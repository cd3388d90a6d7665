import { startGitHubEmulator } from '../../emulators/github/github.emulator';
import { OWNER_TOKEN, gh, startSeededGitHub } from './github-test.util';

describe('GitHub emulator: rate limits (reference §2.5) and faults (§4)', () => {
  it('primary: 403 with x-ratelimit-remaining 0 and the documented body, then recovers at the reset', async () => {
    const github = await startSeededGitHub({ limits: { core: 2 } });
    try {
      const first = await gh(github, 'GET', '/orgs/acme');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(first.headers.get('x-ratelimit-used')).toBe('1');
      expect(first.headers.get('x-ratelimit-resource')).toBe('core');
      await gh(github, 'GET', '/orgs/acme');
      const refused = await gh(github, 'GET', '/orgs/acme');
      expect(refused).toMatchObject({ status: 403, body: { message: expect.stringMatching(/^API rate limit exceeded/), documentation_url: expect.any(String) } });
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = Number(refused.headers.get('x-ratelimit-reset'));
      expect(reset * 1000).toBeGreaterThan(Date.now());
      // GET /rate_limit is free (§2.5).
      expect((await gh(github, 'GET', '/rate_limit')).status).toBe(200);
      github.clock.advance(reset * 1000 - Date.now() + 1000);
      expect((await gh(github, 'GET', '/orgs/acme')).status).toBe(200);
    } finally {
      await github.close();
    }
  });

  it('primary with 429 instead of 403 when configured', async () => {
    const github = await startSeededGitHub({ limits: { core: 1, primaryStatus: 429 } });
    await gh(github, 'GET', '/user');
    expect((await gh(github, 'GET', '/user')).status).toBe(429);
    await github.close();
  });

  it('secondary: content creation per minute → 403 "secondary rate limit" + retry-after, then recovery', async () => {
    const github = await startSeededGitHub({ limits: { contentCreationPerMinute: 2, secondaryRetryAfter: 7 } });
    try {
      for (const email of ['a@x.test', 'b@x.test']) expect((await gh(github, 'POST', '/orgs/acme/invitations', { body: { email } })).status).toBe(201);
      const refused = await gh(github, 'POST', '/orgs/acme/invitations', { body: { email: 'c@x.test' } });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/\bsecondary rate\b/i);
      expect(refused.headers.get('retry-after')).toBe('7');
      expect(refused.headers.get('x-ratelimit-remaining')).not.toBe('0');
      // Reads are not content creation.
      expect((await gh(github, 'GET', '/orgs/acme/invitations')).status).toBe(200);
      github.clock.advance(60_000);
      expect((await gh(github, 'POST', '/orgs/acme/invitations', { body: { email: 'c@x.test' } })).status).toBe(201);
    } finally {
      await github.close();
    }
  });

  it('secondary: concurrent requests over the limit, without retry-after when configured so', async () => {
    const github = await startSeededGitHub({ limits: { concurrent: 1, secondaryStatus: 429, secondaryRetryAfter: null }, latencyMs: 150 });
    try {
      const answers = await Promise.all([gh(github, 'GET', '/user'), gh(github, 'GET', '/user')]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.body.message).toMatch(/secondary rate limit/);
      expect(refused.headers.get('retry-after')).toBeNull();
    } finally {
      await github.close();
    }
  });

  it('faults: canned status, delay, hang, reset, and the x-emulator-fault header; all logged', async () => {
    const github = await startGitHubEmulator({ tokens: { [OWNER_TOKEN]: { login: 'o' } }, limits: false });
    try {
      github.faults.next(1, { status: 502, body: { message: 'Server Error' } }, { method: 'GET', path: '/user' });
      expect((await gh(github, 'GET', '/user')).status).toBe(502);
      expect((await gh(github, 'GET', '/user')).status).toBe(200);

      github.faults.next(1, { delayMs: 150 }, { path: '/user' });
      const started = Date.now();
      expect((await gh(github, 'GET', '/user')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);

      github.faults.next(1, { hang: true });
      await expect(gh(github, 'GET', '/user', { signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);

      github.faults.next(1, { reset: true });
      await expect(gh(github, 'GET', '/user')).rejects.toThrow(/fetch failed/);

      const viaHeader = await gh(github, 'GET', '/user', { headers: { 'x-emulator-fault': '429;retry-after=1' } });
      expect(viaHeader.status).toBe(429);
      expect(viaHeader.headers.get('retry-after')).toBe('1');
      expect(github.requests.entries({ path: '/user' }).map((e) => e.fault ?? e.status)).toEqual([
        'status:502', 200, 'delay:150', 'hang', 'reset', 'status:429',
      ]);
    } finally {
      await github.close();
    }
  });
});
