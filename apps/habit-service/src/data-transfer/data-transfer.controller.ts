import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HabitDataDocument, HabitDataImportSummary, LoopImportRequest, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { DataTransferService } from './data-transfer.service';

@Controller()
export class DataTransferController {
  constructor(@Inject(DataTransferService) private readonly transfer: DataTransferService) {}

  @MessagePattern(RpcPatterns.dataTransfer.export)
  export(@Payload() request: RpcRequest): Promise<HabitDataDocument> {
    return this.transfer.export(actorOf(request));
  }

  /** The payload is checked again here: the document's dates are judged against the user's today. */
  @MessagePattern(RpcPatterns.dataTransfer.import)
  import(@Payload() request: RpcRequest<unknown>): Promise<HabitDataImportSummary> {
    return this.transfer.import(actorOf(request), request.payload);
  }

  @MessagePattern(RpcPatterns.dataTransfer.importLoop)
  importLoop(@Payload() request: RpcRequest<LoopImportRequest>): Promise<HabitDataImportSummary> {
    return this.transfer.importLoop(actorOf(request), request.payload);
  }
}
