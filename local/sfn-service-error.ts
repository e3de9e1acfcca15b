/** An AWS-style Step Functions service error: `code` becomes `__type` on the wire. */
export class SfnServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}
