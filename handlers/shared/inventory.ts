/**
 * The simulated stock check. The catalogue comes from INVENTORY_CATALOGUE (JSON
 * `{ "Laptop": 25, ... }`) or DEFAULT_CATALOGUE; names match case-insensitively and
 * repeated lines of one item are summed before comparing with stock.
 */
import { ConfigurationError, InvalidStateError } from './errors';
import type { InventoryCheckResult, InventoryLine, OrderLine, UnavailableLine } from './types';

/** The documented default catalogue (units in stock). */
export const DEFAULT_CATALOGUE: Readonly<Record<string, number>> = Object.freeze({
  Laptop: 50,
  Mouse: 200,
  Keyboard: 150,
  Monitor: 75,
  Headphones: 100,
  Webcam: 60,
  'USB-C Cable': 500,
  'Docking Station': 40,
  Printer: 20,
  Tablet: 30,
});

export type Catalogue = ReadonlyMap<string, { readonly name: string; readonly inStock: number }>;

/** Catalogue keyed by lower-case name; rejects a malformed configuration with its reason. */
export function parseCatalogue(json: string | undefined): Catalogue {
  let source: unknown = DEFAULT_CATALOGUE;
  if (json !== undefined && json.trim() !== '') {
    try {
      source = JSON.parse(json);
    } catch (error) {
      throw new ConfigurationError('INVENTORY_CATALOGUE is not valid JSON; expected an object such as {"Laptop": 25}', { cause: error });
    }
  }
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new ConfigurationError('INVENTORY_CATALOGUE must be a JSON object such as {"Laptop": 25}');
  }
  const catalogue = new Map<string, { name: string; inStock: number }>();
  for (const [name, stock] of Object.entries(source)) {
    if (!Number.isSafeInteger(stock) || (stock as number) < 0 || name.trim() === '') {
      throw new ConfigurationError(
        `INVENTORY_CATALOGUE entry ${JSON.stringify(name)} is ${JSON.stringify(stock)}; expected a non-negative integer stock`,
      );
    }
    catalogue.set(name.trim().toLowerCase(), { name: name.trim(), inStock: stock as number });
  }
  return catalogue;
}

/** Checks every ordered item against the catalogue. */
export function checkInventory(items: readonly OrderLine[], catalogue: Catalogue, now: Date = new Date()): InventoryCheckResult {
  if (!Array.isArray(items) || items.length === 0) throw new InvalidStateError('inventory-check needs the order items');
  // Sum repeated lines first: two lines of 30 Laptops need 60 in stock, not 30.
  const requested = new Map<string, { name: string; requested: number }>();
  for (const item of items) {
    if (typeof item?.name !== 'string' || !Number.isSafeInteger(item.quantity))
      throw new InvalidStateError('inventory-check received a malformed item');
    const key = item.name.trim().toLowerCase();
    const entry = requested.get(key) ?? { name: item.name.trim(), requested: 0 };
    entry.requested += item.quantity;
    requested.set(key, entry);
  }
  const lines: InventoryLine[] = [];
  const unavailable: UnavailableLine[] = [];
  for (const [key, { name, requested: quantity }] of requested) {
    const stock = catalogue.get(key);
    const line = { name, requested: quantity, inStock: stock?.inStock ?? 0 };
    lines.push(line);
    if (!stock) unavailable.push({ ...line, reason: 'unknown item' });
    else if (quantity > stock.inStock)
      unavailable.push({ ...line, reason: `insufficient stock: requested ${quantity}, in stock ${stock.inStock}` });
  }
  return {
    status: unavailable.length === 0 ? 'available' : 'unavailable',
    checkedAt: now.toISOString(),
    items: lines,
    unavailableItems: unavailable,
  };
}
