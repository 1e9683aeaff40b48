// A stand-in for the shop's operational systems (CRM, catalog, order API, clickstream).
// Everything is derived from one seeded PRNG and the fixed REFERENCE_DATE, so every run of
// the example produces byte-identical data: data versions stay stable and a change in the
// console means the *code* changed, not the dice.
import { DAY_MS, round2 } from '../lib/util.js';
import { createRng } from './random.js';
import {
  HISTORY_DAYS,
  REFERENCE_DATE,
  type Currency,
  type RawCustomer,
  type RawOrder,
  type RawOrderLine,
  type RawProduct,
  type RawWebEvent,
  type ShopData,
  type WebEventType,
} from './schema.js';

const REF_MS = Date.parse(REFERENCE_DATE);

/** EUR per unit of each currency, as the shop priced things (not the finance rates). */
const SHOP_PRICING_RATES: Readonly<Record<Currency, number>> = { EUR: 1, USD: 0.92, GBP: 1.17 };

const iso = (ms: number): string => new Date(ms).toISOString();
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const FIRST_NAMES =
  'Anna Ben Chloé David Elif Finn Grace Hugo Ines Jonas Kira Lucas Mia Noah Olivia Pablo Rosa Sven Tara Yusuf'.split(
    ' ',
  );
const LAST_NAMES =
  'Becker Dubois Evans García Jansen Kowalski Martin Müller Nowak Rossi Schmidt Smith Taylor Visser Weber'.split(' ');
const COUNTRIES = { DE: 30, FR: 18, NL: 12, GB: 14, US: 12, ES: 8, IT: 6 } as const;
const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  apparel: ['Merino Tee', 'Rain Jacket', 'Fleece Hoodie', 'Linen Shirt', 'Wool Beanie'],
  footwear: ['Trail Runner', 'City Sneaker', 'Hiking Boot', 'Canvas Slip-on'],
  outdoor: ['Tent 2P', 'Down Sleeping Bag', 'Trekking Poles', 'Camp Stove', 'Headlamp'],
  home: ['Ceramic Mug', 'Oak Cutting Board', 'Linen Throw', 'Pour-over Kettle'],
  electronics: ['Solar Charger', 'Bluetooth Speaker', 'E-reader', 'Action Camera'],
};
const EDITIONS = ['Classic', 'Pro'];

function currencyFor(country: string): Currency {
  return country === 'GB' ? 'GBP' : country === 'US' ? 'USD' : 'EUR';
}

/**
 * Generates the whole shop in one pass so that foreign keys line up (orders point at real
 * customers, lines at real products). Default volumes keep `weir materialize '*'` fast while
 * still pushing several outputs over the 64 KiB inline limit into the object store.
 */
