import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { RequestContextLogger } from './request-context';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export function createLogger(config: AppConfig): ConsoleLogger {
  return new RequestContextLogger(config.service, {
    logLevels: LEVELS[config.logLevel],
    json: config.logFormat === 'json',
    colors: config.logFormat === 'text' && Boolean(process.stdout.isTTY),
    prefix: 'HomeHelper',
  });
}
