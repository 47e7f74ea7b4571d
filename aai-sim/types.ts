// The AAI object types the simulator serves, with their properties, keys, parents and child slots. Authored from
// ../shared/design/onap-aai.md §3.1 (AAI schema v24..v32); only the simple properties and the child containers the
// simulator models are listed, so anything else in a body is refused as an unrecognized property.

export type NodeTypeName =
  | 'cloud-region'
  | 'tenant'
  | 'k8s-resource'
  | 'vserver'
  | 'l-interface'
  | 'l3-interface-ipv4-address-list'
  | 'l3-interface-ipv6-address-list'
  | 'generic-vnf'
  | 'vf-module'
  | 'vnfc';

export type PropKind = 'string' | 'boolean' | 'integer' | 'string-list';

export interface PropRule {
  kind: PropKind;
  required?: boolean;
  /** Filled in when a required property is missing (AAI's writeThroughDefaults). */
  default?: boolean;
}

/**
 * Where children of one type sit in their parent's JSON and URI. "container": `{"l-interfaces":{"l-interface":[…]}}`
 * and `/l-interfaces/l-interface/{key}`; children the body leaves out are deleted on replace. "list":
 * `{"l3-interface-ipv4-address-list":[…]}` and `/l3-interface-ipv4-address-list/{key}`; AAI never deletes the
 * unlisted ones.
 */
export interface ChildSlot {
  type: NodeTypeName;
  property: string;
  style: 'container' | 'list';
}

export interface NodeTypeRule {
  name: NodeTypeName;
  /** Key properties in URI order (two for cloud-region). */
  keys: readonly string[];
  /** Top-level types only: the URI before `/<name>/{keys}`, e.g. /network/generic-vnfs. */
  collectionPath?: string;
  props: Readonly<Record<string, PropRule>>;
  children: readonly ChildSlot[];
  /** Shown as related-to-property in the other end's relationship-list. */
  nameProp?: string;
  /** Child types whose presence blocks deleting this node (prevent-delete edge rules). */
  preventDeleteWhileHas?: readonly NodeTypeName[];
}

const str: PropRule = { kind: 'string' };
const required: PropRule = { kind: 'string', required: true };
const bool: PropRule = { kind: 'boolean' };
const int: PropRule = { kind: 'integer' };
const flag = (dflt: boolean): PropRule => ({ kind: 'boolean', required: true, default: dflt });
const dataProps = { 'data-owner': str, 'data-source': str, 'data-source-version': str };
const modelProps = { 'model-invariant-id': str, 'model-version-id': str, 'model-customization-id': str };

const container = (type: NodeTypeName, property: string): ChildSlot => ({ type, property, style: 'container' });
const list = (type: NodeTypeName): ChildSlot => ({ type, property: type, style: 'list' });
const l3Lists = [list('l3-interface-ipv4-address-list'), list('l3-interface-ipv6-address-list')];

const l3AddressProps = {
  'vlan-id-inner': int,
  'vlan-id-outer': int,
  'is-floating': bool,
  'neutron-network-id': str,
  'neutron-subnet-id': str,
  ...dataProps,
};

