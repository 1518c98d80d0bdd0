/**
 * Read-only Kubernetes API calls over a transport: GET with retries and a deadline, and lists
 * paginated with limit + continue. No @kubernetes/client-node here: the transport is given
 * (transport.ts in production, made from the kubeconfig by kubeconfig.ts).
 *
 * - 429 and 5xx (and connections reset mid-way) are retried with exponential backoff and full
 *   jitter, or after the server's Retry-After, as long as the deadline of the request allows.
 * - 401 re-fetches the credentials once (exec plugins, token files), as client-go does.
 * - A list whose continue token expired (410) is restarted from the beginning.
 */

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, already decompressed. */
  body: Buffer;
}

export interface KubeTransport {
  /** GET `path` (with its query string) on the API server. Rejects on network errors. */
  get(path: string, signal?: AbortSignal): Promise<KubeResponse>;
  /** Obtains the credentials again (after a 401). */
  refreshCredentials?(): Promise<void>;
  close?(): void;
}

export type ApiErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'expired'
  | 'unreachable'
  | 'timeout'
  | 'credentials'
  | 'retries-exhausted'
  | 'bad-response'
  | 'failed';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly path: string,
    readonly status?: number,
    /** The Status message of the server, when it sent one. */
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

/** Raised by transports when the kubeconfig's credentials cannot be obtained. */
export class CredentialsError extends Error {}

