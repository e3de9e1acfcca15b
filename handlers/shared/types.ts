/**
 * The workflow data contract of docs/architecture.md, as types. Every Task receives the
 * whole state and returns the next one.
 */
export interface OrderLine {
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
}

/** What the api handler passes to StartExecution (execution name = orderId). */
export interface ExecutionInput {
  readonly orderId: string;
  /** When the API accepted the order (ISO-8601); the order's createdAt, stable across retries. */
  readonly receivedAt: string;
  readonly customerName: string;
  readonly items: readonly OrderLine[];
  readonly totalAmount: number;
  readonly currency: string;
  /** sha256 of the canonical validated body: tells an idempotent repeat from a conflict. */
  readonly requestHash: string;
}

/** order-processor output. */
export interface Order {
  readonly orderId: string;
  readonly createdAt: string;
  readonly customerName: string;
  readonly items: readonly OrderLine[];
  readonly totalAmount: number;
  readonly currency: string;
  readonly requestHash: string;
}

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

export interface OrderDetails {
  readonly customerName: string;
  readonly items: readonly OrderLine[];
  readonly totalAmount: number;
  readonly currency: string;
}

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
  /**
   * The Step Functions execution that stored the order: only its own retries may rewrite
   * the record. Internal: the API strips it from GET responses. Absent on older records,
   * which belong to the execution named by their orderId.
   */
  readonly executionName?: string;
}

/** merge-results output. */
export interface OrderRecord extends StoredOrder {
  readonly refundRequired: boolean;
}

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
