import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export function createLogger(config: AppConfig): ConsoleLogger {
  return new ConsoleLogger(config.service, {
    logLevels: LEVELS[config.logLevel],
    json: config.logFormat === 'json',
    colors: config.logFormat === 'text' && Boolean(process.stdout.isTTY),
    prefix: 'HomeHelper',
  });
}
