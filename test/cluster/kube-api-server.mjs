/**
 * A local HTTPS server that speaks the Kubernetes API for what gateway-shift reads: discovery
 * (/api, /apis, /apis/<group>/<version>), list and get of the built-in and custom resources it
 * knows, with the real server's conventions:
 *
 * - TLS with a generated CA (x509.mjs); authentication by bearer token or by a client
 *   certificate signed by that CA; 401 Status without either.
 * - Lists sorted by key (namespace/name), `limit` + `continue` pagination, remainingItemCount,
 *   list resourceVersion; a continue token pins the resourceVersion it started at, and after a
 *   compaction a token older than it gets 410 Expired (Status reason Expired), as etcd
 *   compaction does on the real server.
 * - `labelSelector` (equality and set-based requirements).
 * - Items of built-in lists carry no apiVersion/kind; items of custom resources do.
 * - 403 Forbidden with the real RBAC message for forbidden namespaces or resources; 404
 *   NotFound for paths whose group is not installed (CRD absent) and for missing objects;
 *   405 for any method but GET; injected 429 (with Retry-After) and 5xx faults.
 * - gzip above 128 KiB when the client accepts it, like the apiserver.
 *
 * Every request is recorded (method, path, query, user) so tests can check what was asked.
 * Test code (also used by scripts/bench.mjs); not part of the tool.
 */
import https from 'node:https';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { createPki } from './x509.mjs';

/** Resources the server knows: group -> versions -> resources. Built-in groups are always served. */
const BUILTIN = [
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
];

/** Custom resources, installed per server with the `crds` option (by group). */
export const CRD_GROUPS = {
  'traefik.io': [{ version: 'v1alpha1', resources: [['middlewares', 'Middleware'], ['ingressroutes', 'IngressRoute']] }],
  'traefik.containo.us': [{ version: 'v1alpha1', resources: [['middlewares', 'Middleware'], ['ingressroutes', 'IngressRoute']] }],
  'networking.istio.io': [
    { version: 'v1', resources: [['gateways', 'Gateway'], ['virtualservices', 'VirtualService'], ['destinationrules', 'DestinationRule'], ['serviceentries', 'ServiceEntry']] },
    { version: 'v1beta1', resources: [['gateways', 'Gateway'], ['virtualservices', 'VirtualService'], ['destinationrules', 'DestinationRule'], ['serviceentries', 'ServiceEntry']] },
  ],
  'gateway.networking.k8s.io': [
    { version: 'v1', resources: [['gateways', 'Gateway'], ['httproutes', 'HTTPRoute'], ['gatewayclasses', 'GatewayClass', false]] },
    { version: 'v1beta1', resources: [['gateways', 'Gateway'], ['httproutes', 'HTTPRoute'], ['gatewayclasses', 'GatewayClass', false]] },
  ],
};

const status = (code, reason, message, details) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

const EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

// ---------------------------------------------------------------------------------------------
// label selectors (k8s.io/apimachinery/pkg/labels)

