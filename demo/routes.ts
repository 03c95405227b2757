// The demo's routes for the four built-in roadmaps: ecommerce (products, cart, checkout, orders),
// zero-world (posts), bookedbarber (barbers, slots, appointments), ai-platform (models,
// generation). Handlers are synchronous and in memory; every store is bounded.
import { BARBERS, findById, MODELS, PRODUCTS, type Product, SLOTS } from './catalog.ts';
import { Ring } from './ring.ts';
import type { Reply, Route } from './router.ts';

/** Orders kept for `GET /orders/:id`; older ones answer 404. */
export const ORDER_LOG_SIZE = 10_000;
const POST_LOG_SIZE = 100;
const MAX_ITEMS = 50;
const MAX_QUANTITY = 100;
const MAX_TEXT = 280;
const MAX_PROMPT = 10_000;
const MAX_TOKENS = 4096;

interface LineItem {
  productId: number;
  quantity: number;
  price: number;
}

interface Order {
  orderId: string;
  items: LineItem[];
  total: number;
  status: 'confirmed';
  createdAt: string;
}

interface Post {
  id: string;
  text: string;
  createdAt: string;
}

export interface RouteDeps {
  /** The body of `GET /__stats`. */
  stats: () => unknown;
}

export interface Routes {
  routes: Route[];
  /** Orders taken since start (the log keeps the last ORDER_LOG_SIZE). */
  orderCount: () => number;
}

