// Shapes of the AAI objects this operator writes (ONAP AAI schema v24..v32, ../shared/aai-schema/aai_oxm_v32.xml).
// Field names are AAI's (kebab-case).

export interface RelationshipData {
  'relationship-key': string;
  'relationship-value': string;
}

export interface Relationship {
  'related-to': string;
  'relationship-label'?: string;
  'related-link': string;
  'relationship-data'?: RelationshipData[];
}

export interface RelationshipList {
  relationship: Relationship[];
}

export interface K8sResource {
  id: string;
  name: string;
  group: string;
  version: string;
  kind: string;
  namespace: string;
  labels?: string[];
  selflink: string;
  'data-owner'?: string;
  'data-source'?: string;
  'data-source-version'?: string;
  'resource-version'?: string;
  'relationship-list'?: RelationshipList;
}

export interface L3InterfaceIpv4Address {
  'l3-interface-ipv4-address': string;
  'l3-interface-ipv4-prefix-length'?: number;
}

export interface L3InterfaceIpv6Address {
  'l3-interface-ipv6-address': string;
  'l3-interface-ipv6-prefix-length'?: number;
}

export interface LInterface {
  'interface-name': string;
  'is-port-mirrored': boolean;
  'in-maint': boolean;
  'is-ip-unnumbered': boolean;
  'l2-multicasting': boolean;
  macaddr?: string;
  'network-name'?: string;
  'interface-role'?: string;
  'l3-interface-ipv4-address-list'?: L3InterfaceIpv4Address[];
  'l3-interface-ipv6-address-list'?: L3InterfaceIpv6Address[];
  'resource-version'?: string;
}

export interface Vserver {
  'vserver-id': string;
  'vserver-name': string;
  'vserver-name2'?: string;
  'prov-status'?: string;
  'vserver-selflink': string;
  'in-maint': boolean;
  'is-closed-loop-disabled': boolean;
  'data-owner'?: string;
  'data-source'?: string;
  'data-source-version'?: string;
  'resource-version'?: string;
  'relationship-list'?: RelationshipList;
  'l-interfaces'?: { 'l-interface': LInterface[] };
}

/** The only vf-module fields we touch, by merge-patch (SO owns the rest). */
export interface VfModuleStatusPatch {
  'operational-status': OperationalStatus;
}

export type OperationalStatus = 'in-service-path' | 'out-of-service-path';

/** Where an instance is recorded in AAI (spec.aai, with operator-wide defaults). */
export interface AaiTarget {
  cloudOwner: string;
  cloudRegion: string;
  tenantId: string;
  genericVnfId?: string;
  vfModuleId?: string;
  mapping: 'k8s-resource' | 'vserver' | 'all';
}

export interface AaiSettings {
  /** "v24" … "v32". */
  apiVersion: string;
  /** data-owner of the records we write (default rbi-operator). */
  dataOwner: string;
  /** Base URL of this operator's query API, for selflinks (e.g. http://rbi-operator.rbi-operator-system:8082). */
  selflinkBase: string;
}

/** One write of a sync, as AAI's /bulk/single-transaction takes it. */
export interface BulkOperation {
  action: 'put' | 'patch' | 'delete';
  /** Relative to /aai/<version>; deletes carry ?resource-version=. */
  uri: string;
  body?: unknown;
}
