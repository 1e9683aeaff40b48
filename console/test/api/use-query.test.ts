import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useQuery } from '../../src/api/use-query';
import { fakeFetch } from '../support/fake-fetch';

describe('useQuery', () => {
  it('loads, exposes data, and re-runs when the variables change', async () => {
    const { requests } = fakeFetch(({ body }) => ({
      body: { data: { echo: (body as { variables: { n: number } }).variables.n } },
    }));
    const n = ref(1);
    const scope = effectScope();
    const state = scope.run(() =>
      useQuery<{ echo: number }>('query ($n: Int) { echo(n: $n) }', () => ({ n: n.value })),
    )!;

    expect(state.loading.value).toBe(true);
    await flushPromises();
    expect(state.loading.value).toBe(false);
    expect(state.data.value).toEqual({ echo: 1 });

    n.value = 2;
    await nextTick();
    await flushPromises();
    expect(state.data.value).toEqual({ echo: 2 });
    expect(requests).toHaveLength(2);
    scope.stop();
  });

  it('skips the request while the variables are null', async () => {
    const { requests } = fakeFetch(() => ({ body: { data: {} } }));
    const scope = effectScope();
    const state = scope.run(() => useQuery('query { a }', () => null))!;
    await flushPromises();
    expect(requests).toHaveLength(0);
    expect(state.loading.value).toBe(false);
    scope.stop();
  });

  it('exposes a typed error', async () => {
    fakeFetch(() => ({ body: { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] } }));
    const scope = effectScope();
    const state = scope.run(() => useQuery('query { a }'))!;
    await flushPromises();
    expect(state.error.value?.code).toBe('FORBIDDEN');
    expect(state.data.value).toBeUndefined();
    scope.stop();
  });
});
