import 'reflect-metadata';
import { INestApplication, Logger, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { AppConfig, ConfigError, ConfigModule, loadConfig } from '@homehelper/config';
import { ServiceName } from '@homehelper/contracts';
import { BusModule, RpcServer } from '@homehelper/bus';
import { DatabaseModule, EntityTarget, PoolSettings } from '@homehelper/database';
import { healthRpcController, ServiceHealthHttpController } from './health.controllers';
import { HealthModule } from './health.module';
import { acceptJsonBodies } from './json-bodies';
import { createLogger } from './logger';

export interface ServiceDefinition {
  name: ServiceName;
  /** The service's own feature module(s). */
  imports?: Type<unknown>[];
  entities?: EntityTarget[];
  /** Services whose tables this one uses too; their migrations run first. */
  sharedTablesOf?: ServiceName[];
  /** The connection pool's settings, where the defaults do not suit the service. */
  databasePool?: PoolSettings;
  /** The gateway answers `/health` itself (aggregated over every service); the others use the standard one. */
  ownHttpHealth?: boolean;
  /** The HTTP server's options where Fastify's defaults do not suit the service (body limit, trusted proxies). */
  httpServer?: (config: AppConfig) => FastifyServerOptions;
  /** Last set-up of the HTTP application before it listens (filters, security headers, socket.io). */
  configure?: (app: NestFastifyApplication, config: AppConfig) => void | Promise<void>;
}

/**
 * What every service's HTTP server does unlike Fastify's defaults: `/api/habits/` is `/api/habits`, and a
 * client gets Node's five minutes to send a whole request (Fastify would wait for ever).
 */
const HTTP_SERVER_DEFAULTS: FastifyServerOptions = { routerOptions: { ignoreTrailingSlash: true }, requestTimeout: 300_000 };

/**
 * Boots one HomeHelper service as a NestJS hybrid app: the Redis RPC listener plus an HTTP server for
 * `/health`. On SIGTERM or SIGINT it stops taking requests, lets those in flight finish, closes its
 * connections and exits; a watchdog ends it if that takes longer than the grace period.
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  const config = loadConfigOrExit(definition.name);
  try {
    await boot(definition, config);
  } catch (error) {
    Logger.error(`Could not start: ${(error as Error).message}`, undefined, 'Service');
    process.exit(1);
  }
}

async function boot(definition: ServiceDefinition, config: AppConfig): Promise<void> {
  const logger = createLogger(config);

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      BusModule,
      DatabaseModule.forRoot(definition.entities, definition.sharedTablesOf, definition.databasePool),
      HealthModule,
      ...(definition.imports ?? []),
    ],
    controllers: [healthRpcController(definition.name), ...(definition.ownHttpHealth ? [] : [ServiceHealthHttpController])],
  })
  class ServiceModule {}

  const adapter = new FastifyAdapter({ ...HTTP_SERVER_DEFAULTS, ...definition.httpServer?.(config) });
  acceptJsonBodies(adapter.getInstance());
  // Fastify's body parsers (JSON as acceptJsonBodies sets it, plain text), not Nest's, within the server's body limit.
  const app = await NestFactory.create<NestFastifyApplication>(ServiceModule, adapter, { logger, abortOnError: false, bodyParser: false });
  const rpcServer = new RpcServer({ redisUrl: config.redisUrl, instance: config.instance, drainTimeoutMs: config.shutdownGraceMs });
  app.connectMicroservice({ strategy: rpcServer }, { inheritAppConfig: true });
  await definition.configure?.(app, config);
  await app.startAllMicroservices();
  await app.listen(config.healthPort, definition.name === 'gateway' ? config.gatewayHost : config.healthHost);
  stopGracefullyOnSignals(app, rpcServer, config);
  Logger.log(`Ready: HTTP on ${config.healthPort}, RPC on ${config.instance}:rpc:*`, 'Service');
}

function loadConfigOrExit(name: ServiceName): AppConfig {
  try {
    return loadConfig(name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

function stopGracefullyOnSignals(app: INestApplication, rpcServer: RpcServer, config: AppConfig): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    Logger.log(`${signal}: finishing work in flight, then stopping`, 'Service');
    setTimeout(() => {
      Logger.error(`Still busy after ${config.shutdownGraceMs} ms: exiting anyway`, undefined, 'Service');
      process.exit(1);
    }, config.shutdownGraceMs + 1000).unref();
    await rpcServer.stopAcceptingRequests();
    await app.close();
    Logger.log('Stopped', 'Service');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
