// FX conversion for silver/orders. The rates come from a *source* asset (vendor/fx_rates):
// Weir hands over its latest observation, which is `undefined` until the vendor feed has been
// observed once. A fresh checkout must still run end to end, so we fall back to a fixed table
// and say so loudly in the logs and the materialization metadata.
import type { AssetLogger, ObservationInput } from 'weir';
import type { Currency } from '../data/schema.js';

/** Used until finance's vendor feed has been observed at least once. */
const FALLBACK_EUR_RATES: Readonly<Record<Currency, number>> = { EUR: 1, USD: 0.92, GBP: 1.17 };

/** Picks the FX rates: the latest vendor observation if it is usable, the fallback table otherwise. */
export function resolveRates(
  fx: ObservationInput,
  log: AssetLogger,
): { rates: Record<Currency, number>; source: string } {
  if (fx === undefined) {
    log.warn('vendor/fx_rates has never been observed; using the fallback rate table', {
      fallback: FALLBACK_EUR_RATES,
    });
    return { rates: { ...FALLBACK_EUR_RATES }, source: 'fallback' };
  }
  const rates = { ...FALLBACK_EUR_RATES };
  for (const currency of ['USD', 'GBP'] as const) {
    const value = fx.metadata[currency];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) rates[currency] = value;
    else
      log.warn('observation has no usable rate; using fallback', { currency, fallback: FALLBACK_EUR_RATES[currency] });
  }
  log.info('using vendor FX rates', { observedAt: fx.observedAt, dataVersion: fx.dataVersion ?? null, rates });
  return { rates, source: `vendor@${fx.observedAt}` };
}
