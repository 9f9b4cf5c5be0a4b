/**
 * Errors of the delivery API, in Contentstack's wire shape `{ error_message, error_code, errors }`
 * so that its SDKs hand them to the caller intact. Statuses are 412 (credentials) and 422 (bad
 * input or missing objects) as Contentstack sends them: the v5 SDK retries a 401 four times and
 * then throws a generic error without the message, while 412 and 422 reach the caller.
 */
export class DeliveryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    /** Per-parameter details, e.g. `{ api_key: ['is not valid.'] }`. */
    readonly errors: Record<string, string[]> = {},
    /** Extra response headers (Allow on 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  toBody(): { error_message: string; error_code: number; errors: Record<string, string[]> } {
    return { error_message: this.message, error_code: this.errorCode, errors: this.errors };
  }
}

/** Contentstack's error codes for the cases the delivery API has. */
export const ERROR_CODES = {
  /** api_key missing or wrong. */
  apiKey: 109,
  /** Delivery (access) token missing or wrong. */
  accessToken: 105,
  /** Missing object, bad parameter, bad token, unknown environment. */
  invalid: 141,
  /** Unknown content type. */
  contentType: 118,
  /** Unknown asset. */
  asset: 145,
  notFound: 404,
  method: 405,
  internal: 500,
} as const;

export function invalidParameter(name: string, message: string): DeliveryError {
  return new DeliveryError(422, ERROR_CODES.invalid, message, { [name]: ['is not valid.'] });
}
