import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { currentRequestId } from '@homehelper/bus';

// The context itself lives in libs/bus (its RPC client and server carry it); services use it from here.
export { currentRequestContext, currentRequestId, requestIdFrom, runInRequestContext } from '@homehelper/bus';
export type { RequestContext } from '@homehelper/bus';

type LogFields = Record<string, unknown> & { message?: unknown };
type JsonLine = { level: LogLevel; pid: number; timestamp: number; message: unknown; context?: string; stack?: unknown } & Record<string, unknown>;

/** Keys of Nest's JSON log line that a structured message may not overwrite. */
const RESERVED = new Set(['level', 'pid', 'timestamp', 'context', 'stack', 'service']);

/**
 * Nest's ConsoleLogger, with the request being handled on every line (`requestId`) and structured messages:
 * `logger.log({ message: 'request', status: 200 })` becomes top-level fields of the JSON line, or
 * `request status=200` in text.
 */
export class RequestContextLogger extends ConsoleLogger {
  constructor(
    private readonly service: string,
    options: ConsoleLoggerOptions,
  ) {
    super(service, options);
  }

  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ): JsonLine {
    const line: JsonLine = { ...super.getJsonLogObject(message, options), service: this.service };
    if (isFields(message)) {
      const { message: text, ...fields } = message;
      line.message = text ?? '';
      for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key) && value !== undefined) line[key] = value;
    }
    const requestId = currentRequestId();
    if (requestId && line.requestId === undefined) line.requestId = requestId;
    return line;
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    if (!isFields(message)) return super.stringifyMessage(message, logLevel) as string;
    const { message: text, ...fields } = message;
    const pairs = Object.entries(fields)
      .filter(([key, value]) => value !== undefined && !(key === 'requestId' && value === currentRequestId()))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    return this.colorize([text ?? '', ...pairs].join(' '), logLevel);
  }

  protected override formatContext(context: string): string {
    const requestId = currentRequestId();
    return `${super.formatContext(context)}${requestId ? `[${requestId}] ` : ''}`;
  }
}

function isFields(message: unknown): message is LogFields {
  return typeof message === 'object' && message !== null && !Array.isArray(message) && !(message instanceof Error) && Object.getPrototypeOf(message) === Object.prototype;
}
