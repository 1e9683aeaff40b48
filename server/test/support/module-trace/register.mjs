// `node --import <this file>`: installs hooks.mjs in the process it starts.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
