/** The output-folder planner (src/writers/output-tree.ts) as a pure function. */
import type { KubeObject } from '../../src/inputs/document.js';
import { GENERATED_HEADER, SHARED_FILE, planOutputTree, type IngressPlace } from '../../src/writers/output-tree.js';

const route = (name: string, namespace: string, sources: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace, annotations: { 'gateway-shift.io/sources': sources } },
});
const places = new Map<string, IngressPlace>([
  ['Ingress/a/one', { file: 'a/one.yaml', namespace: 'a' }],
  ['Ingress/a/two', { file: 'a/one.yaml', namespace: 'a' }],
  ['Ingress/b/three', { file: 'b/three.yaml', namespace: 'b' }],
  ['Ingress//bare', { file: 'bare.yaml', namespace: 'default' }],
]);
const where = (objects: KubeObject[], kustomized: string[] = []) =>
  Object.fromEntries(planOutputTree({ objects, layout: 'mirror', ingresses: places, kustomized: new Set(kustomized) }).map((f) => [f.path, f.objects || f.content.slice(GENERATED_HEADER.length)]));

describe('mirror layout', () => {
  it('keeps an object with its Ingresses when they share a file and its namespace', () => {
    expect(where([route('r', 'a', 'Ingress/a/one, Ingress/a/two'), route('s', 'default', 'Ingress//bare')])).toEqual({ 'a/one.yaml': 1, 'bare.yaml': 1 });
  });

  it('sends objects from several files, from another namespace or with a shortened source list to the shared file', () => {
    expect(where([route('r', 'a', 'Ingress/a/one, Ingress/b/three')])).toEqual({ [SHARED_FILE]: 1 });
    expect(where([route('r', 'gateway-system', 'Ingress/a/one')])).toEqual({ [SHARED_FILE]: 1 });
    expect(where([route('r', 'a', 'Ingress/a/one, Ingress/a/two and 11 more')])).toEqual({ [SHARED_FILE]: 1 });
    expect(where([route('r', 'a', 'Ingress/x/unknown')])).toEqual({ [SHARED_FILE]: 1 });
    expect(where([{ ...route('g', 'a', 'Ingress/a/one'), kind: 'Gateway' }])).toEqual({ [SHARED_FILE]: 1 });
  });

  it('lists each file in its nearest kustomization, and kustomized folders in their parent\u2019s', () => {
    const plan = where([route('r', 'a', 'Ingress/a/one'), route('t', 'b', 'Ingress/b/three'), route('s', 'default', 'Ingress//bare')], ['', 'a']);
    expect(plan['kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a\n  - b/three.yaml\n  - bare.yaml\n');
    expect(plan['a/kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - one.yaml\n');
  });

  it('writes no kustomization for a folder with nothing new under it', () => {
    expect(Object.keys(where([route('r', 'a', 'Ingress/a/one')], ['b']))).toEqual(['a/one.yaml']);
  });
});
