// The shape of the shop's source systems, as the bronze layer receives them, and the fixed
// "today" that all example data is relative to.

/** "Now", as far as the example data is concerned. Never use the wall clock in data. */
export const REFERENCE_DATE = '2025-06-30T00:00:00.000Z';
/** How many days of history the generated shop has. */
export const HISTORY_DAYS = 90;

export type Currency = 'EUR' | 'USD' | 'GBP';
export type OrderStatus = 'placed' | 'shipped' | 'delivered' | 'cancelled' | 'test';
export type WebEventType = 'page_view' | 'product_view' | 'add_to_cart' | 'checkout';

export interface RawCustomer {
  customerId: string;
  firstName: string;
  lastName: string;
  /** As typed by the customer: mixed case, stray whitespace. Cleaned in silver. */
  email: string;
  country: string;
  segment: 'consumer' | 'business';
  marketingOptIn: boolean;
  signedUpAt: string;
  /** The CRM export contains one row per *version* of a customer; the newest wins. */
  updatedAt: string;
}

export interface RawProduct {
  sku: string;
  name: string;
  category: string;
  listPriceEur: number;
  unitCostEur: number;
  active: boolean;
}

export interface RawOrder {
  orderId: string;
  customerId: string;
  orderedAt: string;
  status: OrderStatus;
  currency: Currency;
  /** Order total in `currency`: the sum of its lines. */
  amount: number;
  shippingCountry: string;
}

export interface RawOrderLine {
  orderId: string;
  lineNo: number;
  sku: string;
  quantity: number;
  /** Price per unit in the order's currency. */
  unitPrice: number;
}

export interface RawWebEvent {
  eventId: string;
  visitorId: string;
  customerId: string | null;
  occurredAt: string;
  type: WebEventType;
  sku: string | null;
  path: string;
  device: 'desktop' | 'mobile' | 'tablet';
  utmSource: string | null;
}

export interface ShopData {
  customers: RawCustomer[];
  products: RawProduct[];
  orders: RawOrder[];
  orderLines: RawOrderLine[];
  webEvents: RawWebEvent[];
}
