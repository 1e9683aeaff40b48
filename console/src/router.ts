/**
 * The console's routes. Every page keeps its state in the URL query (filters, cursors, the
 * selected step), so any view can be shared as a link.
 *
 * - `/` lineage (`?focus=<key>`, `?search=<text>`), `/assets/:key(.*)` an asset (keys contain `/`);
 * - `/runs` (`?status=&asset=&trigger=&from=&to=&cursor=&trail=`), `/runs/:id` (`?step=`);
 * - `/backfills`, `/freshness` (`?owner=&group=&status=`), `/sign-in` (`?redirect=`).
 *
 * Pages are loaded on demand: the lineage pulls in Cytoscape, which the runs pages do not need.
 * Every route except the sign-in page requires a session; an UNAUTHENTICATED API error anywhere
 * sends the user to the sign-in page and back afterwards.
 */
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router';
import { onUnauthenticated } from './api/graphql-client';
import { useSession } from './api/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The document title (the page may refine it). */
    title?: string;
    /** Reachable without signing in. */
    public?: boolean;
  }
}

export function createAppRouter(history: RouterHistory = createWebHistory('/')): Router {
  const router = createRouter({
    history,
    routes: [
      { path: '/', name: 'lineage', component: () => import('./pages/LineagePage.vue'), meta: { title: 'Lineage' } },
      {
        path: '/assets/:key(.*)',
        name: 'asset',
        component: () => import('./pages/AssetPage.vue'),
        meta: { title: 'Asset' },
      },
      { path: '/runs', name: 'runs', component: () => import('./pages/RunsPage.vue'), meta: { title: 'Runs' } },
      { path: '/runs/:id', name: 'run', component: () => import('./pages/RunPage.vue'), meta: { title: 'Run' } },
      {
        path: '/backfills',
        name: 'backfills',
        component: () => import('./pages/BackfillsPage.vue'),
        meta: { title: 'Backfills' },
      },
      {
        path: '/freshness',
        name: 'freshness',
        component: () => import('./pages/FreshnessPage.vue'),
        meta: { title: 'Freshness' },
      },
      {
        path: '/sign-in',
        name: 'sign-in',
        component: () => import('./pages/SignInPage.vue'),
        meta: { title: 'Sign in', public: true },
      },
      {
        path: '/:unknown(.*)*',
        name: 'not-found',
        component: () => import('./components/common/NotFoundView.vue'),
        meta: { title: 'Not found' },
      },
    ],
  });

  const session = useSession();

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    if (!session.checked.value) {
      try {
        await session.refresh();
      } catch {
        // Server unreachable: let the page load and show its own "cannot reach the server" state.
        return true;
      }
    }
    if (session.signedIn.value) return true;
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Weir` : 'Weir';
  });

  onUnauthenticated(() => {
    session.forget();
    const current = router.currentRoute.value;
    if (current.meta.public) return;
    void router.push({ name: 'sign-in', query: { redirect: current.fullPath } });
  });

  return router;
}
