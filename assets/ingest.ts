// Ingestion that survives failures half-way: a long paged pull checkpoints after every page, so
// a retry carries on after the last page that was saved instead of starting over.
import { setTimeout as sleep } from 'node:timers/promises';
import { asset, table, unique, type AssetContext, type PayloadRef } from 'weir';
import { createRng } from './data/random.js';
import { REFERENCE_DATE } from './data/schema.js';
import { snakeCased } from './lib/util.js';

/** One hit from the CDN's clickstream export (a different system than the shop's web analytics). */
export interface ClickstreamHit {
  hitId: string;
  page: number;
  visitorId: string;
  occurredAt: string;
  path: string;
  status: 200 | 304 | 404;
}

/**
 * What each checkpoint holds: the last page done, a running count, and where the pages
 * fetched so far were kept. Rows themselves stay out of it (each page is ~30 KB): the
 * checkpoint is a cursor, the data sits in the object store.
 */
interface ClickstreamProgress {
  page: number;
  rowsSoFar: number;
  pageFiles: PayloadRef[];
}

const PAGES = 8;
const HITS_PER_PAGE = 250;
/** The simulated outage: the first attempt dies right after saving this page. */
const FAIL_AFTER_PAGE = 4;
const PATHS = ['/', '/sale', '/p/merino-tee', '/p/rain-jacket', '/p/tent-2p', '/cart', '/checkout', '/old-link'];

/** The CDN export API, simulated: page `n` is always the same 250 hits. */
async function fetchClickstreamPage(page: number, signal: AbortSignal): Promise<ClickstreamHit[]> {
  await sleep(10, undefined, { signal });
  const rng = createRng(9_000 + page);
  const start = Date.parse(REFERENCE_DATE) - (PAGES - page + 1) * 3_600_000;
  return Array.from({ length: HITS_PER_PAGE }, (_, i) => {
    const path = rng.pick(PATHS);
    return {
      hitId: `h-${page}-${String(i).padStart(3, '0')}`,
      page,
      visitorId: `v-anon-${String(rng.int(1, 2500)).padStart(4, '0')}`,
      occurredAt: new Date(start + i * 14_000).toISOString(),
      path,
      status: path === '/old-link' ? 404 : rng.chance(0.2) ? 304 : 200,
    };
  });
}

async function readPage(ctx: AssetContext, ref: PayloadRef): Promise<ClickstreamHit[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ctx.store.open(ref)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ClickstreamHit[];
}

/**
 * CDN clickstream, pulled page by page. The first attempt fails after page 4 (a simulated
 * outage); thanks to `ctx.checkpoint` the retry resumes from page 5 and reads pages 1–4 back
 * from the object store rather than from the API.
 */
export const clickstreamPages = asset({
  key: 'bronze/clickstream_pages',
  group: 'bronze',
  owners: ['team:data-platform'],
  description: `CDN clickstream export, ${PAGES} pages. Checkpoints after each page; the first attempt fails after page ${FAIL_AFTER_PAGE} and the retry resumes.`,
  codeVersion: 'v2',
  retry: { maxAttempts: 2, delay: '200ms', jitter: 'none' },
  checks: [unique('hit_id')],
  materialize: async (ctx) => {
    const saved = ctx.resume as ClickstreamProgress | undefined;
    const progress: ClickstreamProgress = saved ?? { page: 0, rowsSoFar: 0, pageFiles: [] };
    const firstPage = progress.page + 1;
    if (saved) ctx.log.info(`resuming from page ${firstPage}`, { rowsSoFar: saved.rowsSoFar });

    for (let page = firstPage; page <= PAGES; page++) {
      const hits = await fetchClickstreamPage(page, ctx.signal);
      const file = await ctx.store.write(`page-${page}.json`, JSON.stringify(hits));
      progress.page = page;
      progress.rowsSoFar += hits.length;
      progress.pageFiles.push(file);
      ctx.log.debug('fetched page', { page, rows: hits.length });
      await ctx.checkpoint(progress);
      if (ctx.attemptNumber === 1 && page === FAIL_AFTER_PAGE) {
        throw new Error(`CDN export connection reset after page ${page} (simulated)`);
      }
    }

    const rows: ClickstreamHit[] = [];
    for (const file of progress.pageFiles) rows.push(...(await readPage(ctx, file)));
    ctx.log.info('pulled clickstream', { rows: rows.length, pages: PAGES, resumedFromPage: firstPage });
    // resumedFromPage is the first page this attempt fetched: 1 when it started from scratch.
    ctx.metadata({ rows: rows.length, pages: PAGES, resumedFromPage: firstPage });
    // The pages are JSON files (what the API gave); the asset itself is a Parquet table.
    return table.fromRows(
      {
        hit_id: 'VARCHAR',
        page: 'INTEGER',
        visitor_id: 'VARCHAR',
        occurred_at: 'TIMESTAMP',
        path: 'VARCHAR',
        status: 'SMALLINT',
      },
      rows.map(snakeCased),
    );
  },
});
