// The demo's fixed data: products (ecommerce), barbers and their day's slots (bookedbarber),
// models (ai-platform). Small and deterministic, so load scripts can name ids they know exist.

export interface Product {
  id: number;
  name: string;
  /** Price in cents, so totals are exact. */
  priceCents: number;
  stock: number;
}

const PRODUCT_NAMES = [
  'Canvas tote',
  'Ceramic mug',
  'Cotton tee',
  'Desk lamp',
  'Enamel pin',
  'Field notebook',
  'Glass carafe',
  'Hooded sweater',
  'Insulated bottle',
  'Jute rug',
  'Kitchen scale',
  'Linen napkins',
  'Merino socks',
  'Notebook stand',
  'Oak cutting board',
  'Pour-over kettle',
  'Quilted jacket',
  'Rain shell',
  'Steel lunchbox',
  'Travel pillow',
];

export const PRODUCTS: readonly Product[] = PRODUCT_NAMES.map((name, i) => ({
  id: i + 1,
  name,
  priceCents: 499 + ((i * 737) % 9000),
  stock: 50 + ((i * 13) % 200),
}));

export interface Barber {
  id: number;
  name: string;
}

export const BARBERS: readonly Barber[] = [
  'Ana',
  'Bilal',
  'Chen',
  'Dara',
  'Eli',
  'Farah',
  'Goran',
  'Hana',
].map((name, i) => ({ id: i + 1, name }));

/** A day's bookable slots: 09:00 to 17:30 every 30 minutes. */
export const SLOTS: readonly string[] = Array.from({ length: 18 }, (_, i) => {
  const minutes = 9 * 60 + i * 30;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});

export interface Model {
  id: string;
  contextTokens: number;
}

export const MODELS: readonly Model[] = [
  { id: 'demo-small', contextTokens: 4096 },
  { id: 'demo-medium', contextTokens: 16_384 },
  { id: 'demo-large', contextTokens: 65_536 },
];

export function findById<T extends { id: number }>(
  items: readonly T[],
  id: unknown,
): T | undefined {
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  return typeof n === 'number' ? items.find((item) => item.id === n) : undefined;
}