export function parseSelector(s) {
  const reqs = [];
  // split on commas that are not inside parentheses
  let depth = 0;
  let cur = '';
  const parts = [];
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m;
    if ((m = /^([^\s=!]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      reqs.push({ key: m[1], op: m[2], values: m[3].split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = /^([^\s=!]+)\s*(==|=|!=)\s*([^\s=!]*)$/.exec(p))) {
      reqs.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    } else if ((m = /^!([^\s=!]+)$/.exec(p))) {
      reqs.push({ key: m[1], op: '!' });
    } else if ((m = /^([^\s=!]+)$/.exec(p))) {
      reqs.push({ key: m[1], op: 'exists' });
    } else {
      throw new Error(`unable to parse requirement: ${p}`);
    }
  }
  return reqs;
}

function matches(reqs, labels = {}) {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v);
      case 'notin':
        return !has || !r.values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * Starts a server on 127.0.0.1 (a free port unless `port` is given).
 * @param {object} [opts]
 * @param {string[]} [opts.crds] groups of CRD_GROUPS that are installed (default: none)
 * @param {object[]} [opts.objects] objects to create at start
 * @param {string} [opts.token] the bearer token accepted (default: random)
 * @param {number} [opts.delayMs] delay before each answer (to make concurrency observable)
 * @param {ReturnType<typeof createPki>} [opts.pki]
 * @param {{ apiGroups: string[], resources: string[], verbs: string[] }[]} [opts.rbac] the only permissions (a ClusterRole bound cluster-wide)
 */
export async function startKubeApiServer(opts = {}) {
  const pki = opts.pki ?? createPki();
  const token = opts.token ?? randomBytes(16).toString('hex');
  const installed = new Set(opts.crds ?? []);
  const resources = [...BUILTIN];
  for (const [group, versions] of Object.entries(CRD_GROUPS)) {
    for (const v of versions) for (const [resource, kind, namespaced = true] of v.resources) resources.push({ group, version: v.version, resource, kind, namespaced, crd: true });
  }
  const served = (r) => !r.crd || installed.has(r.group);

  // Multi-version store: per "group/resource", entries {key, obj, created, deleted} sorted by key.
  let rv = 1000;
  let compacted = 0;
  const store = new Map();
  const storeKey = (group, resource) => `${group}/${resource}`;
  const entriesOf = (group, resource) => {
    let e = store.get(storeKey(group, resource));
    if (!e) store.set(storeKey(group, resource), (e = []));
    return e;
  };
  const resourceForObject = (o) => {
    const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    const r = resources.find((x) => x.group === group && x.kind === o.kind && (x.version === version || x.crd));
    if (!r) throw new Error(`test server: unknown kind ${o.apiVersion} ${o.kind}`);
    return r;
  };
  const sortedGroups = new Set();

  /** Creates or replaces objects (one resourceVersion each). */
  function apply(objects) {
    for (const input of objects) {
      const r = resourceForObject(input);
      const o = structuredClone(input);
      o.metadata ??= {};
      if (r.namespaced) o.metadata.namespace ??= 'default';
      else delete o.metadata.namespace;
      const key = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const entries = entriesOf(r.group, r.resource);
      rv++;
      const prev = entries.findLast((e) => e.key === key && e.deleted === Infinity);
      if (prev) prev.deleted = rv;
      o.metadata.uid ??= randomUUID();
      o.metadata.resourceVersion = String(rv);
      o.metadata.creationTimestamp ??= '2026-01-01T00:00:00Z';
      o.metadata.generation = (prev?.obj.metadata.generation ?? 0) + 1;
      o.metadata.managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: o.apiVersion, time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }];
      entries.push({ key, obj: o, created: rv, deleted: Infinity });
      sortedGroups.delete(storeKey(r.group, r.resource));
    }
  }

  function remove(apiVersion, kind, namespace, name) {
    const r = resourceForObject({ apiVersion, kind });
    const key = `${r.namespaced ? namespace : ''}/${name}`;
    rv++;
    for (const e of entriesOf(r.group, r.resource)) if (e.key === key && e.deleted === Infinity) e.deleted = rv;
  }

  function entriesSorted(r) {
    const k = storeKey(r.group, r.resource);
    const entries = entriesOf(r.group, r.resource);
    if (!sortedGroups.has(k)) {
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.created - b.created));
      sortedGroups.add(k);
    }
    return entries;
  }

  apply(opts.objects ?? []);

  // ------------------------------------------------------------------- faults and permissions
  const faults = [];
  const forbidden = [];
  const expireNext = new Set();
  const requests = [];
  let inFlight = 0;
  const stats = { maxInFlight: 0 };

  const control = {
    /** The next `times` requests whose path matches get `status` (429 with Retry-After seconds). */
    fail({ path = /.*/, status: code = 503, times = 1, retryAfter }) {
      faults.push({ path, code, times, retryAfter });
    },
    /** 403 for `resource` (a plural, or '*') in `namespace` (or at cluster scope with namespace '*', or everywhere when absent). */
    forbid({ resource = '*', namespace, verb = '*' }) {
      forbidden.push({ resource, namespace, verb });
    },
    /** The next list of `resource` that presents a continue token finds it compacted: 410 Expired. */
    expireNextContinue(resource) {
      expireNext.add(resource);
    },
    apply,
    remove,
  };

  // With `rbac` (ClusterRole rules bound cluster-wide), only what a rule grants is allowed;
  // discovery is granted to every authenticated user, as system:discovery does.
  const rbac = opts.rbac;
  const granted = (r, verb) =>
    !rbac ||
    rbac.some(
      (rule) =>
        (rule.apiGroups.includes('*') || rule.apiGroups.includes(r.group)) &&
        (rule.resources.includes('*') || rule.resources.includes(r.resource)) &&
        (rule.verbs.includes('*') || rule.verbs.includes(verb)),
    );

  function isForbidden(r, verb, namespace) {
    if (!granted(r, verb)) return true;
    return forbidden.some(
      (f) => (f.resource === '*' || f.resource === r.resource) && (f.verb === '*' || f.verb === verb) && (f.namespace === undefined || (f.namespace === '*' ? namespace === undefined : f.namespace === namespace)),
    );
  }

  // ------------------------------------------------------------------- discovery
  const groupVersions = () => {
    const groups = new Map();
    for (const r of resources) {
      if (r.group === '' || !served(r)) continue;
      let g = groups.get(r.group);
      if (!g) groups.set(r.group, (g = []));
      if (!g.includes(r.version)) g.push(r.version);
    }
    return groups;
  };
  const apiGroupList = () => ({
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions()].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  });
  const resourceList = (group, version) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resources
      .filter((r) => r.group === group && r.version === version && served(r))
      .map((r) => ({ name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] })),
  });

  // ------------------------------------------------------------------- handler
  const send = (req, res, code, body, headers = {}) => {
    let data = Buffer.from(JSON.stringify(body));
    const h = { 'Content-Type': 'application/json', 'Audit-Id': randomUUID(), 'Cache-Control': 'no-cache, private', ...headers };
    if (data.length > 128 * 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      data = gzipSync(data);
      h['Content-Encoding'] = 'gzip';
    }
    h['Content-Length'] = String(data.length);
    const finish = () => {
      inFlight--;
      res.writeHead(code, h);
      res.end(data);
    };
    if (opts.delayMs) setTimeout(finish, opts.delayMs);
    else finish();
  };

  function handle(req, res) {
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const url = new URL(req.url, 'https://localhost');
    const auth = req.headers.authorization;
    let user;
    if (auth === `Bearer ${token}`) user = 'token-user';
    else if (req.socket.authorized) user = req.socket.getPeerCertificate().subject?.CN;
    requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), user: user ?? null });
    if (!user) return send(req, res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (req.method !== 'GET') return send(req, res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));

    for (const f of faults) {
      if (f.times > 0 && f.path.test(url.pathname)) {
        f.times--;
        const headers = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {};
        const reason = f.code === 429 ? 'TooManyRequests' : f.code === 503 ? 'ServiceUnavailable' : 'InternalError';
        return send(req, res, f.code, status(f.code, reason, f.code === 429 ? 'Too many requests, please try again later.' : 'an error on the server ("") has prevented the request from succeeding'), headers);
      }
    }

    const p = url.pathname.replace(/\/+$/, '');
    if (p === '/version') return send(req, res, 200, { major: '1', minor: '34', gitVersion: 'v1.34.0-gateway-shift-test' });
    if (p === '/api') return send(req, res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') return send(req, res, 200, apiGroupList());
    if (p === '/api/v1') return send(req, res, 200, resourceList('', 'v1'));
    let m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) {
      const list = resourceList(m[1], m[2]);
      return list.resources.length ? send(req, res, 200, list) : notFound(req, res);
    }
    // /api/v1/... or /apis/g/v/... then [namespaces/ns/]resource[/name]
    m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (!m) return notFound(req, res);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const namespace = m[4];
    const r = resources.find((x) => x.group === group && x.version === version && x.resource === m[5] && served(x));
    if (!r || (namespace !== undefined && !r.namespaced)) return notFound(req, res);
    const name = m[6];
    const verb = name ? 'get' : 'list';
    const groupRes = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (isForbidden(r, verb, namespace)) {
      const where = namespace !== undefined ? ` in the namespace "${namespace}"` : ' at the cluster scope';
      return send(
        req,
        res,
        403,
        status(403, 'Forbidden', `${name ? `${groupRes} "${name}"` : groupRes} is forbidden: User "${user}" cannot ${verb} resource "${r.resource}" in API group "${r.group}"${where}`, { ...(name ? { name } : {}), group: r.group, kind: r.resource }),
      );
    }
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const view = (o) => {
      const out = structuredClone(o);
      out.apiVersion = apiVersion;
      return out;
    };
    if (name) {
      const key = `${namespace ?? ''}/${name}`;
      const e = entriesOf(r.group, r.resource).find((x) => x.key === key && x.deleted === Infinity);
      if (!e) return send(req, res, 404, status(404, 'NotFound', `${groupRes} "${name}" not found`, { name, group: r.group, kind: r.resource }));
      return send(req, res, 200, view(e.obj));
    }
    return list(req, res, r, namespace, url.searchParams, view, apiVersion);
  }

  function notFound(req, res) {
    send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource', {}));
  }

  function list(req, res, r, namespace, q, view, apiVersion) {
    let reqs = [];
    const selector = q.get('labelSelector');
    if (selector) {
      try {
        reqs = parseSelector(selector);
      } catch (e) {
        return send(req, res, 400, status(400, 'BadRequest', e.message));
      }
    }
    const limit = q.has('limit') ? Number(q.get('limit')) : 0;
    let atRv = rv;
    let start = '';
    const cont = q.get('continue');
    if (cont) {
      let tok;
      try {
        tok = JSON.parse(Buffer.from(cont, 'base64').toString('utf8'));
      } catch {
        return send(req, res, 400, status(400, 'BadRequest', 'continue key is not valid: illegal base64 data'));
      }
      if (expireNext.delete(r.resource)) {
        rv++;
        compacted = rv;
      }
      if (tok.rv < compacted) {
        const fresh = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: -1, start: tok.start })).toString('base64');
        return send(req, res, 410, { ...status(410, 'Expired', EXPIRED_MESSAGE), metadata: { continue: fresh } });
      }
      atRv = tok.rv;
      start = tok.start;
    }
    const items = [];
    let next;
    let remaining = 0;
    for (const e of entriesSorted(r)) {
      if (e.created > atRv || e.deleted <= atRv) continue;
      if (e.key < start) continue;
      if (namespace !== undefined && e.obj.metadata.namespace !== namespace) continue;
      if (reqs.length && !matches(reqs, e.obj.metadata.labels)) continue;
      if (limit > 0 && items.length >= limit) {
        next ??= e.key;
        remaining++;
        continue;
      }
      const o = view(e.obj);
      if (!r.crd) {
        delete o.apiVersion;
        delete o.kind;
      }
      items.push(o);
    }
    const metadata = { resourceVersion: String(atRv) };
    if (next !== undefined) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: atRv, start: next })).toString('base64');
      if (!reqs.length) metadata.remainingItemCount = remaining;
    }
    send(req, res, 200, { kind: `${r.kind}List`, apiVersion, metadata, items });
  }

  const server = https.createServer({ key: pki.server.key, cert: pki.server.cert, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 5000 }, handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  const url = `https://127.0.0.1:${port}`;

  return {
    url,
    port,
    token,
    pki,
    requests,
    stats,
    ...control,
    /**
     * A kubeconfig entry for this server: `auth` 'token' (default), 'client-cert', 'exec' (a node
     * script printing an ExecCredential with the token) or 'none'.
     */
    kubeconfigEntry({ context, namespace, auth = 'token', user = `${context}-user`, caData = pki.ca.cert } = {}) {
      const cluster = { name: `${context}-cluster`, cluster: { server: url, 'certificate-authority-data': Buffer.from(caData).toString('base64') } };
      let u = {};
      if (auth === 'token') u = { token };
      else if (auth === 'client-cert') u = { 'client-certificate-data': Buffer.from(pki.client.cert).toString('base64'), 'client-key-data': Buffer.from(pki.client.key).toString('base64') };
      else if (auth === 'exec') {
        const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
        u = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`], interactiveMode: 'Never' } };
      }
      return { cluster, user: { name: user, user: u }, context: { name: context, context: { cluster: cluster.name, user, ...(namespace ? { namespace } : {}) } } };
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/** Writes a kubeconfig (YAML) with the given entries (from kubeconfigEntry) and current context. */
export function writeKubeconfig(path, entries, currentContext = entries[0]?.context.name) {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => e.cluster),
    users: entries.map((e) => e.user),
    contexts: entries.map((e) => e.context),
    'current-context': currentContext,
    preferences: {},
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
