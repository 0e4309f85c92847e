import { Inject, Injectable, ParseUUIDPipe } from '@nestjs/common';
import type { Actor } from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';

/** Forwards a REST call to the service that owns it, on behalf of the calling user. */
@Injectable()
export class ServiceClient {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  call<TResult>(pattern: string, actor: Actor, payload: unknown = {}): Promise<TResult> {
    return this.rpc.send<TResult>(pattern, { actor, payload });
  }
}

/** A path id that is not a UUID names nothing: 404, like an id that does not exist. */
export const resourceId = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => ServiceError.notFound(`No such ${what}`) });
