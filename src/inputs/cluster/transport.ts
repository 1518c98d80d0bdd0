/**
 * GET requests to an API server over node:https (or node:http), with the TLS settings and
 * headers the kubeconfig gives (see kubeconfig.ts). Answers are read whole (gzip accepted) up to
 * a size limit. No @kubernetes/client-node here, so tests can use it with any credentials.
 */
import http from 'node:http';
import https from 'node:https';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { CredentialsError, type KubeResponse, type KubeTransport } from './api.js';

const gunzipAsync = promisify(gunzip);

/** Answers larger than this are refused (a page of 500 large objects is a few MB). */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export interface Credentials {
  /** Carries the TLS settings (CA, client certificate, server name) or a proxy. */
  agent: http.Agent;
  /** Authorization and impersonation headers. */
  headers: Record<string, string>;
}

export interface Endpoint {
  /** The cluster's server URL from the kubeconfig (may carry a path prefix). */
  server: string;
  /** The credentials; `fresh` after a 401, so exec plugins run again. */
  credentials(fresh: boolean): Promise<Credentials>;
}

export function httpTransport(endpoint: Endpoint, userAgent: string): KubeTransport {
  const base = new URL(endpoint.server);
  const prefix = base.pathname.replace(/\/+$/, '');
  const mod = base.protocol === 'http:' ? http : https;
  let creds: Promise<Credentials> | undefined;
  const credentials = (fresh: boolean): Promise<Credentials> => {
    if (!creds || fresh) {
      const old = creds;
      creds = endpoint.credentials(fresh).catch((e: unknown) => {
        throw e instanceof CredentialsError ? e : new CredentialsError((e as Error)?.message ?? String(e));
      });
      void old?.then((c) => c.agent.destroy(), () => undefined);
    }
    return creds;
  };

  return {
    async get(path: string, signal?: AbortSignal): Promise<KubeResponse> {
      const c = await credentials(false);
      return new Promise<KubeResponse>((resolve, reject) => {
        const req = mod.request(
          {
            protocol: base.protocol,
            hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: base.port || undefined,
            method: 'GET',
            path: prefix + path,
            agent: c.agent,
            headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': userAgent, ...c.headers },
            ...(signal ? { signal } : {}),
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_RESPONSE_BYTES) {
                req.destroy(new Error(`the answer is larger than ${MAX_RESPONSE_BYTES / 1048576} MiB`));
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
              const raw = Buffer.concat(chunks);
              const done = (body: Buffer): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
              if (res.headers['content-encoding'] === 'gzip') gunzipAsync(raw).then(done, reject);
              else done(raw);
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
    async refreshCredentials(): Promise<void> {
      await credentials(true);
    },
    close(): void {
      void creds?.then((c) => c.agent.destroy(), () => undefined);
    },
  };
}
