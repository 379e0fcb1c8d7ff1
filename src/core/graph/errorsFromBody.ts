import { GraphError } from './errors';
import { fromEnvelope } from './transport';

export { GraphError };

/** The GraphError in a parsed body (a batch item), or undefined when it is not an error. */
export function fromEnvelopeSafe(body: unknown, status: number): GraphError | undefined {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body).error;
    if (typeof error === 'object' && error !== null) {
      return fromEnvelope(error as Record<string, unknown>, status);
    }
  }
  if (status >= 400) {
    return new GraphError({ kind: status >= 500 ? 'transient' : 'badRequest', httpStatus: status, message: `HTTP ${status}` });
  }
  return undefined;
}
