/**
 * The kubeconfig, through @kubernetes/client-node: its contexts, and for a context the server
 * and the credentials (tokens, token files, client certificates, exec plugins, auth providers,
 * impersonation, proxies) exactly as the library applies them. The library is imported
 * dynamically, on first use: it costs about half a second of start-up, which file-only runs
 * must not pay. Nothing else imports it.
 */
import http from 'node:http';
import https from 'node:https';
import type * as K8s from '@kubernetes/client-node';
import type { Credentials, Endpoint } from './transport.js';

/** A problem with the kubeconfig or with the contexts asked for: a usage error. */
export class KubeconfigError extends Error {}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** The server of the context's cluster, when the cluster is in the kubeconfig. */
  server?: string;
}

export interface Kubeconfig {
  /** Where it came from, for messages: the file(s), or in-cluster. */
  source: string;
  contexts: KubeconfigContext[];
  currentContext?: string;
  /** How to reach a context's cluster; throws KubeconfigError when its cluster is missing. */
  endpoint(context: string): Endpoint;
}

type K8sModule = typeof K8s;

let modulePromise: Promise<K8sModule> | undefined;
function library(): Promise<K8sModule> {
  return (modulePromise ??= import('@kubernetes/client-node'));
}

function message(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

/**
 * Loads the kubeconfig as kubectl finds it: `path` (--kubeconfig), else $KUBECONFIG (files
 * merged, the first one's current-context wins), else ~/.kube/config, else the in-cluster
 * service account.
 */
export async function loadKubeconfig(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<Kubeconfig> {
  const k8s = await library();
  const load = (): K8s.KubeConfig => {
    const kc = new k8s.KubeConfig();
    try {
      if (path !== undefined) kc.loadFromFile(path);
      else kc.loadFromDefault(undefined, true);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const file = path ?? (env.KUBECONFIG ? env.KUBECONFIG : '~/.kube/config');
      throw new KubeconfigError(`cannot read the kubeconfig ${file}: ${err.code === 'ENOENT' ? 'no such file' : message(e)}`);
    }
    return kc;
  };
  const kc = load();
  // loadFromDefault falls back to an anonymous http://localhost:8080 when it finds nothing.
  if (path === undefined && kc.currentContext === 'loaded-context' && kc.getCurrentCluster()?.server === 'http://localhost:8080') {
    throw new KubeconfigError('no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config');
  }
  const source = path ?? (env.KUBECONFIG ? env.KUBECONFIG : kc.currentContext === 'inClusterContext' ? 'in-cluster service account' : '~/.kube/config');
  const contexts = kc.getContexts().map((c): KubeconfigContext => {
    const ctx: KubeconfigContext = { name: c.name, cluster: c.cluster, user: c.user };
    if (c.namespace) ctx.namespace = c.namespace;
    const cluster = kc.getCluster(c.cluster);
    if (cluster) ctx.server = cluster.server;
    return ctx;
  });
  const out: Kubeconfig = {
    source,
    contexts,
    endpoint(name: string): Endpoint {
      const ctx = contexts.find((c) => c.name === name);
      if (!ctx) throw new KubeconfigError(`context "${name}" is not in the kubeconfig ${source}`);
      if (ctx.server === undefined) throw new KubeconfigError(`context "${name}" names the cluster "${ctx.cluster}", which is not in the kubeconfig ${source}`);
      const server = ctx.server;
      return {
        server,
        async credentials(fresh: boolean): Promise<Credentials> {
          // A fresh KubeConfig (re-read when asked after a 401) runs exec plugins and reads token files again.
          const base = fresh ? load() : kc;
          const k = new k8s.KubeConfig();
          k.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: name });
          const opts: https.RequestOptions = {};
          await k.applyToHTTPSOptions(opts);
          const headers: Record<string, string> = {};
          for (const [key, v] of Object.entries(opts.headers ?? {})) {
            if (v !== undefined) headers[key] = Array.isArray(v) ? v.join(', ') : String(v);
          }
          if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
          const cluster = k.getCurrentCluster();
          let agent: http.Agent;
          if (cluster?.proxyUrl && opts.agent instanceof http.Agent) {
            agent = opts.agent; // the library's proxy agent (HTTP CONNECT or SOCKS)
          } else {
            // Same TLS settings as the library's agent, with keep-alive so pages reuse the connection.
            if (opts.agent instanceof http.Agent) opts.agent.destroy();
            const tls: https.AgentOptions = { keepAlive: true, maxSockets: 16 };
            for (const k2 of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
              if (opts[k2] !== undefined) (tls as Record<string, unknown>)[k2] = opts[k2];
            }
            agent = server.startsWith('http:') ? new http.Agent({ keepAlive: true, maxSockets: 16 }) : new https.Agent(tls);
          }
          return { agent, headers };
        },
      };
    },
  };
  if (kc.currentContext) out.currentContext = kc.currentContext;
  return out;
}
