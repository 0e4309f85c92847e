import * as path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from '@homehelper/contracts';

const port = z.coerce.number({ error: 'expected a TCP port number' }).int('expected a whole port number').min(1, 'expected a port from 1 to 65535').max(65535, 'expected a port from 1 to 65535');
const positiveInt = (what: string) => z.coerce.number({ error: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'expected a port range such as 8100-8199')
  .transform((value) => {
    const [from, to] = value.split('-').map(Number);
    return { from, to };
  })
  .refine(({ from, to }) => from >= 1 && to <= 65535 && from <= to, 'expected a port range low-high within 1-65535');

function urlWithScheme(schemes: string[], example: string) {
  const expectation = `expected a ${schemes.map((s) => `${s}//`).join(' or ')} URL such as ${example}`;
  return z.string({ error: expectation }).refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, expectation);
}

const percent = z.coerce.number({ error: 'expected a percentage' }).min(0, 'expected a percentage from 0 to 100').max(100, 'expected a percentage from 0 to 100');
const celsius = z.coerce.number({ error: 'expected degrees Celsius' }).min(0, 'expected degrees Celsius from 0 to 150').max(150, 'expected degrees Celsius from 0 to 150');

const timeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin or UTC');

/** DESIGN §6: every environment variable HomeHelper reads, with its default and what it expects. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'expected development, production or test' }).default('development'),
  DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/homehelper').default(
    'postgres://postgres@127.0.0.1:5432/homehelper',
  ),
  REDIS_URL: urlWithScheme(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  HOMEHELPER_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a short lower-case name such as homehelper')
    .default('homehelper'),
  HOMEHELPER_DATA_DIR: z.string().min(1, 'expected a folder path').default('.homehelper'),
  HOMEHELPER_APPS_DIR: z.string().min(1, 'expected a folder path').optional(),
  JWT_SECRET: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
  JWT_TTL_SECONDS: positiveInt('a number of seconds').default(1800),
  GATEWAY_HOST: z.string().min(1, 'expected a host address such as 0.0.0.0').default('0.0.0.0'),
  GATEWAY_PORT: port.default(8000),
  HEALTH_HOST: z.string().min(1, 'expected a host address such as 127.0.0.1').default('127.0.0.1'),
  HEALTH_PORT: port.optional(),
  DEFAULT_TIMEZONE: timeZone.default('UTC'),
  SERVICE_PORT_RANGE: portRange.default({ from: 8100, to: 8199 }),
  UI_PORT_RANGE: portRange.default({ from: 8501, to: 8599 }),
  UI_TTL_SECONDS: positiveInt('a number of seconds').default(300),
  UI_MAX_RUNNING: positiveInt('a positive whole number').default(3),
  RPC_TIMEOUT_MS: positiveInt('a number of milliseconds').default(5000),
  EVENT_HISTORY_MAX: positiveInt('a positive whole number of events').default(10000),
  SHUTDOWN_GRACE_MS: positiveInt('a number of milliseconds').default(5000),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug'], { error: 'expected error, warn, info or debug' }).default('info'),
  LOG_FORMAT: z.enum(['text', 'json'], { error: 'expected text or json' }).default('text'),
  REGISTRATION_OPEN: flag.default(true),
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every((origin) => origin === '*' || /^https?:\/\/[^/]+$/.test(origin)), 'expected * or a comma-separated list of origins such as https://home.example.com')
    .default([]),
  BODY_LIMIT_KB: positiveInt('a size in kilobytes').default(256),
  TRUST_PROXY: z
    .string()
    .regex(/^[0-9a-zA-Z.:/, ]+$/, 'expected loopback, a number of proxy hops, or a comma-separated list of addresses or subnets such as 10.0.0.0/8')
    .default('loopback'),
  AUTH_RATE_LIMIT_PER_IP: positiveInt('a number of attempts per minute').default(20),
  AUTH_RATE_LIMIT_PER_ACCOUNT: positiveInt('a number of attempts per minute').default(5),
  TOKEN_RATE_LIMIT_PER_MINUTE: positiveInt('a number of requests per minute').default(600),
  SSE_HEARTBEAT_SECONDS: positiveInt('a number of seconds').default(15),
  SCHEDULER_JOB_LOCK_MS: positiveInt('a number of milliseconds').default(30000),
  NOTIFICATIONS_ALLOW_LOOPBACK: flag.default(false),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters of random secret').optional(),
  MONITOR_INTERVAL_SECONDS: positiveInt('a number of seconds').default(5),
  MONITOR_CPU_WARNING_PERCENT: percent.default(90),
  MONITOR_CPU_CRITICAL_PERCENT: percent.default(98),
  MONITOR_CPU_SUSTAINED_SECONDS: positiveInt('a number of seconds').default(300),
  MONITOR_MEMORY_WARNING_PERCENT: percent.default(90),
  MONITOR_MEMORY_CRITICAL_PERCENT: percent.default(95),
  MONITOR_DISK_WARNING_PERCENT: percent.default(85),
  MONITOR_DISK_CRITICAL_PERCENT: percent.default(95),
  MONITOR_TEMPERATURE_WARNING_C: celsius.default(70),
  MONITOR_TEMPERATURE_CRITICAL_C: celsius.default(80),
}).superRefine((config, ctx) => {
  for (const metric of ['CPU', 'MEMORY', 'DISK'] as const) {
    if (config[`MONITOR_${metric}_WARNING_PERCENT`] >= config[`MONITOR_${metric}_CRITICAL_PERCENT`]) {
      ctx.addIssue({ code: 'custom', path: [`MONITOR_${metric}_CRITICAL_PERCENT`], message: `expected more than MONITOR_${metric}_WARNING_PERCENT` });
    }
  }
  if (config.MONITOR_TEMPERATURE_WARNING_C >= config.MONITOR_TEMPERATURE_CRITICAL_C) {
    ctx.addIssue({ code: 'custom', path: ['MONITOR_TEMPERATURE_CRITICAL_C'], message: 'expected more than MONITOR_TEMPERATURE_WARNING_C' });
  }
});

export type ConfigInput = z.infer<typeof configSchema>;

export function resolveDataDir(value: string): string {
  return path.resolve(value);
}
