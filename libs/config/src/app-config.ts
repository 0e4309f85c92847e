import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SERVICE_NAMES, ServiceName } from '@homehelper/contracts';
import { ConfigInput, configSchema, resolveDataDir } from './config.schema';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface PortRange {
  from: number;
  to: number;
}

export interface Thresholds {
  warning: number;
  critical: number;
}

/** The system monitor: how often it samples, and where each metric turns warning and critical. */
export interface MonitorConfig {
  intervalSeconds: number;
  /** CPU busy share, averaged over `cpuSustainedSeconds`. */
  cpuPercent: Thresholds;
  cpuSustainedSeconds: number;
  memoryPercent: Thresholds;
  diskPercent: Thresholds;
  temperatureCelsius: Thresholds;
}

/** The validated configuration of one service process. Built once at boot; nothing else reads process.env. */
export class AppConfig {
  readonly nodeEnv: ConfigInput['NODE_ENV'];
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Prefix of every Redis key and channel, so two installations can share one Redis. */
  readonly instance: string;
  readonly dataDir: string;
  readonly appsDir: string;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly gatewayHost: string;
  readonly gatewayPort: number;
  readonly healthHost: string;
  /** The HTTP port of this service's /health (the gateway serves it on its own port). */
  readonly healthPort: number;
  readonly defaultTimezone: string;
  readonly servicePortRange: PortRange;
  readonly uiPortRange: PortRange;
  readonly uiTtlSeconds: number;
  readonly uiMaxRunning: number;
  readonly rpcTimeoutMs: number;
  readonly eventHistoryMax: number;
  readonly shutdownGraceMs: number;
  readonly logLevel: ConfigInput['LOG_LEVEL'];
  readonly logFormat: ConfigInput['LOG_FORMAT'];
  /** After the first user (who is always let in), may more people register themselves? */
  readonly registrationOpen: boolean;
  /** Origins allowed by CORS; empty means same-origin only, `*` any. */
  readonly corsOrigins: string[];
  readonly bodyLimitKb: number;
  /** Which proxies may tell the client's address in X-Forwarded-For (Express `trust proxy` syntax). */
  readonly trustProxy: string | number;
  readonly authRateLimitPerIp: number;
  readonly authRateLimitPerAccount: number;
  readonly tokenRateLimitPerMinute: number;
  readonly sseHeartbeatSeconds: number;
  /** How long a scheduler worker holds a job without renewing it: a job whose worker died is taken up again after this. */
  readonly schedulerJobLockMs: number;
  /** Whether users' ntfy and webhook deliveries may go to this machine's own loopback addresses. */
  readonly notificationsAllowLoopback: boolean;
  /** Bearer token that opens /metrics from outside loopback; unset means loopback only. */
  readonly metricsToken: string | undefined;
  readonly monitor: MonitorConfig;

  constructor(
    readonly service: ServiceName,
    input: ConfigInput,
  ) {
    this.nodeEnv = input.NODE_ENV;
    this.databaseUrl = input.DATABASE_URL;
    this.redisUrl = input.REDIS_URL;
    this.instance = input.HOMEHELPER_INSTANCE;
    this.dataDir = resolveDataDir(input.HOMEHELPER_DATA_DIR);
    this.appsDir = path.resolve(input.HOMEHELPER_APPS_DIR ?? path.join(this.dataDir, 'apps'));
    this.jwtSecret = input.JWT_SECRET ?? '';
    this.jwtTtlSeconds = input.JWT_TTL_SECONDS;
    this.gatewayHost = input.GATEWAY_HOST;
    this.gatewayPort = input.GATEWAY_PORT;
    this.healthHost = input.HEALTH_HOST;
    this.healthPort =
      service === 'gateway' ? input.GATEWAY_PORT : (input.HEALTH_PORT ?? input.GATEWAY_PORT + SERVICE_NAMES.indexOf(service));
    this.defaultTimezone = input.DEFAULT_TIMEZONE;
    this.servicePortRange = input.SERVICE_PORT_RANGE;
    this.uiPortRange = input.UI_PORT_RANGE;
    this.uiTtlSeconds = input.UI_TTL_SECONDS;
    this.uiMaxRunning = input.UI_MAX_RUNNING;
    this.rpcTimeoutMs = input.RPC_TIMEOUT_MS;
    this.eventHistoryMax = input.EVENT_HISTORY_MAX;
    this.shutdownGraceMs = input.SHUTDOWN_GRACE_MS;
    this.logLevel = input.LOG_LEVEL;
    this.logFormat = input.LOG_FORMAT;
    this.registrationOpen = input.REGISTRATION_OPEN;
    this.corsOrigins = input.CORS_ORIGINS;
    this.bodyLimitKb = input.BODY_LIMIT_KB;
    this.trustProxy = /^\d+$/.test(input.TRUST_PROXY) ? Number(input.TRUST_PROXY) : input.TRUST_PROXY;
    this.authRateLimitPerIp = input.AUTH_RATE_LIMIT_PER_IP;
    this.authRateLimitPerAccount = input.AUTH_RATE_LIMIT_PER_ACCOUNT;
    this.tokenRateLimitPerMinute = input.TOKEN_RATE_LIMIT_PER_MINUTE;
    this.sseHeartbeatSeconds = input.SSE_HEARTBEAT_SECONDS;
    this.schedulerJobLockMs = input.SCHEDULER_JOB_LOCK_MS;
    this.notificationsAllowLoopback = input.NOTIFICATIONS_ALLOW_LOOPBACK;
    this.metricsToken = input.METRICS_TOKEN;
    this.monitor = {
      intervalSeconds: input.MONITOR_INTERVAL_SECONDS,
      cpuPercent: { warning: input.MONITOR_CPU_WARNING_PERCENT, critical: input.MONITOR_CPU_CRITICAL_PERCENT },
      cpuSustainedSeconds: input.MONITOR_CPU_SUSTAINED_SECONDS,
      memoryPercent: { warning: input.MONITOR_MEMORY_WARNING_PERCENT, critical: input.MONITOR_MEMORY_CRITICAL_PERCENT },
      diskPercent: { warning: input.MONITOR_DISK_WARNING_PERCENT, critical: input.MONITOR_DISK_CRITICAL_PERCENT },
      temperatureCelsius: { warning: input.MONITOR_TEMPERATURE_WARNING_C, critical: input.MONITOR_TEMPERATURE_CRITICAL_C },
    };
  }
}

/**
 * Validates the environment for one service. Throws a ConfigError whose message is one line naming each
 * bad variable and what it expects; values are never echoed, since some are secrets.
 */
export function loadConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration for ${service}: ${problems.join('; ')}`);
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.JWT_SECRET) {
    throw new ConfigError(`Invalid configuration for ${service}: JWT_SECRET: required in production (at least 32 random characters)`);
  }
  const config = new AppConfig(service, parsed.data);
  return config.jwtSecret ? config : withGeneratedJwtSecret(config);
}

/** Outside production the JWT secret is generated once and kept under the data folder. */
function withGeneratedJwtSecret(config: AppConfig): AppConfig {
  const file = path.join(config.dataDir, 'jwt-secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside and hard-linked into place, so a service starting at the same moment never reads it half-written.
    const draft = `${file}.${process.pid}`;
    fs.writeFileSync(draft, randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.unlinkSync(draft);
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  return Object.assign(Object.create(AppConfig.prototype), config, { jwtSecret: secret }) as AppConfig;
}