export function createRoutes(deps: RouteDeps): Routes {
  const orders = new Ring<Order>(ORDER_LOG_SIZE);
  const posts = new Ring<Post>(POST_LOG_SIZE);
  for (const text of ['Hello, zero world.', 'Load test in progress.', 'Scaling is a journey.']) {
    posts.push((seq) => ({ id: `post-${seq}`, text, createdAt: new Date().toISOString() }));
  }
  let carts = 0;
  let appointments = 0;

  const routes: Route[] = [
    { method: 'GET', pattern: '/health', cost: 'free', handle: () => ok({ status: 'ok' }) },
    { method: 'GET', pattern: '/__stats', cost: 'free', handle: () => ok(deps.stats()) },

    // ecommerce
    {
      method: 'GET',
      pattern: '/products',
      cost: 'read',
      handle: () => ok({ products: PRODUCTS.map(productJson) }),
    },
    {
      method: 'GET',
      pattern: '/products/:id',
      cost: 'read',
      handle: ({ params }) => {
        const product = findById(PRODUCTS, params.id);
        return product ? ok(productJson(product)) : notFound(`product ${params.id}`);
      },
    },
    {
      method: 'POST',
      pattern: '/cart',
      cost: 'read',
      handle: ({ body }) => {
        const item = lineItem(body);
        if (typeof item === 'string') return badRequest(item);
        carts += 1;
        return { status: 201, body: { cartId: `cart-${carts}`, items: [item] } };
      },
    },
    {
      method: 'POST',
      pattern: '/checkout',
      cost: 'checkout',
      handle: ({ body }) => {
        const raw = field(body, 'items');
        if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_ITEMS) {
          return badRequest(`items must be an array of 1 to ${MAX_ITEMS} {productId, quantity}`);
        }
        const items: LineItem[] = [];
        for (const [i, entry] of raw.entries()) {
          const item = lineItem(entry);
          if (typeof item === 'string') return badRequest(`items[${i}]: ${item}`);
          items.push(item);
        }
        const cents = items.reduce((sum, it) => sum + Math.round(it.price * 100) * it.quantity, 0);
        const order = orders.push((seq) => ({
          orderId: `ord-${seq}`,
          items,
          total: cents / 100,
          status: 'confirmed',
          createdAt: new Date().toISOString(),
        }));
        return { status: 201, body: { orderId: order.orderId, total: order.total } };
      },
    },
    {
      method: 'GET',
      pattern: '/orders/:id',
      cost: 'read',
      handle: ({ params }) => {
        const seq = /^ord-(\d+)$/.exec(params.id ?? '')?.[1];
        const order = seq === undefined ? undefined : orders.get(Number(seq));
        return order ? ok(order) : notFound(`order ${params.id}`);
      },
    },

    // zero-world
    {
      method: 'GET',
      pattern: '/api/posts',
      cost: 'read',
      handle: () => ok({ posts: posts.latest(20) }),
    },
    {
      method: 'POST',
      pattern: '/api/posts',
      cost: 'read',
      handle: ({ body }) => {
        const text = field(body, 'text');
        if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT) {
          return badRequest(`text must be a non-empty string of at most ${MAX_TEXT} characters`);
        }
        const post = posts.push((seq) => ({
          id: `post-${seq}`,
          text,
          createdAt: new Date().toISOString(),
        }));
        return { status: 201, body: post };
      },
    },

    // bookedbarber
    {
      method: 'GET',
      pattern: '/api/barbers',
      cost: 'read',
      handle: () => ok({ barbers: BARBERS }),
    },
    {
      method: 'GET',
      pattern: '/api/barbers/:id/slots',
      cost: 'read',
      handle: ({ params }) => {
        const barber = findById(BARBERS, params.id);
        if (!barber) return notFound(`barber ${params.id}`);
        // Availability is a fixed pattern: bookings are not tracked, so a load test never
        // runs out of slots or turns into a stream of conflicts.
        const slots = SLOTS.map((time, i) => ({ time, available: (barber.id + i) % 4 !== 0 }));
        return ok({ barberId: barber.id, slots });
      },
    },
    {
      method: 'POST',
      pattern: '/api/appointments',
      cost: 'read',
      handle: ({ body }) => {
        const barber = findById(BARBERS, field(body, 'barberId'));
        if (!barber) return badRequest(`barberId must be one of 1..${BARBERS.length}`);
        const slot = field(body, 'slot');
        if (typeof slot !== 'string' || !SLOTS.includes(slot)) {
          return badRequest(`slot must be one of ${SLOTS[0]}..${SLOTS.at(-1)} (every 30 min)`);
        }
        appointments += 1;
        return {
          status: 201,
          body: { appointmentId: `appt-${appointments}`, barberId: barber.id, slot },
        };
      },
    },

    // ai-platform
    { method: 'GET', pattern: '/api/models', cost: 'read', handle: () => ok({ models: MODELS }) },
    {
      method: 'POST',
      pattern: '/api/generate',
      cost: 'generate',
      handle: ({ body }) => {
        const prompt = field(body, 'prompt');
        if (typeof prompt !== 'string' || prompt === '' || prompt.length > MAX_PROMPT) {
          return badRequest(
            `prompt must be a non-empty string of at most ${MAX_PROMPT} characters`,
          );
        }
        const maxTokens = field(body, 'maxTokens') ?? 64;
        if (!isInt(maxTokens, 1, MAX_TOKENS)) {
          return badRequest(`maxTokens must be an integer from 1 to ${MAX_TOKENS}`);
        }
        const model = field(body, 'model') ?? MODELS[0]!.id;
        if (!MODELS.some((m) => m.id === model)) {
          return badRequest(`model must be one of ${MODELS.map((m) => m.id).join(', ')}`);
        }
        const tokens = Math.min(maxTokens, 64);
        const text = Array.from({ length: tokens }, (_, i) => WORDS[i % WORDS.length]).join(' ');
        return ok({ model, text, tokens });
      },
    },
  ];
  return { routes, orderCount: () => orders.total };
}

const WORDS = ['the', 'demo', 'model', 'says', 'scaling', 'takes', 'patience', 'and', 'tests'];

function productJson(p: Product): { id: number; name: string; price: number; stock: number } {
  return { id: p.id, name: p.name, price: p.priceCents / 100, stock: p.stock };
}

/** `{productId, quantity}` checked against the catalogue, or what is wrong with it. */
function lineItem(value: unknown): LineItem | string {
  const product = findById(PRODUCTS, field(value, 'productId'));
  if (!product) return `productId must be one of 1..${PRODUCTS.length}`;
  const quantity = field(value, 'quantity');
  if (!isInt(quantity, 1, MAX_QUANTITY)) {
    return `quantity must be an integer from 1 to ${MAX_QUANTITY}`;
  }
  return { productId: product.id, quantity, price: product.priceCents / 100 };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function badRequest(message: string): Reply {
  return { status: 400, body: { error: message } };
}

function notFound(what: string): Reply {
  return { status: 404, body: { error: `${what} not found` } };
}
