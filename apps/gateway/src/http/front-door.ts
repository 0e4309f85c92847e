import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { runInRequestContext } from '@homehelper/bus';
import type { AuthenticatedMessage } from '../auth/auth.guard';
import type { RequestObserver } from '../observability/request-observer';

/** Requests the gateway answers on Node's own request and response, ahead of Fastify. */
export interface RawRoute {
  /** The route label (access log, metrics) of a request this route serves, or null to leave it to Fastify. */
  match(url: string): string | null;
  serve(request: IncomingMessage, response: ServerResponse): void | Promise<void>;
}

/**
 * Serves `route`'s requests before Fastify sees them: no body parsing (the app proxy streams bodies on),
 * none of Fastify's hooks (an app or Bull Board sets its own headers), but the same request id, metric
 * and access-log line as every other request. Everything else goes on to the listeners already there.
 */
export function serveBeforeFastify(server: Server, observer: RequestObserver, route: RawRoute): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const label = route.match(request.url ?? '/');
    if (label === null) {
      for (const listener of others) listener.call(server, request, response);
      return;
    }
    const requestId = observer.observe(request, response, { route: () => label, principal: () => (request as AuthenticatedMessage).principal });
    runInRequestContext({ requestId }, () => void route.serve(request, response));
  });
}
