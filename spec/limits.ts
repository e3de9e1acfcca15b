/**
 * Request limits of POST /orders and the WAF facts they must respect. The handler's schema
 * and body parser (handlers/shared/order-schema.ts, handlers/api/request-body.ts) enforce
 * these limits; the web ACL (stacks/web-acl.ts) is configured so that the largest body the
 * limits allow passes it (a test builds that body and checks the ACL as synthesized).
 */

export const ORDER_LIMITS = {
  /** Characters (code points) after trimming surrounding whitespace. */
  nameMaxLength: 100,
  /**
   * Raw length cap, whitespace included: the rule is on the trimmed text, but a field
   * still may not carry unbounded padding (it is also the API Gateway model's maxLength).
   */
  rawTextMaxLength: 1000,
  minItems: 1,
  maxItems: 50,
  minQuantity: 1,
  maxQuantity: 1000,
  maxPrice: 1_000_000,
  /** 50 items x 1000 units x the maximum price: no valid order can exceed it. */
  maxTotalAmount: 50 * 1000 * 1_000_000,
  defaultCurrency: 'USD',
} as const;

/**
 * Largest accepted request body, bytes (after base64 decoding). The other limits do not
 * bound a body below this: 51 strings of up to 1,000 UTF-16 units, each of which JSON may
 * write as a 6-byte `\uXXXX` escape, allow ~300 KB, so this is the binding cap.
 */
export const MAX_BODY_BYTES = 65_536; // 64 KiB

/** The order body needs 3 levels (body > items > item); a little slack, no more. */
export const MAX_JSON_DEPTH = 5;

/**
 * What AWS WAF does with request bodies (AWS WAF developer guide). Byte counts are written as
 * literals: esbuild keeps an unused `8 * 1024` in every bundle, but drops an unused literal.
 */
export const WAF_FACTS = {
  /** AWSManagedRulesCommonRuleSet's SizeRestrictions_BODY blocks bodies over 8 KB. */
  commonRuleSetBodyLimitBytes: 8_192,
  /** Bytes of the body API Gateway forwards to WAF unless the web ACL's association_config raises it. */
  defaultBodyInspectionBytes: 16_384,
  /** The inspection limits WAF offers for API Gateway, by setting name. */
  bodyInspectionLimits: { KB_16: 16_384, KB_32: 32_768, KB_48: 49_152, KB_64: 65_536 },
} as const;

export type BodyInspectionLimit = keyof typeof WAF_FACTS.bodyInspectionLimits;

/**
 * The smallest inspection limit that sees a whole maximum-size body, so that the ACL's
 * oversize handling (MATCH: treat an uninspectable body as an attack) only ever fires
 * on bodies the API would reject anyway.
 */
export function requiredBodyInspectionLimit(maxBodyBytes: number = MAX_BODY_BYTES): BodyInspectionLimit {
  const fit = (Object.entries(WAF_FACTS.bodyInspectionLimits) as Array<[BodyInspectionLimit, number]>).find(
    ([, bytes]) => bytes >= maxBodyBytes,
  );
  if (!fit) throw new Error(`a ${maxBodyBytes}-byte body is larger than any WAF body inspection limit (64 KB at most)`);
  return fit[0];
}
