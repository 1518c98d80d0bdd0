/** The API layer's retry rules, with a scripted transport. */
import { ApiError, CredentialsError, KubeApi, retryAfterMs, type KubeResponse, type KubeTransport } from '../../src/inputs/cluster/api.js';

type Step = { status: number; body?: unknown; headers?: Record<string, string> } | { error: string };

function scripted(steps: Step[]): KubeTransport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    get(path: string): Promise<KubeResponse> {
      paths.push(path);
      const s = steps.shift();
      if (!s) return Promise.reject(new Error('script ran out'));
      if ('error' in s) return Promise.reject(Object.assign(new Error(`connect ${s.error}`), { code: s.error }));
      return Promise.resolve({ status: s.status, headers: s.headers ?? {}, body: Buffer.from(JSON.stringify(s.body ?? {})) });
    },
  };
}

function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return { waits, now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)), random: () => 1 };
}

describe('KubeApi', () => {
  it('retries a reset connection, not a refused one', async () => {
    const c = fakeClock();
    const t = scripted([{ error: 'ECONNRESET' }, { status: 200, body: { ok: 1 } }]);
    await expect(new KubeApi(t, { requestTimeoutMs: 5000, ...c }).get('/x')).resolves.toEqual({ ok: 1 });
    expect(c.waits).toEqual([250]);
    await expect(new KubeApi(scripted([{ error: 'ECONNREFUSED' }]), { requestTimeoutMs: 5000, ...c }).get('/x')).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('does not wait for a Retry-After that ends after the deadline', async () => {
    const c = fakeClock();
    const t = scripted([{ status: 429, headers: { 'retry-after': '60' } }]);
    const e = (await new KubeApi(t, { requestTimeoutMs: 30000, ...c }).get('/x').catch((x: unknown) => x)) as ApiError;
    expect(e.kind).toBe('retries-exhausted');
    expect(e.message).toBe('gave up after 1 attempt within --request-timeout 30s: 429 Too Many Requests, and the server asked to wait 60s more');
    expect(c.waits).toEqual([]);
  });

  it('bounds the attempts when there is no deadline (--request-timeout 0)', async () => {
    const c = fakeClock();
    const t = scripted(Array.from({ length: 10 }, () => ({ status: 500 })));
    await expect(new KubeApi(t, { requestTimeoutMs: 0, maxAttempts: 3, ...c }).get('/x')).rejects.toMatchObject({ kind: 'retries-exhausted' });
    expect(t.paths).toHaveLength(3);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('reports credentials that cannot be obtained, and does not retry other 4xx', async () => {
    const t: KubeTransport = { get: () => Promise.reject(new CredentialsError('exec plugin "aws" failed: exit 1')) };
    await expect(new KubeApi(t, { requestTimeoutMs: 1000 }).get('/x')).rejects.toMatchObject({ kind: 'credentials', message: 'cannot obtain credentials from the kubeconfig: exec plugin "aws" failed: exit 1' });
    const bad = scripted([{ status: 400, body: { kind: 'Status', message: 'unable to parse requirement' } }]);
    await expect(new KubeApi(bad, { requestTimeoutMs: 1000 }).get('/x')).rejects.toMatchObject({ kind: 'failed', message: '400: unable to parse requirement' });
  });

  it('gives up on a list that keeps expiring', async () => {
    const page = { status: 200, body: { items: [{}], metadata: { continue: 'c' } } };
    const gone = { status: 410, body: { kind: 'Status', message: 'too old' } };
    const t = scripted([page, gone, page, gone, page, gone]);
    const e = (await new KubeApi(t, { requestTimeoutMs: 1000, maxListRestarts: 2 }).list('/l', { limit: 1 }).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toContain('the list expired (410) 3 times in a row');
  });
});
