import { Inject, Injectable, ParseUUIDPipe } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';

/** The Content-Type of an answer forwarded as JSON text (`@Header(...JSON_CONTENT_TYPE)` on the route). */
export const JSON_CONTENT_TYPE = ['Content-Type', 'application/json; charset=utf-8'] as const;

/** Forwards a REST call to the service that owns it, on behalf of the calling user. */
@Injectable()
export class ServiceClient {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  call<TResult>(pattern: string, actor: Actor, payload: unknown = {}): Promise<TResult> {
    return this.rpc.send<TResult>(pattern, { actor, payload });
  }

  /**
   * The service's answer as the JSON text it sent, for a route that returns it unchanged (with
   * JSON_CONTENT_TYPE): the gateway neither parses nor re-encodes it, which on a busy route is most of its
   * own work after authentication.
   */
  forward(pattern: string, actor: Actor, payload: unknown = {}): Promise<string | undefined> {
    return this.rpc.sendForJson(pattern, { actor, payload });
  }
}

/** A path id that is not a UUID names nothing: 404, like an id that does not exist. */
export const resourceId = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => ServiceError.notFound(`No such ${what}`) });
