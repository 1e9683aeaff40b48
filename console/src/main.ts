// Entry point: global styles, the router, and the root component. Mounting waits for the first
// navigation (and its session check) so the shell never flashes before the sign-in page.
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';

const router = createAppRouter();
const app = createApp(App).use(router);
void router.isReady().then(() => app.mount('#app'));
