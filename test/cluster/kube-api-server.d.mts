/** Types of kube-api-server.mjs (plain JavaScript so that scripts/bench.mjs can use it too). */
export interface Pki {
  ca: { cert: string; key: string };
  server: { cert: string; key: string };
  client: { cert: string; key: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  user: string | null;
}

export interface KubeconfigEntry {
  cluster: { name: string; cluster: Record<string, unknown> };
  user: { name: string; user: Record<string, unknown> };
  context: { name: string; context: { cluster: string; user: string; namespace?: string } };
}

export interface TestKubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface KubeApiServer {
  url: string;
  port: number;
  token: string;
  pki: Pki;
  requests: RecordedRequest[];
  stats: { maxInFlight: number };
  fail(f: { path?: RegExp; status?: number; times?: number; retryAfter?: number }): void;
  forbid(f: { resource?: string; namespace?: string; verb?: string }): void;
  expireNextContinue(resource: string): void;
  apply(objects: TestKubeObject[]): void;
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): void;
  kubeconfigEntry(o: { context: string; namespace?: string; auth?: 'token' | 'client-cert' | 'exec' | 'none'; user?: string; caData?: string }): KubeconfigEntry;
  close(): Promise<void>;
}

export const CRD_GROUPS: Record<string, { version: string; resources: [string, string, boolean?][] }[]>;

export function startKubeApiServer(opts?: { crds?: string[]; objects?: TestKubeObject[]; token?: string; delayMs?: number; pki?: Pki; port?: number; rbac?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }): Promise<KubeApiServer>;

export function writeKubeconfig(path: string, entries: KubeconfigEntry[], currentContext?: string): string;

export function parseSelector(s: string): { key: string; op: string; values?: string[] }[];
