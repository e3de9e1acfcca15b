/**
 * Replaces `@smithy/core/event-streams` in Lambda bundles. The S3 client wires event-stream
 * support into every client for the few operations that stream events (SelectObjectContent);
 * the handlers never call them. Calling one fails with this error instead of a silent hang.
 */
function unsupported(): never {
  throw new Error('AWS SDK event streams are not bundled in this function (no handler calls an event-stream operation)');
}

/** The client config step: leaves the config as it is (no event-stream marshaller). */
export const resolveEventStreamSerdeConfig = <T>(input: T): T => input;

export const eventStreamSerdeProvider = (): never => unsupported();

export class EventStreamSerde {
  constructor() {
    unsupported();
  }
}
