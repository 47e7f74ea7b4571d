// What the query routes answer when the API server refuses the live read: its 400 is the client's, its 403 the
// operator's RBAC (said so), a vanished kind 404; anything else stays an internal error.
import { describe, expect, test } from '@jest/globals';
import { fakeResourceOf } from '../../test/support/fake-live-reads.js';
import type { KubeClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { ApiAuthorizer } from './auth.js';
import { HttpError } from './http-error.js';
import { QueryRoutes } from './query-routes.js';

const routes = (err: Error) =>
  new QueryRoutes(
    {
      instances: () => [],
      idOwner: () => undefined,
      evaluate: () => undefined,
      resourceOf: async (g, v, k) => fakeResourceOf(g, v, k),
      list: async () => {
        throw err;
      },
      get: async () => undefined,
      grantsKind: () => true,
    },
    new ApiAuthorizer('none', {} as KubeClient),
  );

const query = new URLSearchParams('CloudRegion=r&ApiVersion=apps/v1&Kind=Deployment');

describe('query routes: refused live reads', () => {
  test.each([
    [400, 400, 'list deployments.apps in all namespaces: HTTP 400 BadRequest: unable to parse requirement'],
    [403, 403, 'the operator may not read deployments.apps (its ClusterRole does not grant it): ask its admin'],
    [404, 404, 'the cluster does not serve deployments.apps'],
  ])('API server %i → %i', async (upstream, code, message) => {
    const detail = upstream === 400 ? 'unable to parse requirement' : 'no';
    const err = new KubeApiError(
      'list',
      'deployments.apps in all namespaces',
      upstream,
      upstream === 400 ? 'BadRequest' : 'X',
      detail,
    );
    const answer = routes(err).clusterQuery(undefined, query);
    await expect(answer).rejects.toBeInstanceOf(HttpError);
    await expect(answer).rejects.toMatchObject({ code, message });
  });

  test('another failure is not the client’s: it propagates (a 500 with an error id)', async () => {
    const err = new KubeApiError('list', 'x', 0, 'connection failed', 'ECONNRESET');
    await expect(routes(err).clusterQuery(undefined, query)).rejects.toBe(err);
  });
});
