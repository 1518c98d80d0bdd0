/**
 * ingress2gateway's Istio fixtures (../shared/corpus/peer-expected/ingress2gateway/istio, from
 * kubernetes-sigs/ingress2gateway pkg/i2gw/providers/istio/fixtures): for the same inputs, our
 * output and that tool's expected output are compared as routing (listeners, where routes attach,
 * and for each hostname and match the outcome: redirect, rewrite, backends with their share of
 * the requests; ReferenceGrants), not as text. Every difference is listed below with the reason
 * it is deliberate (docs/istio.md, "Compared with ingress2gateway"); any other difference fails.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { convert } from '../../src/convert.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { parseObjects, routingFacts } from './routing-facts.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'peer-expected', 'ingress2gateway', 'istio');
const validator = createValidator(loadSchemas(), 'standard');

/** Why each difference is deliberate: a fix of ingress2gateway's behaviour, with its source. */
const WHY = {
  weight0:
    'ingress2gateway copies the unset Istio weight (0) to backendRefs; in Gateway API a backend of weight 0 gets no request, while Istio sends every request to a single destination (virtual_service.proto HTTPRouteDestination.weight)',
  port: 'the destination has no port and its Service is not in the input: a Service backendRef needs a port (CEL "Must have port for Service reference", which refuses ingress2gateway\'s backendRefs too), so gateway-shift leaves the destination out with an error',
  parent: 'the Gateway is not in the input: ingress2gateway writes no parentRef (the route attaches nowhere); gateway-shift names the Gateway made from the Istio Gateway of that name',
  mesh: 'a VirtualService without gateways applies to the mesh: gateway-shift attaches its route to the Service (GAMMA) and grants the cross-namespace destination; ingress2gateway makes no mesh routes',
  redirectAuthority: 'redirect.authority replaces the host of the redirect (RequestRedirect hostname); ingress2gateway drops it',
  rewriteAuthority: 'rewrite.authority rewrites the Host header (URLRewrite hostname); ingress2gateway drops it',
  sourceLabels: 'the third match block is limited to client workloads (sourceLabels) and to gateway gw1 (match.gateways): it does not apply on my-gateway for every client, so it is left out; ingress2gateway keeps it for every request',
  plainHttp: 'Istio serves HTTP2 and GRPC servers as plain HTTP whatever their TLS settings (pilot gateway IsTLSServer: TLS only for non-HTTP protocols); ingress2gateway makes HTTPS listeners',
  tcpListener: 'Gateway API forbids a hostname on TCP listeners and two listeners with the same port, protocol and hostname; the two server hosts are one TCP listener',
  admission: 'the server host test.com has no namespace/ prefix, so Istio admitted VirtualServices of every namespace: allowedRoutes All. ingress2gateway leaves the default (Same) and adds a ReferenceGrant to the Gateway, which does not govern parentRefs (Gateway API: allowedRoutes does), so its route is not admitted',
} as const;

type Diff = { onlyTheirs: Record<string, keyof typeof WHY>; onlyOurs: Record<string, keyof typeof WHY> };

