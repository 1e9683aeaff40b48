import { describe, expect, it, vi } from 'vitest';
import { GraphQLRequestError, gql, onUnauthenticated, request } from '../../src/api/graphql-client';
import { fakeFetch } from '../support/fake-fetch';

describe('request', () => {
  it('posts JSON to /graphql and resolves with data', async () => {
    const { requests } = fakeFetch(() => ({ body: { data: { viewer: { name: 'ada' } } } }));

    const data = await request<{ viewer: { name: string } }>('query { viewer { name } }', { a: 1 });

    expect(data.viewer.name).toBe('ada');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/graphql');
    expect(requests[0]!.method).toBe('POST');
    // Apollo's CSRF prevention rejects anything that is not JSON.
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(requests[0]!.body).toEqual({ query: 'query { viewer { name } }', variables: { a: 1 } });
  });

  it.each(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED'])(
    'maps extensions.code %s into GraphQLRequestError.code',
    async (code) => {
      fakeFetch(() => ({ body: { data: null, errors: [{ message: `boom ${code}`, extensions: { code } }] } }));

      const error = await request('query { run(id: "x") { id } }').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(GraphQLRequestError);
      expect((error as GraphQLRequestError).code).toBe(code);
      expect((error as GraphQLRequestError).message).toBe(`boom ${code}`);
      expect((error as GraphQLRequestError).errors).toHaveLength(1);
    },
  );

  it('fails on errors even when partial data came back', async () => {
    fakeFetch(() => ({
      body: { data: { run: null }, errors: [{ message: 'Run not found', extensions: { code: 'NOT_FOUND' } }] },
    }));

    await expect(request('query { run(id: "x") { id } }')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tells the UNAUTHENTICATED listeners, and only for that code', async () => {
    const listener = vi.fn();
    const stop = onUnauthenticated(listener);
    fakeFetch(({ body }) =>
      (body as { query: string }).query.includes('secret')
        ? { status: 200, body: { errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }] } }
        : { body: { errors: [{ message: 'nope', extensions: { code: 'FORBIDDEN' } }] } },
    );

    await expect(request('query { other }')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(listener).not.toHaveBeenCalled();
    await expect(request('query { secret }')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
  });

  it('derives a code from the HTTP status when the body is not GraphQL', async () => {
    fakeFetch(() => ({ status: 401, text: '<html>Unauthorized</html>' }));
    await expect(request('query { a }')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    fakeFetch(() => ({ status: 502, text: 'Bad gateway' }));
    await expect(request('query { a }')).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('reports a network failure as NETWORK_ERROR', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const error = (await request('query { a }').catch((e: unknown) => e)) as GraphQLRequestError;

    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('Failed to fetch');
  });

  it('falls back to INTERNAL_SERVER_ERROR when an error has no code', async () => {
    fakeFetch(() => ({ body: { errors: [{ message: 'Unexpected' }] } }));
    await expect(request('query { a }')).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('gql', () => {
  it('returns the query text with interpolations', () => {
    const fields = 'id status';
    expect(gql`query { run(id: "x") { ${fields} } }`).toBe('query { run(id: "x") { id status } }');
  });
});
