import { Logger } from '@nestjs/common';
import { RequestContextLogger, runInRequestContext } from './request-context';

describe('RequestContextLogger', () => {
  let written: string[];
  let spies: jest.SpyInstance[];

  beforeEach(() => {
    written = [];
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  });
  afterEach(() => spies.forEach((spy) => spy.mockRestore()));

  const json = () => new RequestContextLogger('habit-service', { json: true, logLevels: ['log', 'debug', 'error', 'warn'] });
  const text = () => new RequestContextLogger('habit-service', { json: false, colors: false, prefix: 'HomeHelper', logLevels: ['log', 'debug'] });
  const lines = () => written.join('').split('\n').filter(Boolean);

  it('in JSON writes one object per line, with the request id of the request being handled', async () => {
    const logger = json();
    logger.log('outside any request', 'Service');
    await runInRequestContext({ requestId: 'abc-123' }, async () => {
      await Promise.resolve();
      logger.debug('inside', 'RPC');
    });
    const [outside, inside] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).toMatchObject({ level: 'log', message: 'outside any request', context: 'Service', service: 'habit-service' });
    expect(outside).not.toHaveProperty('requestId');
    expect(inside).toMatchObject({ level: 'debug', message: 'inside', context: 'RPC', requestId: 'abc-123' });
  });

  it('in JSON makes a structured message top-level fields, which may not overwrite the line’s own', () => {
    json().log({ message: 'RPC handled', pattern: 'habits.health.check', durationMs: 1.5, level: 'fatal', requestId: 'r-9' }, 'RPC');
    const line = JSON.parse(lines()[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'log', message: 'RPC handled', pattern: 'habits.health.check', durationMs: 1.5, requestId: 'r-9', context: 'RPC' });
  });

  it('in JSON keeps an error with its stack on one line', () => {
    json().error('it broke', 'Error: it broke\n    at somewhere (file.ts:1:1)', 'HTTP');
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0])).toMatchObject({ level: 'error', message: 'it broke', stack: expect.stringContaining('at somewhere') });
  });

  it('in text shows the request id beside the context and fields as key=value', () => {
    const logger = text();
    runInRequestContext({ requestId: 'abc-123' }, () => logger.log({ message: 'request', method: 'GET', status: 200, userId: undefined }, 'HTTP'));
    logger.log({ message: 'request', requestId: 'from-fields' }, 'HTTP');
    const [inside, outside] = lines();
    expect(inside).toMatch(/\[HTTP\] \[abc-123\] request method=GET status=200$/);
    expect(outside).toMatch(/\[HTTP\] request requestId=from-fields$/);
  });

  it('is what Nest’s Logger writes through once it is the application logger', () => {
    Logger.overrideLogger(json());
    try {
      runInRequestContext({ requestId: 'via-nest' }, () => new Logger('Feature').log('hello'));
    } finally {
      Logger.overrideLogger(false);
    }
    expect(JSON.parse(lines()[0])).toMatchObject({ message: 'hello', context: 'Feature', requestId: 'via-nest' });
  });
});