const EXPECTED: Record<string, Diff & { invalidTheirs: string[] }> = {
  '1-gateway.yaml': {
    onlyTheirs: {
      'listener test/my-gateway 8080/TCP/foo.example.com': 'tcpListener',
      'listener test/my-gateway 8144/HTTPS/http2.dev': 'plainHttp',
      'listener test/my-gateway 8181/HTTPS/*': 'plainHttp',
    },
    onlyOurs: {
      'listener test/my-gateway 8080/TCP/*': 'tcpListener',
      'listener test/my-gateway 8144/HTTP/http2.dev': 'plainHttp',
      'listener test/my-gateway 8181/HTTP/*': 'plainHttp',
    },
    invalidTheirs: ['Gateway my-gateway'],
  },
  '2-virtualservice-http.yaml': {
    onlyTheirs: {
      'attach HTTPRoute reviews.prod.svc.cluster.local,reviews.test.svc.cluster.local to nothing': 'parent',
      'http reviews.prod.svc.cluster.local Exact:/consumercatalog headers h2=RegularExpression:v3 query q2=RegularExpression:v4 -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.prod.svc.cluster.local PathPrefix:/wpcatalog headers h1=Exact:v1 query q1=Exact:v2 method GET -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.prod.svc.cluster.local RegularExpression:/catalog[0-9]+ -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'sourceLabels',
      'http reviews.test.svc.cluster.local Exact:/consumercatalog headers h2=RegularExpression:v3 query q2=RegularExpression:v4 -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.test.svc.cluster.local PathPrefix:/wpcatalog headers h1=Exact:v1 query q1=Exact:v2 method GET -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.test.svc.cluster.local RegularExpression:/catalog[0-9]+ -> redirect {path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'sourceLabels',
    },
    onlyOurs: {
      'attach HTTPRoute reviews.prod.svc.cluster.local,reviews.test.svc.cluster.local to Gateway test/my-gateway (not in the output)': 'parent',
      'http reviews.prod.svc.cluster.local Exact:/consumercatalog headers h2=RegularExpression:v3 query q2=RegularExpression:v4 -> redirect {hostname:newratings.default.svc.cluster.local,path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.prod.svc.cluster.local PathPrefix:/wpcatalog headers h1=Exact:v1 query q1=Exact:v2 method GET -> redirect {hostname:newratings.default.svc.cluster.local,path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.test.svc.cluster.local Exact:/consumercatalog headers h2=RegularExpression:v3 query q2=RegularExpression:v4 -> redirect {hostname:newratings.default.svc.cluster.local,path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
      'http reviews.test.svc.cluster.local PathPrefix:/wpcatalog headers h1=Exact:v1 query q1=Exact:v2 method GET -> redirect {hostname:newratings.default.svc.cluster.local,path:{replaceFullPath:/v1/bookRatings,type:ReplaceFullPath},port:8080,scheme:http,statusCode:302}': 'redirectAuthority',
    },
    invalidTheirs: ['HTTPRoute reviews-route-mirrors-match', 'HTTPRoute reviews-route-v2'],
  },
  '3-virtualservice-tls.yaml': {
    onlyTheirs: {
      'attach TLSRoute login.bookinfo.com to nothing': 'parent',
      'attach TLSRoute reviews.bookinfo.com to nothing': 'parent',
      'tls login.bookinfo.com -> none': 'port',
      'tls reviews.bookinfo.com -> none': 'port',
    },
    onlyOurs: {},
    invalidTheirs: ['TLSRoute reviews-route-idx-0', 'TLSRoute reviews-route-idx-1'],
  },
  '4-virtualservice-tcp.yaml': {
    onlyTheirs: { 'attach TCPRoute login.bookinfo.com to nothing': 'mesh', 'tcp * -> none': 'weight0' },
    onlyOurs: {
      'attach TCPRoute * to Service prod/mongo:27017': 'mesh',
      'grant TCPRoute from prod to Service backup/mongo': 'mesh',
      'tcp * -> backup/mongo:5555@1.00': 'weight0',
    },
    invalidTheirs: ['TCPRoute bookinfo-mongo-idx-0'],
  },
  '5-referencegrants.yaml': {
    onlyTheirs: {
      'attach HTTPRoute test.com to Gateway prod/my-gateway: not admitted': 'admission',
      'grant HTTPRoute from custom-ns to Gateway prod/my-gateway': 'admission',
      'http test.com PathPrefix:/ -> prod/test@1.00': 'port',
    },
    onlyOurs: { 'attach HTTPRoute test.com to Gateway prod/my-gateway: accepted': 'admission', 'http test.com PathPrefix:/ -> none': 'port' },
    invalidTheirs: ['HTTPRoute reviews-route-idx-0'],
  },
  '6-virtualservice-http-rewrite.yaml': {
    onlyTheirs: {
      'attach HTTPRoute reviews.prod.svc.cluster.local to nothing': 'parent',
      'attach HTTPRoute reviews.test.svc.cluster.local to nothing': 'parent',
      'http reviews.prod.svc.cluster.local Exact:/consumercatalog -> none rewrite {path:{replaceFullPath:/newcatalog,type:ReplaceFullPath}}': 'rewriteAuthority',
      'http reviews.prod.svc.cluster.local PathPrefix:/wpcatalog -> none rewrite {path:{replacePrefixMatch:/newcatalog,type:ReplacePrefixMatch}}': 'rewriteAuthority',
      'http reviews.prod.svc.cluster.local RegularExpression:/catalog[0-9]+ -> none rewrite {path:{replaceFullPath:/newcatalog,type:ReplaceFullPath}}': 'rewriteAuthority',
      'http reviews.test.svc.cluster.local PathPrefix:/ headers h1=Exact:v1 -> none rewrite {path:{replacePrefixMatch:/newcatalog,type:ReplacePrefixMatch}}': 'rewriteAuthority',
    },
    onlyOurs: {
      'attach HTTPRoute reviews.prod.svc.cluster.local to Gateway test/my-gateway (not in the output)': 'parent',
      'attach HTTPRoute reviews.test.svc.cluster.local to Gateway test/my-gateway (not in the output)': 'parent',
      'http reviews.prod.svc.cluster.local Exact:/consumercatalog -> none rewrite {hostname:test,path:{replaceFullPath:/newcatalog,type:ReplaceFullPath}}': 'rewriteAuthority',
      'http reviews.prod.svc.cluster.local PathPrefix:/wpcatalog -> none rewrite {hostname:test,path:{replacePrefixMatch:/newcatalog,type:ReplacePrefixMatch}}': 'rewriteAuthority',
      'http reviews.prod.svc.cluster.local RegularExpression:/catalog[0-9]+ -> none rewrite {hostname:test,path:{replaceFullPath:/newcatalog,type:ReplaceFullPath}}': 'rewriteAuthority',
      'http reviews.test.svc.cluster.local PathPrefix:/ headers h1=Exact:v1 -> none rewrite {hostname:test,path:{replacePrefixMatch:/newcatalog,type:ReplacePrefixMatch}}': 'rewriteAuthority',
    },
    invalidTheirs: ['HTTPRoute no-uri-matches-route-prefix-match', 'HTTPRoute virtualservice-test', 'HTTPRoute virtualservice-test-prefix-match'],
  },
  '7-virtualservice-http-cors.yaml': {
    onlyTheirs: {
      'attach HTTPRoute bookinfo.example.com to nothing': 'parent',
      'http bookinfo.example.com PathPrefix:/api -> none': 'weight0',
      'http bookinfo.example.com PathPrefix:/productpage -> none': 'weight0',
    },
    onlyOurs: {
      'attach HTTPRoute bookinfo.example.com to Gateway bookinfo/bookinfo-gateway (not in the output)': 'parent',
      'http bookinfo.example.com PathPrefix:/api -> bookinfo/api:8080@1.00': 'weight0',
      'http bookinfo.example.com PathPrefix:/productpage -> bookinfo/productpage:9080@1.00': 'weight0',
    },
    invalidTheirs: ['HTTPRoute cors-all-fields'],
  },
};

