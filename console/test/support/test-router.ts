// A memory-history router with the console's route names, so RouterLinks resolve in component tests.
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';

const Blank = defineComponent({ template: '<div />' });

export async function testRouter(path = '/'): Promise<Router> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'lineage', component: Blank },
      { path: '/assets/:key(.*)', name: 'asset', component: Blank },
      { path: '/runs', name: 'runs', component: Blank },
      { path: '/runs/:id', name: 'run', component: Blank },
      { path: '/backfills', name: 'backfills', component: Blank },
      { path: '/freshness', name: 'freshness', component: Blank },
      { path: '/sign-in', name: 'sign-in', component: Blank },
    ],
  });
  await router.push(path);
  await router.isReady();
  return router;
}