export function generateShop(seed = 20250630): ShopData {
  const rng = createRng(seed);

  const products: RawProduct[] = [];
  for (const [category, names] of Object.entries(CATEGORIES)) {
    for (const name of names) {
      for (const edition of EDITIONS) {
        const listPriceEur = round2(rng.int(9, 240) + (edition === 'Pro' ? 40 : 0) - 0.01);
        products.push({
          sku: `SKU-${1001 + products.length}`,
          name: `${name} ${edition}`,
          category,
          listPriceEur,
          unitCostEur: round2(listPriceEur * (0.35 + rng.next() * 0.3)),
          active: rng.chance(0.92),
        });
      }
    }
  }

  const customers: RawCustomer[] = [];
  for (let i = 1; i <= 300; i++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const signedUpMs = REF_MS - rng.int(1, 720) * DAY_MS - rng.int(0, DAY_MS / 1000) * 1000;
    const ascii = `${firstName}.${lastName}`.normalize('NFD').replace(/[^A-Za-z.]/g, '');
    const customer: RawCustomer = {
      customerId: `C${pad(i, 5)}`,
      firstName,
      lastName,
      email: rng.chance(0.2) ? ` ${ascii.toUpperCase()}${i}@Example.com ` : `${ascii.toLowerCase()}${i}@example.com`,
      country: rng.weighted(COUNTRIES),
      segment: rng.chance(0.15) ? 'business' : 'consumer',
      marketingOptIn: rng.chance(0.6),
      signedUpAt: iso(signedUpMs),
      updatedAt: iso(signedUpMs),
    };
    customers.push(customer);
    // Some customers changed their details later: the CRM export keeps both versions.
    if (rng.chance(0.06)) {
      customers.push({
        ...customer,
        marketingOptIn: !customer.marketingOptIn,
        updatedAt: iso(signedUpMs + rng.int(1, 60) * DAY_MS),
      });
    }
  }
  const uniqueCustomers = customers.filter(
    (c, index) => customers.findIndex((o) => o.customerId === c.customerId) === index,
  );

  const orders: RawOrder[] = [];
  const orderLines: RawOrderLine[] = [];
  for (let i = 1; i <= 1500; i++) {
    // Squaring the roll skews orders towards the first customers: a few loyal buyers, a long tail.
    const customer = uniqueCustomers[Math.floor(rng.next() ** 2 * uniqueCustomers.length)]!;
    const currency = currencyFor(customer.country);
    const orderId = `O${pad(i, 6)}`;
    const skus = new Set<string>();
    const lineCount = rng.int(1, 4);
    while (skus.size < lineCount) skus.add(rng.pick(products).sku);
    let amount = 0;
    let lineNo = 0;
    for (const sku of skus) {
      const product = products.find((p) => p.sku === sku)!;
      const unitPrice = round2(product.listPriceEur / SHOP_PRICING_RATES[currency]);
      const quantity = rng.chance(0.7) ? 1 : rng.chance(0.75) ? 2 : 3;
      orderLines.push({ orderId, lineNo: ++lineNo, sku, quantity, unitPrice });
      amount += unitPrice * quantity;
    }
    orders.push({
      orderId,
      customerId: customer.customerId,
      orderedAt: iso(REF_MS - rng.int(1, HISTORY_DAYS * 86_400) * 1000),
      status: rng.weighted({ delivered: 60, shipped: 15, placed: 10, cancelled: 10, test: 5 }),
      currency,
      amount: round2(amount),
      shippingCountry: customer.country,
    });
  }
  orders.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt));

  const webEvents: RawWebEvent[] = [];
  const TARGET_EVENTS = 6000;
  // Visits of 1–8 events each, until the clickstream is big enough to leave the inline limit behind.
  while (webEvents.length < TARGET_EVENTS) {
    const known = rng.chance(0.55) ? rng.pick(uniqueCustomers) : undefined;
    const visitorId = known ? `v-${known.customerId.toLowerCase()}` : `v-anon-${pad(rng.int(1, 2500), 4)}`;
    const device = rng.weighted({ mobile: 55, desktop: 38, tablet: 7 });
    const utmSource = rng.chance(0.4) ? rng.pick(['newsletter', 'google', 'instagram', 'partner']) : null;
    let at = REF_MS - rng.int(60, HISTORY_DAYS * 86_400) * 1000;
    let sku: string | null = null;
    const steps = rng.int(1, 8);
    for (let step = 0; step < steps; step++) {
      const type: WebEventType =
        step === 0
          ? 'page_view'
          : sku && rng.chance(0.3)
            ? rng.chance(0.35)
              ? 'checkout'
              : 'add_to_cart'
            : 'product_view';
      if (type === 'product_view') sku = rng.pick(products).sku;
      webEvents.push({
        eventId: `e-${pad(webEvents.length + 1, 7)}`,
        visitorId,
        customerId: known?.customerId ?? null,
        occurredAt: iso(at),
        type,
        sku: type === 'page_view' || type === 'checkout' ? null : sku,
        path: type === 'page_view' ? '/' : type === 'checkout' ? '/checkout' : `/p/${(sku ?? '').toLowerCase()}`,
        device,
        utmSource: step === 0 ? utmSource : null,
      });
      if (type === 'checkout') break;
      at += rng.int(10, 480) * 1000;
    }
  }
  webEvents.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));

  return { customers, products, orders, orderLines, webEvents };
}

let cached: ShopData | undefined;
/** The shop, generated once per process: several bronze assets read from the same "systems". */
export function shop(): ShopData {
  return (cached ??= generateShop());
}
