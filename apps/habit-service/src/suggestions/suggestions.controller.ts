import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { SuggestionsService } from './suggestions.service';

@Controller()
export class SuggestionsController {
  constructor(@Inject(SuggestionsService) private readonly suggestions: SuggestionsService) {}

  @MessagePattern(RpcPatterns.suggestions.adaptive)
  adaptive(@Payload() request: RpcRequest<{ habitId: string }>) {
    return this.suggestions.adaptive(actorOf(request), request.payload.habitId);
  }

  @MessagePattern(RpcPatterns.suggestions.detectRisks)
  detectRisks(@Payload() request: RpcRequest) {
    return this.suggestions.detectRisks(actorOf(request));
  }
}
