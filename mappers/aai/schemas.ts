// JSON schemas of the AAI objects we write, authored from the AAI OXM (v24..v32; the cross-check against
// ../shared/aai-schema/aai_oxm_v32.xml is test/aai-oxm.test.ts). Every payload is validated against them before
// it is sent; additionalProperties is false so a misspelt field fails here, not in AAI.

/** The OXM java-type each schema describes, for the cross-check. */
export interface AaiSchema {
  oxmType: string;
  /** True when we send only some of the type's fields (merge-patch). */
  partial?: boolean;
  schema: Record<string, unknown>;
}

const str = { type: 'string' };
const nonEmpty = { type: 'string', minLength: 1 };
const bool = { type: 'boolean' };

const relationshipData = {
  type: 'object',
  additionalProperties: false,
  required: ['relationship-key', 'relationship-value'],
  properties: { 'relationship-key': nonEmpty, 'relationship-value': str },
};

const relationship = {
  type: 'object',
  additionalProperties: false,
  required: ['related-to', 'related-link'],
  properties: {
    'related-to': nonEmpty,
    'relationship-label': str,
    'related-link': { type: 'string', pattern: '^/aai/v[0-9]+/' },
    'relationship-data': { type: 'array', items: relationshipData },
  },
};

const relationshipList = {
  type: 'object',
  additionalProperties: false,
  required: ['relationship'],
  properties: { relationship: { type: 'array', items: relationship } },
};

const ipv4 = {
  type: 'object',
  additionalProperties: false,
  required: ['l3-interface-ipv4-address'],
  properties: {
    'l3-interface-ipv4-address': nonEmpty,
    'l3-interface-ipv4-prefix-length': { type: 'integer', minimum: 0, maximum: 32 },
    'resource-version': str,
  },
};

const ipv6 = {
  type: 'object',
  additionalProperties: false,
  required: ['l3-interface-ipv6-address'],
  properties: {
    'l3-interface-ipv6-address': nonEmpty,
    'l3-interface-ipv6-prefix-length': { type: 'integer', minimum: 0, maximum: 128 },
    'resource-version': str,
  },
};

const lInterface = {
  type: 'object',
  additionalProperties: false,
  required: ['interface-name', 'is-port-mirrored', 'in-maint', 'is-ip-unnumbered', 'l2-multicasting'],
  properties: {
    'interface-name': nonEmpty,
    'is-port-mirrored': bool,
    'in-maint': bool,
    'is-ip-unnumbered': bool,
    'l2-multicasting': bool,
    macaddr: str,
    'network-name': str,
    'interface-role': str,
    'resource-version': str,
    'l3-interface-ipv4-address-list': { type: 'array', items: ipv4 },
    'l3-interface-ipv6-address-list': { type: 'array', items: ipv6 },
  },
};

export const AAI_SCHEMAS = {
  'k8s-resource': {
    oxmType: 'K8sResource',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'group', 'version', 'kind', 'namespace', 'selflink'],
      properties: {
        id: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        name: nonEmpty,
        group: str,
        version: nonEmpty,
        kind: nonEmpty,
        namespace: str,
        labels: { type: 'array', items: str },
        selflink: nonEmpty,
        'data-owner': str,
        'data-source': str,
        'data-source-version': str,
        'resource-version': str,
        'relationship-list': relationshipList,
      },
    },
  },
  vserver: {
    oxmType: 'Vserver',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['vserver-id', 'vserver-name', 'vserver-selflink', 'in-maint', 'is-closed-loop-disabled'],
      properties: {
        'vserver-id': nonEmpty,
        'vserver-name': nonEmpty,
        'vserver-name2': str,
        'prov-status': str,
        'vserver-selflink': nonEmpty,
        'in-maint': bool,
        'is-closed-loop-disabled': bool,
        'data-owner': str,
        'data-source': str,
        'data-source-version': str,
        'resource-version': str,
        'relationship-list': relationshipList,
        'l-interfaces': {
          type: 'object',
          additionalProperties: false,
          properties: { 'l-interface': { type: 'array', items: lInterface } },
        },
      },
    },
  },
  'l-interface': { oxmType: 'LInterface', schema: lInterface },
  'l3-interface-ipv4-address-list': { oxmType: 'L3InterfaceIpv4AddressList', schema: ipv4 },
  'l3-interface-ipv6-address-list': { oxmType: 'L3InterfaceIpv6AddressList', schema: ipv6 },
  relationship: { oxmType: 'Relationship', schema: relationship },
  'relationship-data': { oxmType: 'RelationshipData', schema: relationshipData },
  'vf-module-status': {
    oxmType: 'VfModule',
    partial: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['operational-status'],
      properties: { 'operational-status': { type: 'string', enum: ['in-service-path', 'out-of-service-path'] } },
    },
  },
} as const satisfies Record<string, AaiSchema>;

export type AaiSchemaName = keyof typeof AAI_SCHEMAS;
