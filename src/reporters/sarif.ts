/**
 * SARIF 2.1.0 (schemas/sarif/sarif-schema-2.1.0.json), shaped for GitHub code scanning: one
 * reporting descriptor per rule-table entry of every provider (plus one per other rule id that
 * occurs), and every result with a physical location relative to the repository root, since
 * GitHub refuses a whole log when one result has none. An object read from a cluster has no file:
 * its result is located at `cluster/<context>/<namespace>/<kind>/<name>`, line 1 (the region
 * GitHub requires), with the object as a logical location.
 */
import { createHash } from 'node:crypto';
import type { Finding, SourcePosition } from '../findings/finding.js';
import { PROVIDERS, RESOURCE_PROVIDERS } from '../providers/registry.js';
import type { RuleEntry } from '../providers/rules.js';
import { findingIdentity } from './baseline.js';
import { clusterObjectPath, clusterOf } from './clusters.js';
import { PROJECT_URL, TRANSLATION_DOCS_URL, providerDocsUrl, ruleDocsUrl } from './docs-links.js';
import { absolutePath, repoRelative } from './paths.js';
import { SCAN_INGRESS_RULE, SCAN_ISTIO_GATEWAY_RULE, SCAN_VIRTUAL_SERVICE_RULE } from './scan.js';
import { mdText } from './markdown.js';
import type { ReportFinding, ReportInput } from './types.js';

export const SARIF_SCHEMA_URI = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Finding['severity'], Level> = { error: 'error', warning: 'warning', info: 'note' };

/** Descriptions of the rule ids that are not rule-table entries but that scan itself reports. */
const SCAN_RULES: Record<string, { short: string; full: string; help: string; level: Level }> = {
  [SCAN_INGRESS_RULE]: {
    short: 'Ingress still to migrate',
    full: 'An Ingress that gateway-shift can convert to Gateway API; the message counts its controller annotations by what happens to them.',
    help: 'Convert it with `gateway-shift convert`, review the findings on it, and remove it once the Gateway API routes serve its traffic.',
    level: 'note',
  },
  [SCAN_VIRTUAL_SERVICE_RULE]: {
    short: 'Istio VirtualService still to migrate',
    full: 'An Istio VirtualService that gateway-shift converts to Gateway API routes (Gateway and mesh); the message counts its fields by what happens to them.',
    help: 'Convert it with `gateway-shift convert`, review the findings on it, and remove it once the Gateway API routes serve its traffic.',
    level: 'note',
  },
  [SCAN_ISTIO_GATEWAY_RULE]: {
    short: 'Istio Gateway still to migrate',
    full: 'An Istio Gateway that gateway-shift converts to a Gateway API Gateway; the message counts its fields by what happens to them.',
    help: 'Convert it with `gateway-shift convert`, move DNS to the new Gateway, and remove it once the Gateway API Gateway serves its traffic.',
    level: 'note',
  },
};

interface Descriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Level };
  properties: Record<string, unknown>;
}

/** `ingress-nginx/rewrite-target` -> `IngressNginxRewriteTarget` (SARIF's optional PascalCase name). */
function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** `Label: text` as Markdown with the label in bold. */
function boldLabel(line: string): string {
  const i = line.indexOf(': ');
  return i < 0 ? mdText(line) : `**${mdText(line.slice(0, i))}**: ${mdText(line.slice(i + 2))}`;
}

function entryLevel(r: RuleEntry): Level {
  if (r.status === 'translated' || r.status === 'ignored') return 'note';
  return r.protects ? 'error' : 'warning';
}

function tableDescriptor(providerId: string, providerName: string, r: RuleEntry): Descriptor {
  const eg = r.targets?.['envoy-gateway'];
  const fix = r.remediation ?? (r.status === 'translated' ? 'Nothing to do: gateway-shift translates it.' : 'See the rule table.');
  const helpLines = [
    `${r.key} (${providerName}): ${r.status}.`,
    `What ${providerName} does: ${r.behaviour}`,
    `Gateway API (${r.channel === 'none' ? 'no channel' : `${r.channel} channel`}): ${r.gatewayApi}`,
    ...(eg ? [`With --target envoy-gateway (${eg.status}): ${eg.result}`] : []),
    `Remediation: ${fix}`,
  ];
  const props: Record<string, unknown> = { tags: ['gateway-api-migration', providerId, r.status, ...(r.protects ? ['security'] : [])], precision: 'very-high' };
  // Untranslated path protection leaves the paths public: a security result on GitHub.
  if (r.protects) props['security-severity'] = '7.5';
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: `${r.key}: ${r.status}` },
    fullDescription: { text: `${r.behaviour} Gateway API: ${r.gatewayApi}` },
    help: { text: helpLines.join('\n'), markdown: helpLines.map(boldLabel).join('\n\n') },
    helpUri: ruleDocsUrl(providerId, r),
    defaultConfiguration: { level: entryLevel(r) },
    properties: props,
  };
}

