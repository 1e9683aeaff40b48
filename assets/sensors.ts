// A sensor watching a drop folder for the finance team's FX rate files. Each new file
// `rates-YYYY-MM-DD.json` (e.g. {"USD": 0.91, "GBP": 1.16}) is reported as an observation of
// vendor/fx_rates, carrying the rates as metadata: silver/orders picks them up on its next run.
// Try it with `weir dev` running:
//   mkdir -p .weir/drops && echo '{"USD":0.9,"GBP":1.2}' > .weir/drops/rates-2025-07-01.json
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sensor } from 'weir';

const DROP_DIR = process.env.WEIR_FX_DROP_DIR ?? join(process.cwd(), '.weir', 'drops');

export const fxDropWatcher = sensor({
  name: 'fx_drop_watcher',
  interval: '15s',
  description: 'reports new FX rate files dropped by finance',
  evaluate: async ({ cursor }) => {
    const names = await readdir(DROP_DIR).catch(() => [] as string[]);
    // File names sort by date, so the cursor is the last file reported.
    const fresh = names.filter((name) => /^rates-.*\.json$/.test(name) && (!cursor || name > cursor)).sort();
    const observations = [];
    for (const name of fresh) {
      const metadata = JSON.parse(await readFile(join(DROP_DIR, name), 'utf8')) as Record<string, unknown>;
      observations.push({ assetKey: 'vendor/fx_rates', dataVersion: name, metadata });
    }
    return { cursor: fresh.at(-1) ?? cursor, observations };
  },
});
