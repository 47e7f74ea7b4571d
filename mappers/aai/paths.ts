// AAI URIs, relative to /aai/<version> (what bulk operations and related-links use) or absolute.
import type { AaiTarget } from './types.js';

/**
 * One path segment, percent-encoded. "." and ".." would still be resolved by URL parsers (also as %2E), so they are
 * refused here as well as at admission (CRD patterns); so is the empty segment.
 */
function seg(s: string): string {
  if (s === '' || s === '.' || s === '..') throw new Error(`not a valid AAI key: ${JSON.stringify(s)}`);
  return encodeURIComponent(s);
}

const cloudRegionPath = (t: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion'>) =>
  `/cloud-infrastructure/cloud-regions/cloud-region/${seg(t.cloudOwner)}/${seg(t.cloudRegion)}`;

const tenantPath = (t: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>) =>
  `${cloudRegionPath(t)}/tenants/tenant/${seg(t.tenantId)}`;

export const k8sResourcePath = (t: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>, id: string) =>
  `${tenantPath(t)}/k8s-resources/k8s-resource/${seg(id)}`;

export const vserverPath = (t: Pick<AaiTarget, 'cloudOwner' | 'cloudRegion' | 'tenantId'>, id: string) =>
  `${tenantPath(t)}/vservers/vserver/${seg(id)}`;

export const genericVnfPath = (vnfId: string) => `/network/generic-vnfs/generic-vnf/${seg(vnfId)}`;

export const vfModulePath = (vnfId: string, vfModuleId: string) =>
  `${genericVnfPath(vnfId)}/vf-modules/vf-module/${seg(vfModuleId)}`;

export const relationshipPath = (objectPath: string) => `${objectPath}/relationship-list/relationship`;

/** Absolute path for a related-link or a request: /aai/<version><relative path>. */
export const versioned = (apiVersion: string, relative: string) => `/aai/${apiVersion}${relative}`;