const files = readdirSync(join(dir, 'input')).sort();

describe('ingress2gateway Istio fixtures, compared by routing', () => {
  it('covers every fixture pair', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(readdirSync(join(dir, 'output')).sort()).toEqual(files);
  });

  describe.each(files)('%s', (file) => {
    const { documents } = parseSource(readFileSync(join(dir, 'input', file), 'utf8'), file);
    const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared' }, validator);
    const theirObjects = parseObjects(readFileSync(join(dir, 'output', file), 'utf8'));
    const ours = routingFacts(result.objects);
    const theirs = routingFacts(theirObjects);
    const expected = EXPECTED[file]!;

    it('writes only valid Gateway API objects (the peer output objects Gateway API refuses are listed)', () => {
      expect(result.stats.invalidObjects).toBe(0);
      const invalid = theirObjects
        .filter((o) => validator.validate(o as never).length > 0)
        .map((o) => `${String(o.kind)} ${String((o.metadata as { name?: string }).name)}`)
        .sort();
      expect(invalid).toEqual(expected.invalidTheirs);
    });

    it('routes the same requests to the same backends, except for the documented fixes', () => {
      expect(theirs.filter((f) => !ours.includes(f))).toEqual(Object.keys(expected.onlyTheirs).sort());
      expect(ours.filter((f) => !theirs.includes(f))).toEqual(Object.keys(expected.onlyOurs).sort());
      for (const why of [...Object.values(expected.onlyTheirs), ...Object.values(expected.onlyOurs)]) expect(WHY[why]).toBeDefined();
    });
  });
});
