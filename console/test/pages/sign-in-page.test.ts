import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import SignInPage from '../../src/pages/SignInPage.vue';
import { fakeFetch } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';

describe('SignInPage', () => {
  beforeEach(() => useSession().forget());

  it('shows an error message and stays on the page when the token is refused', async () => {
    const { requests } = fakeFetch(({ method }) =>
      method === 'GET' ? { status: 401, body: { message: 'no session' } } : { status: 401, body: { message: 'bad' } },
    );
    const router = await testRouter('/sign-in?redirect=/runs');
    const wrapper = mount(SignInPage, { global: { plugins: [router] }, attachTo: document.body });
    await flushPromises();

    await wrapper.get('input#sign-in-token').setValue('weir_wrong');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('This token was not accepted');
    expect(wrapper.get('input').attributes('aria-invalid')).toBe('true');
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({ token: 'weir_wrong' });
    expect(router.currentRoute.value.path).toBe('/sign-in');
    wrapper.unmount();
  });

  it('asks for a token before calling the server', async () => {
    const { requests } = fakeFetch(() => ({ status: 401 }));
    const wrapper = mount(SignInPage, { global: { plugins: [await testRouter('/sign-in')] } });
    await flushPromises();

    await wrapper.get('form').trigger('submit');

    expect(wrapper.get('[role="alert"]').text()).toContain('Paste your API token first');
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('goes back to the page it came from after signing in', async () => {
    fakeFetch(({ method }) =>
      method === 'GET' ? { status: 401 } : { body: { tokenId: 't', name: 'ana', role: 'viewer' } },
    );
    const router = await testRouter('/sign-in?redirect=/runs%3Fstatus%3DFAILED');
    const wrapper = mount(SignInPage, { global: { plugins: [router] } });
    await flushPromises();

    await wrapper.get('input').setValue('weir_good');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/runs?status=FAILED');
  });

  it('refuses to redirect to another site', async () => {
    fakeFetch(({ method }) =>
      method === 'GET' ? { status: 401 } : { body: { tokenId: 't', name: 'ana', role: 'viewer' } },
    );
    const router = await testRouter('/sign-in?redirect=//evil.test/x');
    const wrapper = mount(SignInPage, { global: { plugins: [router] } });
    await flushPromises();
    await wrapper.get('input').setValue('weir_good');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
  });
});
