// Reports: files handed to people rather than tables read by code. A report asset writes its
// file to the object store itself and returns the PayloadRef, so the file keeps its name and
// content type instead of being wrapped in JSON.
import { asset } from 'weir';
import { dailyRevenue } from './gold.js';
import { round2 } from './lib/util.js';

const analytics = ['team:analytics', 'bob@example.com'];

/**
 * The CSV finance downloads every morning. `ctx.store.write` streams it to the object store
 * (under this attempt's own immutable key) and returns the reference we hand back to Weir.
 */
export const revenueReport = asset({
  key: 'gold/revenue_report',
  group: 'gold',
  owners: analytics,
  tags: { tier: 'gold', domain: 'finance', format: 'csv' },
  description: 'daily_revenue.csv with a 7-day rolling revenue average, for the finance team.',
  codeVersion: 'v1',
  deps: { daily: dailyRevenue },
  materialize: async (ctx, { daily }) => {
    const header = 'date,orders,cancelled,revenue_eur,margin_eur,avg_order_value_eur,revenue_7d_avg_eur';
    const lines = daily.map((d, i) => {
      const window = daily.slice(Math.max(0, i - 6), i + 1);
      const rolling = round2(window.reduce((sum, w) => sum + w.revenueEur, 0) / window.length);
      return [
        d.date,
        d.orders,
        d.cancelled,
        d.revenueEur.toFixed(2),
        d.marginEur.toFixed(2),
        d.avgOrderValueEur.toFixed(2),
        rolling.toFixed(2),
      ].join(',');
    });
    const csv = `${[header, ...lines].join('\n')}\n`;
    const ref = await ctx.store.write('daily_revenue.csv', csv, { contentType: 'text/csv' });
    ctx.log.info('wrote revenue report', { uri: ref.uri, bytes: ref.size, sha256: ref.sha256 });
    ctx.metadata({ rows: lines.length, bytes: ref.size, uri: ref.uri });
    return ref;
  },
});
