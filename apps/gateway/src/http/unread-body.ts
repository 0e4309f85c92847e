import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';

/** How much of a refused request's body is read and dropped so that its client sees the answer; past it, the connection is cut. */
const MAX_DRAINED_BYTES = 32 * 1024 * 1024;

/**
 * Calls `answer` once the request's body has all arrived. A request refused before its body was read (too
 * large, no credentials) has the rest of its body read and dropped first: a client still sending would
 * otherwise have its upload cut (EPIPE) instead of reading the answer. Past MAX_DRAINED_BYTES it answers at
 * once, and the connection closes.
 */
export function whenBodyRead(request: IncomingMessage, answer: () => void): void {
  if (request.complete) return answer();
  let drained = 0;
  let answered = false;
  const answerOnce = () => {
    if (answered) return;
    answered = true;
    request.off('data', count);
    answer();
  };
  const count = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) answerOnce();
  };
  request.on('data', count);
  finished(request, answerOnce);
  request.resume();
}