export interface ApiOptions {
  /** Deadline of one request, retries and waits included, in milliseconds; 0 for none. */
  requestTimeoutMs: number;
  /** First backoff delay (doubled per retry, with full jitter), in ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts of one request at most, whatever the deadline. */
  maxAttempts?: number;
  /** Restarts of one list after expired continue tokens. */
  maxListRestarts?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ListPage {
  items: Record<string, unknown>[];
  resourceVersion?: string;
}

export interface ListResult extends ListPage {
  /** Times the list started again because its continue token expired. */
  restarts: number;
}

/** Network errors worth another attempt: the connection broke, not "there is nobody there". */
const TRANSIENT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const RETRIED_STATUS = new Set([429, 500, 502, 503, 504]);

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/** Seconds of a Retry-After header (delta-seconds or an HTTP date), in ms. */
export function retryAfterMs(h: string | undefined, now: number): number | undefined {
  if (h === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(h)) return Number(h) * 1000;
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function statusMessage(body: Buffer): string | undefined {
  try {
    const s = JSON.parse(body.toString('utf8')) as { kind?: string; message?: unknown };
    return s && s.kind === 'Status' && typeof s.message === 'string' ? s.message : undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(e: unknown): { code?: string; text: string } {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const text = err?.message ?? String(e);
  return code ? { code, text: text.includes(code) ? text : `${code}: ${text}` } : { text };
}

export function formatDuration(ms: number): string {
  return ms % 60000 === 0 && ms > 0 ? `${ms / 60000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export class KubeApi {
  readonly #t: KubeTransport;
  readonly #o: Required<ApiOptions>;

  constructor(transport: KubeTransport, options: ApiOptions) {
    this.#t = transport;
    this.#o = {
      backoffMs: 250,
      maxBackoffMs: 8000,
      maxAttempts: 8,
      maxListRestarts: 3,
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      ...options,
    };
  }

  /** GET and parse JSON; throws ApiError. */
  async get<T = unknown>(path: string): Promise<T> {
    const o = this.#o;
    const start = o.now();
    const deadline = o.requestTimeoutMs > 0 ? start + o.requestTimeoutMs : Infinity;
    const limitText = o.requestTimeoutMs > 0 ? ` within --request-timeout ${formatDuration(o.requestTimeoutMs)}` : '';
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - o.now();
      if (remaining <= 0) throw new ApiError('timeout', `no answer${limitText}`, path);
      let res: KubeResponse;
      try {
        res = await this.#t.get(path, Number.isFinite(remaining) ? AbortSignal.timeout(Math.ceil(remaining)) : undefined);
      } catch (e) {
        if (e instanceof CredentialsError) throw new ApiError('credentials', `cannot obtain credentials from the kubeconfig: ${e.message}`, path);
        const { code, text } = describeNetworkError(e);
        const name = (e as { name?: string })?.name;
        if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR') throw new ApiError('timeout', `no answer${limitText}`, path);
        if (code && TRANSIENT.has(code)) {
          const wait = this.#backoff(attempt);
          if (attempt < o.maxAttempts && o.now() + wait < deadline) {
            await o.sleep(wait);
            continue;
          }
          throw new ApiError('retries-exhausted', `connection failed ${attempt} time${attempt === 1 ? '' : 's'}${limitText} (last: ${text})`, path);
        }
        throw new ApiError('unreachable', text, path);
      }
      const { status } = res;
      if (status >= 200 && status < 300) {
        try {
          return JSON.parse(res.body.toString('utf8')) as T;
        } catch {
          throw new ApiError('bad-response', `the answer to GET ${path} is not JSON`, path, status);
        }
      }
      const msg = statusMessage(res.body);
      if (status === 401) {
        if (!refreshed && this.#t.refreshCredentials) {
          refreshed = true;
          try {
            await this.#t.refreshCredentials();
          } catch (e) {
            throw new ApiError('credentials', `cannot obtain credentials from the kubeconfig: ${(e as Error)?.message ?? String(e)}`, path, status);
          }
          continue;
        }
        throw new ApiError('unauthorized', `401 Unauthorized: the server did not accept the kubeconfig's credentials${msg && msg !== 'Unauthorized' ? ` (${msg})` : ''}`, path, status, msg);
      }
      if (RETRIED_STATUS.has(status)) {
        const after = retryAfterMs(headerValue(res.headers['retry-after']), o.now());
        const wait = after ?? this.#backoff(attempt);
        const canWait = attempt < o.maxAttempts && o.now() + wait < deadline;
        if (canWait) {
          await o.sleep(wait);
          continue;
        }
        const what = status === 429 ? '429 Too Many Requests' : `${status}${msg ? ` (${msg})` : ''}`;
        throw new ApiError('retries-exhausted', `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}${limitText}: ${what}${after !== undefined && !canWait ? `, and the server asked to wait ${Math.ceil(after / 1000)}s more` : ''}`, path, status, msg);
      }
      if (status === 403) throw new ApiError('forbidden', `403 Forbidden${msg ? `: ${msg}` : ''}`, path, status, msg);
      if (status === 404) throw new ApiError('not-found', `404 Not Found${msg ? `: ${msg}` : ''}`, path, status, msg);
      if (status === 410) throw new ApiError('expired', `410 Gone${msg ? `: ${msg}` : ''}`, path, status, msg);
      throw new ApiError('failed', `${status}${msg ? `: ${msg}` : ''}`, path, status, msg);
    }
  }

  /**
   * Lists every object at `path`, `limit` at a time. `onProgress` gets the number of objects
   * each page added (negative when an expired list starts again).
   */
  async list(path: string, q: { limit: number; labelSelector?: string }, onProgress?: (delta: number) => void): Promise<ListResult> {
    let restarts = 0;
    for (;;) {
      const items: Record<string, unknown>[] = [];
      let resourceVersion: string | undefined;
      let cont: string | undefined;
      let expired = false;
      do {
        const params = new URLSearchParams();
        if (q.limit > 0) params.set('limit', String(q.limit));
        if (q.labelSelector) params.set('labelSelector', q.labelSelector);
        if (cont) params.set('continue', cont);
        const qs = params.toString();
        let page: { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown } };
        try {
          page = await this.get(qs ? `${path}?${qs}` : path);
        } catch (e) {
          if (e instanceof ApiError && e.kind === 'expired' && cont !== undefined && restarts < this.#o.maxListRestarts) {
            expired = true;
            break;
          }
          if (e instanceof ApiError && e.kind === 'expired') {
            throw new ApiError('failed', `the list expired (410) ${restarts + 1} times in a row while it was paged; the cluster changes faster than it can be read`, path, 410, e.serverMessage);
          }
          throw e;
        }
        if (!page || !Array.isArray(page.items)) throw new ApiError('bad-response', `the answer to GET ${path} is not a list`, path, 200);
        for (const it of page.items) if (it && typeof it === 'object' && !Array.isArray(it)) items.push(it as Record<string, unknown>);
        onProgress?.(page.items.length);
        const md = page.metadata ?? {};
        if (typeof md.resourceVersion === 'string') resourceVersion ??= md.resourceVersion;
        cont = typeof md.continue === 'string' && md.continue !== '' ? md.continue : undefined;
      } while (cont !== undefined);
      if (expired) {
        restarts++;
        onProgress?.(-items.length);
        continue;
      }
      const out: ListResult = { items, restarts };
      if (resourceVersion !== undefined) out.resourceVersion = resourceVersion;
      return out;
    }
  }

  #backoff(attempt: number): number {
    const cap = Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** (attempt - 1));
    return Math.round(this.#o.random() * cap);
  }
}
