import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Where the built console is: `console/dist` of this repository, unless WEIR_CONSOLE_DIR says otherwise. */
export function consoleDirectory(): string {
  if (process.env.WEIR_CONSOLE_DIR) return process.env.WEIR_CONSOLE_DIR;
  // Compiled (server/dist/src/api) or run from source (server/src/api, in tests).
  const candidates = ['../../../../console/dist', '../../../console/dist'].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  return candidates.find((path) => existsSync(join(path, 'index.html'))) ?? candidates[0]!;
}

// Paths the API owns: never answered with the console's index.html.
const API_PATH = /^\/(api|graphql|healthz|readyz|metrics)(\/|$|\?)/;

// Built files the static handler did not find: a 404, not index.html (a script that gets HTML
// fails with a MIME-type error that hides the missing file).
const BUILT_FILE = /\.(js|mjs|css|map|png|svg|ico|woff2?|json|txt|wasm)$/i;

/**
 * Whether a GET wants the app: browsers navigating ask for text/html; a client that takes
 * anything (`Accept: *\/*`, curl's and fetch's default, or no Accept) gets it too, unless it
 * asked for a built file.
 */
function wantsApp(path: string, accept: string): boolean {
  if (accept.includes('text/html')) return true;
  return (accept === '' || accept.includes('*/*')) && !BUILT_FILE.test(path);
}

/**
 * Serves the console (static files, and index.html for any other GET that accepts HTML, so
 * shareable links like /runs/abc open the app). The files are public: they hold no data; the
 * app signs in before it reads anything. Returns false when the console was not built.
 */
export function serveConsole(app: NestExpressApplication, directory = consoleDirectory()): boolean {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return false;
  app.useStaticAssets(directory, { index: false, maxAge: '1h', immutable: false });
  app.use(
    (
      req: { method: string; path: string; headers: Record<string, string | string[] | undefined> },
      res: { setHeader(name: string, value: string): void; sendFile(path: string): void },
      next: () => void,
    ) => {
      const accept = String(req.headers.accept ?? '');
      if (req.method !== 'GET' || API_PATH.test(req.path) || !wantsApp(req.path, accept)) return next();
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(index);
    },
  );
  return true;
}
