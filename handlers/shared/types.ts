/**
 * The workflow data contract of docs/architecture.md, as types. Every Task receives the
 * whole state and returns the next one. The state has one shape: the order's fields flat at
 * the top (as the execution input has them), the branch results under `results`, the outcome
 * beside them; only the storage step nests them into the stored record's shape.
 */
import type { CreateOrderRequest, OrderItem } from './order-schema';

/** One order line, as the POST /orders schema parses it. */
export type OrderLine = Readonly<OrderItem>;

/** The normalised order body (trimmed names, cents, upper-case currency, always set). */
export type OrderDetails = Readonly<Omit<CreateOrderRequest, 'items' | 'currency'> & { items: readonly OrderLine[]; currency: string }>;

/** What the api handler passes to StartExecution (execution name = orderId). */
export type ExecutionInput = OrderDetails &
  Readonly<{
    orderId: string;
    /** When the API accepted the order (ISO-8601); the order's createdAt, stable across retries. */
    receivedAt: string;
    /** sha256 of the canonical validated body: tells an idempotent repeat from a conflict. */
    requestHash: string;
  }>;

/** order-processor output: the order fields stay flat (as in the execution input) through the whole workflow. */
export type Order = OrderDetails & Readonly<{ orderId: string; createdAt: string; requestHash: string }>;

export interface InventoryLine {
  readonly name: string;
  readonly requested: number;
  readonly inStock: number;
}

export interface UnavailableLine extends InventoryLine {
  readonly reason: string;
}

export interface InventoryCheckResult {
  readonly status: 'available' | 'unavailable';
  readonly checkedAt: string;
  readonly items: readonly InventoryLine[];
  readonly unavailableItems: readonly UnavailableLine[];
}

export type PaymentStatus = 'approved' | 'declined' | 'refunded' | 'not-charged';

export interface PaymentResult {
  readonly status: PaymentStatus;
  readonly transactionId: string;
  readonly amount: number;
  readonly currency: string;
  readonly processedAt: string;
  readonly reason?: string;
  /** Set on refunds: derived from the transaction id, so a retried refund reuses it. */
  readonly refundId?: string;
}

/** A Parallel branch whose Task failed after its retries (the branch's Catch + Pass state). */
export interface BranchFailure {
  readonly status: 'error';
  readonly error?: StepError;
}

/** The Parallel state's output, merged into the Order under `results`. */
export interface OrderWithResults extends Order {
  readonly results: {
    readonly inventoryCheck: InventoryCheckResult | BranchFailure;
    readonly paymentProcessing: PaymentResult | BranchFailure;
  };
}

export type FinalStatus = 'completed' | 'failed';

/** What s3-storage writes (without refundRequired) and GET /orders/{orderId} returns. */
export interface StoredOrder {
  readonly orderId: string;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly orderDetails: OrderDetails;
  readonly inventoryCheck?: InventoryCheckResult;
  readonly paymentProcessing?: PaymentResult;
  readonly finalStatus: FinalStatus;
  readonly failureReason?: string;
  /**
   * The execution input's requestHash, so a keyed repeat can still be told from a conflict
   * after Step Functions has deleted the execution (90 days after it closed). Internal: the
   * API strips it from GET responses. Absent on records written before it was stored.
   */
  readonly requestHash?: string;
}

/** A stored order with merge-results' refundRequired flag (storeOrder drops the flag). */
export interface OrderRecord extends StoredOrder {
  readonly refundRequired: boolean;
}

/**
 * merge-results output: the order with its settled results (a failed payment step becomes
 * `not-charged`, a failed inventory step is left out) and the outcome. RefundPayment and
 * CompensatePayment update `results.paymentProcessing`; s3-storage nests it all into a StoredOrder.
 */
export interface MergedOrder extends Omit<Order, 'requestHash'> {
  /** Absent only when the execution input had none (a hand-started execution). */
  readonly requestHash?: string;
  readonly results: { readonly inventoryCheck?: InventoryCheckResult; readonly paymentProcessing: PaymentResult };
  readonly completedAt: string;
  readonly finalStatus: FinalStatus;
  readonly failureReason?: string;
  readonly refundRequired: boolean;
}

/** Any state a workflow step may see after ProcessOrder, failures included (a Catch adds `error`). */
export type OrderState = Partial<Omit<MergedOrder, 'results'>> & {
  readonly orderId?: unknown;
  readonly results?: Partial<{
    readonly inventoryCheck: InventoryCheckResult | BranchFailure;
    readonly paymentProcessing: PaymentResult | BranchFailure;
  }>;
  readonly receivedAt?: string;
  readonly error?: StepError;
  readonly compensationError?: StepError;
};

/** A Catch's `$.error`. */
export interface StepError {
  readonly Error?: string;
  readonly Cause?: string;
}

export interface StoredOrderResult {
  readonly orderId: string;
  readonly finalStatus: FinalStatus;
  readonly recordKey: string;
}