const TYPES: readonly NodeTypeRule[] = [
  {
    name: 'cloud-region',
    keys: ['cloud-owner', 'cloud-region-id'],
    collectionPath: '/cloud-infrastructure/cloud-regions',
    props: {
      'cloud-owner': required,
      'cloud-region-id': required,
      'cloud-type': str,
      'owner-defined-type': str,
      'cloud-region-version': str,
      'identity-url': str,
      'cloud-zone': str,
      'complex-name': str,
      'sriov-automation': str,
      'cloud-extra-info': str,
      'cloud-function': str,
      'cloud-role': str,
      status: str,
      'upgrade-cycle': str,
      'orchestration-disabled': flag(false),
      'in-maint': flag(false),
      ...dataProps,
    },
    children: [container('tenant', 'tenants')],
    nameProp: 'owner-defined-type',
    preventDeleteWhileHas: ['tenant'],
  },
  {
    name: 'tenant',
    keys: ['tenant-id'],
    props: {
      'tenant-id': required,
      'tenant-name': required,
      'tenant-context': str,
      'parent-id': str,
      'production-state': str,
      'support-model': str,
      ...dataProps,
    },
    children: [container('vserver', 'vservers'), container('k8s-resource', 'k8s-resources')],
    nameProp: 'tenant-name',
    preventDeleteWhileHas: ['vserver', 'k8s-resource'],
  },
  {
    // The OXM's requiredProps also names "description", which is no attribute (a schema quirk): not enforced.
    name: 'k8s-resource',
    keys: ['id'],
    props: {
      id: required,
      name: required,
      group: required,
      version: required,
      kind: required,
      namespace: required,
      labels: { kind: 'string-list' },
      selflink: required,
      ...dataProps,
    },
    children: [],
    nameProp: 'name',
  },
  {
    name: 'vserver',
    keys: ['vserver-id'],
    props: {
      'vserver-id': required,
      'vserver-name': required,
      'vserver-name2': str,
      'prov-status': str,
      'vserver-selflink': required,
      'in-maint': flag(false),
      'is-closed-loop-disabled': flag(false),
      numa: str,
      'operational-status': str,
      ...dataProps,
    },
    children: [container('l-interface', 'l-interfaces')],
    nameProp: 'vserver-name',
  },
  {
    name: 'l-interface',
    keys: ['interface-name'],
    props: {
      'interface-name': required,
      'interface-role': str,
      'v6-wan-link-ip': str,
      selflink: str,
      'interface-id': str,
      macaddr: str,
      'network-name': str,
      'management-option': str,
      'interface-description': str,
      'interface-type': str,
      'is-port-mirrored': flag(false),
      'in-maint': flag(false),
      'prov-status': str,
      'is-ip-unnumbered': flag(false),
      'allowed-address-pairs': str,
      priority: int,
      'ops-note': str,
      'interface-function': str,
      'l2-multicasting': flag(false),
      mtu: str,
      'admin-status': str,
      'netflow-enabled': bool,
      ...dataProps,
    },
    children: l3Lists,
  },
  {
    name: 'l3-interface-ipv4-address-list',
    keys: ['l3-interface-ipv4-address'],
    props: { 'l3-interface-ipv4-address': required, 'l3-interface-ipv4-prefix-length': int, ...l3AddressProps },
    children: [],
  },
  {
    name: 'l3-interface-ipv6-address-list',
    keys: ['l3-interface-ipv6-address'],
    props: { 'l3-interface-ipv6-address': required, 'l3-interface-ipv6-prefix-length': int, ...l3AddressProps },
    children: [],
  },
  {
    name: 'generic-vnf',
    keys: ['vnf-id'],
    collectionPath: '/network/generic-vnfs',
    props: {
      'vnf-id': required,
      'vnf-instance-id': str,
      'vnf-name': str,
      'vnf-name2': str,
      'vnf-type': required,
      'service-id': str,
      'regional-resource-zone': str,
      'prov-status': str,
      'operational-status': str,
      'license-key': str,
      'equipment-role': str,
      'orchestration-status': str,
      'vnf-package-name': str,
      'vnf-discriptor-name': str,
      'job-id': str,
      'heat-stack-id': str,
      'mso-catalog-key': str,
      'management-option': str,
      'ipv4-oam-address': str,
      'ipv4-loopback0-address': str,
      'nm-lan-v6-address': str,
      'management-v6-address': str,
      vcpu: int,
      'vcpu-units': str,
      vmemory: int,
      'vmemory-units': str,
      vdisk: int,
      'vdisk-units': str,
      nshd: int,
      nvm: int,
      nnet: int,
      'in-maint': flag(false),
      'is-closed-loop-disabled': flag(false),
      'summary-status': str,
      'encrypted-access-flag': bool,
      ...modelProps,
      'persona-model-version': str,
      'widget-model-id': str,
      'widget-model-version': str,
      'as-number': str,
      'regional-resource-subzone': str,
      'nf-type': str,
      'nf-function': str,
      'nf-role': str,
      'nf-naming-code': str,
      selflink: str,
      'ipv4-oam-gateway-address': str,
      'ipv4-oam-gateway-address-prefix-length': int,
      'vlan-id-outer': int,
      'nm-profile-name': str,
      ...dataProps,
    },
    children: [container('vf-module', 'vf-modules'), container('l-interface', 'l-interfaces')],
    nameProp: 'vnf-name',
  },
  {
    name: 'vf-module',
    keys: ['vf-module-id'],
    props: {
      'vf-module-id': required,
      'vf-module-name': str,
      'heat-stack-id': str,
      'orchestration-status': str,
      'is-base-vf-module': flag(false),
      'automated-assignment': flag(false),
      ...modelProps,
      'persona-model-version': str,
      'widget-model-id': str,
      'widget-model-version': str,
      'contrail-service-instance-fqdn': str,
      'module-index': int,
      selflink: str,
      'operational-status': str,
      ...dataProps,
    },
    children: [],
    nameProp: 'vf-module-name',
  },
  {
    name: 'vnfc',
    keys: ['vnfc-name'],
    collectionPath: '/network/vnfcs',
    props: {
      'vnfc-name': required,
      'nfc-naming-code': required,
      'nfc-function': required,
      'prov-status': str,
      'orchestration-status': str,
      'ipaddress-v4-oam-vip': str,
      'in-maint': flag(false),
      'is-closed-loop-disabled': flag(false),
      'group-notation': str,
      ...modelProps,
      ...dataProps,
    },
    children: l3Lists,
  },
];

const BY_NAME: ReadonlyMap<string, NodeTypeRule> = new Map(TYPES.map((t) => [t.name, t]));

export function nodeType(name: NodeTypeName): NodeTypeRule {
  return BY_NAME.get(name)!;
}

export function isNodeTypeName(name: string): name is NodeTypeName {
  return BY_NAME.has(name);
}

export const topLevelTypes = (): NodeTypeRule[] => TYPES.filter((t) => t.collectionPath !== undefined);

/** The types that can contain `type` (l-interface hangs under a vserver or a generic-vnf). */
export const parentTypesOf = (type: NodeTypeName): NodeTypeName[] =>
  TYPES.filter((t) => t.children.some((c) => c.type === type)).map((t) => t.name);

/** The slot through which `child` hangs under `parent`, if it can. */
function childSlot(parent: NodeTypeName, child: NodeTypeName): ChildSlot | undefined {
  return nodeType(parent).children.find((c) => c.type === child);
}

/** True when one type is the other's parent: such pairs are containment, not relationships. */
export function isContainmentPair(a: NodeTypeName, b: NodeTypeName): boolean {
  return childSlot(a, b) !== undefined || childSlot(b, a) !== undefined;
}