function otherDescriptor(id: string, first: Finding): Descriptor {
  const known = SCAN_RULES[id];
  const providerId = id.slice(0, id.indexOf('/'));
  const provider = [...PROVIDERS, ...RESOURCE_PROVIDERS].find((p) => p.id === providerId);
  const help = known?.help ?? first.remediation ?? 'Read the message of the result.';
  const d: Descriptor = {
    id,
    name: pascal(id),
    shortDescription: { text: known?.short ?? id },
    fullDescription: { text: known?.full ?? `gateway-shift finding ${id}.` },
    help: { text: help, markdown: mdText(help) },
    defaultConfiguration: { level: known?.level ?? LEVEL[first.severity] },
    properties: { tags: ['gateway-api-migration', providerId], precision: 'very-high' },
  };
  d.helpUri = provider ? providerDocsUrl(provider.id) : TRANSLATION_DOCS_URL;
  return d;
}

/** Percent-encodes a relative POSIX path segment by segment (a SARIF uri is a URI, not a path). */
function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function fileUri(abs: string): string {
  return `file://${encodePath(abs)}`;
}

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A finding's file as a SARIF artifact location: relative to the repository root when under it. */
export function artifactLocation(file: string, paths: ReportInput['paths']): ArtifactLocation {
  const rel = repoRelative(file, paths);
  return rel === undefined ? { uri: fileUri(absolutePath(file, paths)) } : { uri: encodePath(rel), uriBaseId: SRCROOT };
}

function fingerprint(f: Finding, uri: string): string {
  return createHash('sha256')
    .update(findingIdentity({ ...f, position: { file: uri, line: 0, column: 0 } }))
    .digest('hex')
    .slice(0, 32);
}

export function buildSarif(input: ReportInput): Record<string, unknown> {
  const descriptors: Descriptor[] = [];
  const index = new Map<string, number>();
  for (const p of [...PROVIDERS, ...RESOURCE_PROVIDERS]) {
    for (const r of p.rules) {
      if (index.has(r.id)) continue;
      index.set(r.id, descriptors.length);
      descriptors.push(tableDescriptor(p.id, p.displayName, r));
    }
  }
  const others = new Map<string, Finding>();
  for (const f of input.findings) if (!index.has(f.ruleId) && !others.has(f.ruleId)) others.set(f.ruleId, f);
  for (const id of [...others.keys()].sort()) {
    index.set(id, descriptors.length);
    descriptors.push(otherDescriptor(id, others.get(id)!));
  }

  const anchor: SourcePosition = input.anchor ?? { file: 'gateway-shift-input', line: 1, column: 1 };
  const seen = new Map<string, number>();
  const results = input.findings.map((f: ReportFinding) => {
    const pos = f.position ?? anchor;
    const cluster = clusterOf(f, input.summary);
    // A cluster object: a path of its own (not under the repository), no lines.
    const artifact: ArtifactLocation = cluster ? { uri: clusterObjectPath(cluster.context, f.object).map(encodeURIComponent).join('/') } : artifactLocation(pos.file, input.paths);
    const region = cluster ? { startLine: 1, startColumn: 1 } : { startLine: pos.line ?? 1, startColumn: pos.column ?? 1 };
    const location: Record<string, unknown> = {
      physicalLocation: { artifactLocation: artifact, region },
    };
    if (f.object) {
      const o = f.object;
      location.logicalLocations = [{ fullyQualifiedName: `${o.kind}/${o.namespace ?? ''}/${o.name ?? ''}`, kind: 'resource' }];
    }
    const fp = fingerprint(f, artifact.uri);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    const text = (f.position ? f.message : `${f.message} (about the whole input)`) + (f.remediation ? `\nFix: ${f.remediation}` : '');
    const r: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text },
      locations: [location],
      partialFingerprints: { 'gatewayShiftFinding/v1': `${fp}:${n}` },
    };
    if (input.newFindings) r.baselineState = input.newFindings.has(f) ? 'new' : 'unchanged';
    const props: Record<string, unknown> = {};
    if (f.status) props.status = f.status;
    if (f.controller) props.controller = f.controller;
    if (f.field) props.field = f.field;
    if (cluster) props.context = cluster.context;
    if (cluster && f.object?.resourceVersion !== undefined) props.resourceVersion = f.object.resourceVersion;
    if (Object.keys(props).length) r.properties = props;
    return r;
  });

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'gateway-shift',
        version: input.toolVersion,
        informationUri: PROJECT_URL,
        rules: descriptors,
      },
    },
    columnKind: 'utf16CodeUnits',
    results,
    properties: { summary: input.summary },
  };
  if (input.paths) run.originalUriBaseIds = { [SRCROOT]: { uri: fileUri(input.paths.root.endsWith('/') ? input.paths.root : `${input.paths.root}/`) } };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function renderSarif(input: ReportInput): string {
  return JSON.stringify(buildSarif(input), null, 2) + '\n';
}
