import { optionalEnv } from '../shared/env';
import { checkInventory, parseCatalogue } from '../shared/inventory';
import { getLogger } from '../shared/logger';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { InventoryCheckResult, Order } from '../shared/types';

const logger = getLogger('inventory-check');

/** Order -> InventoryCheckResult. The catalogue is read per call: tiny, and env-driven in tests. */
export async function handler(event: Order, context?: LambdaContextLike): Promise<InventoryCheckResult> {
  startInvocation(logger, context);
  const result = checkInventory(event?.items, parseCatalogue(optionalEnv('INVENTORY_CATALOGUE')));
  logger.info('inventory checked', { orderId: event.orderId, status: result.status, unavailableItems: result.unavailableItems });
  return result;
}
