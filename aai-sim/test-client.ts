// A small fetch-based AAI client for the simulator's tests: AAI's headers and credentials by default, any of them
// overridable, replies with the status and the parsed body.

/** Replies are read loosely: tests look deep into them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface AaiReply {
  status: number;
  body: LooseJson;
  headers: Headers;
}

export const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const AAI_HEADERS: Readonly<Record<string, string>> = {
  'x-fromappid': 'rbi-test',
  'x-transactionid': 'tx-test',
  accept: 'application/json',
  authorization: basicAuth('AAI', 'AAI'),
};

export interface CallOptions {
  body?: unknown;
  /** Replace or (with undefined) remove default headers. */
  headers?: Record<string, string | undefined>;
  query?: Record<string, string>;
}

export class TestAaiClient {
  constructor(
    readonly baseUrl: string,
    readonly version = 'v24',
  ) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<AaiReply> {
    const headers: Record<string, string> = { ...AAI_HEADERS };
    if (opts.body !== undefined)
      headers['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v === undefined) delete headers[k];
      else headers[k] = v;
    }
    const query = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const url = path.startsWith('/aai/') || path.startsWith('/__sim') ? path : `/aai/${this.version}${path}`;
    const res = await fetch(`${this.baseUrl}${url}${query}`, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    });
    const text = await res.text();
    let body: LooseJson = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers };
  }

  get(path: string, query?: Record<string, string>): Promise<AaiReply> {
    return this.call('GET', path, query ? { query } : {});
  }

  put(path: string, body: unknown): Promise<AaiReply> {
    return this.call('PUT', path, { body });
  }

  patch(path: string, body: unknown): Promise<AaiReply> {
    return this.call('PATCH', path, { body });
  }

  delete(path: string, resourceVersion?: string): Promise<AaiReply> {
    return this.call(
      'DELETE',
      path,
      resourceVersion !== undefined ? { query: { 'resource-version': resourceVersion } } : {},
    );
  }

  /** The current resource-version of an object (fails the test when it is missing). */
  async resourceVersion(path: string): Promise<string> {
    const r = await this.get(path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body['resource-version']);
  }

  bulk(operations: unknown[]): Promise<AaiReply> {
    return this.call('POST', '/bulk/single-transaction', { body: { operations } });
  }

  sim(method: string, endpoint: string, body?: unknown): Promise<AaiReply> {
    return this.call(method, `/__sim/${endpoint}`, body !== undefined ? { body } : {});
  }
}

/** The serviceException (or policyException) of an AAI error reply. */
export function exceptionOf(reply: AaiReply): { messageId: string; text: string; variables: string[] } {
  const e = reply.body?.requestError;
  const found = e?.serviceException ?? e?.policyException;
  if (!found) throw new Error(`not an AAI requestError (${reply.status}): ${JSON.stringify(reply.body)}`);
  return found;
}

/** The ERR.x.y.z (or 4.0.4009) code of an AAI error reply (not always last: see AAI_6110). */
export const errorCode = (reply: AaiReply): string =>
  exceptionOf(reply).variables.find((v) => /^(ERR\.)?\d+\.\d+\.\d+$/.test(v)) ?? '';

/** Paths and bodies of a small inventory: a region, a tenant, a VNF with a vf-module. */
export const fixture = {
  region: '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne',
  tenant: '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/t1',
  vnf: '/network/generic-vnfs/generic-vnf/vnf-1',
  vfModule: '/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
  k8sResource: (id: string) =>
    `/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/t1/k8s-resources/k8s-resource/${id}`,
  vserver: (id: string) =>
    `/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/RegionOne/tenants/tenant/t1/vservers/vserver/${id}`,
  k8sResourceBody: (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: `pod-${id}`,
    group: '',
    version: 'v1',
    kind: 'Pod',
    namespace: 'default',
    selflink: `http://rbi/${id}`,
    ...extra,
  }),
};

/** Creates region, tenant, generic-vnf and vf-module. */
export async function seedInventory(client: TestAaiClient): Promise<void> {
  const puts: Array<[string, unknown]> = [
    [fixture.region, { 'cloud-owner': 'CloudOwner', 'cloud-region-id': 'RegionOne' }],
    [fixture.tenant, { 'tenant-id': 't1', 'tenant-name': 'tenant one' }],
    [fixture.vnf, { 'vnf-id': 'vnf-1', 'vnf-type': 'cnf', 'vnf-name': 'my-vnf' }],
    [fixture.vfModule, { 'vf-module-id': 'vfm-1', 'heat-stack-id': 'rb-1' }],
  ];
  for (const [path, body] of puts) {
    const r = await client.put(path, body);
    if (r.status !== 201) throw new Error(`seed PUT ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
