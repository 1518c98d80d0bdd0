/**
 * IngressGroups (pkg/ingress/group_loader.go at v3.5.0): the Ingresses with one group name are
 * one ALB, whatever their namespaces; the group of the IngressClassParams of the Ingress's class
 * wins over the annotation; an Ingress without a group is an ALB of its own. Members are ordered
 * by group.order (default 0, from -1000 to 1000), then by namespace/name.
 */
import type { SourceDocument } from '../../inputs/document.js';
import type { IngressModel } from '../common/ingress-model.js';
import type { GatewayGroup, InputLookup } from '../types.js';
import { isObject, parseInt32, type Json } from './parse.js';
import { ALB_PREFIX } from './rules.js';

export const INGRESS_CLASS_PARAMS_GROUP = 'elbv2.k8s.aws';
/** groupNameRegex: lower-case alphanumerics, - and ., starting and ending alphanumeric. */
const GROUP_NAME = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

export function invalidGroupName(name: string): string | undefined {
  if (!GROUP_NAME.test(name)) return 'a group name is lower-case letters, digits, - and ., starting and ending with a letter or digit';
  if (name.length > 63) return 'a group name has at most 63 characters';
  return undefined;
}

/** The IngressClassParams of the Ingress's class, when the IngressClass and it are in the input. */
export function classParams(m: IngressModel, input: InputLookup): { doc: SourceDocument; spec: Record<string, Json> } | undefined {
  if (!m.className) return undefined;
  const cls = input.find('networking.k8s.io', 'IngressClass', m.className);
  const spec = cls?.object.spec;
  const params = isObject(spec) ? spec.parameters : undefined;
  if (!isObject(params) || params.apiGroup !== INGRESS_CLASS_PARAMS_GROUP || params.kind !== 'IngressClassParams' || typeof params.name !== 'string') return undefined;
  const doc = input.find(INGRESS_CLASS_PARAMS_GROUP, 'IngressClassParams', params.name);
  if (!doc) return undefined;
  return { doc, spec: isObject(doc.object.spec) ? doc.object.spec : {} };
}

/** Where an Ingress's group comes from. */
export type GroupSource = { from: 'params'; name: string; doc: SourceDocument } | { from: 'annotation'; name: string } | { from: 'none' };

export function groupSource(m: IngressModel, input: InputLookup): GroupSource {
  const params = classParams(m, input);
  const g = params ? params.spec.group : undefined;
  if (params && isObject(g) && typeof g.name === 'string') return { from: 'params', name: g.name, doc: params.doc };
  const a = m.annotations[`${ALB_PREFIX}group.name`];
  if (typeof a === 'string') return { from: 'annotation', name: a };
  return { from: 'none' };
}

/** The provider's gatewayGroup hook: one Gateway per explicit group, one per Ingress otherwise. */
export function gatewayGroup(m: IngressModel, input: InputLookup): GatewayGroup {
  const g = groupSource(m, input);
  // An invalid name makes the controller leave the Ingress out of every group; it is reported
  // by the provider and translated as a load balancer of its own.
  if (g.from !== 'none' && invalidGroupName(g.name) === undefined) return { id: g.name, name: g.name };
  return { id: `${m.namespace}/${m.name}`, name: m.name };
}

/** group.order of an Ingress: the value, or an error message (the controller stops the group). */
export function groupOrder(m: IngressModel): { order: number; error?: string } {
  const raw = m.annotations[`${ALB_PREFIX}group.order`];
  if (raw === undefined) return { order: 0 };
  const n = parseInt32(raw);
  if (n === undefined) return { order: 0, error: `"${raw}" is not a whole number` };
  if (n < -1000 || n > 1000) return { order: 0, error: `${n} is outside [-1000, 1000]` };
  return { order: n };
}

/** sortGroupMembers: by order, then by namespace/name. */
export function sortMembers(members: readonly IngressModel[]): IngressModel[] {
  const keyed = members.map((m) => ({ m, o: groupOrder(m).order, k: `${m.namespace}/${m.name}` }));
  keyed.sort((a, b) => a.o - b.o || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.m);
}
