import type { Server as HttpServer } from 'node:http';
import { runService } from '@homehelper/service';
import { AppsModule } from './apps/apps.module';
import { AuthModule } from './auth/auth.module';
import { ApiToken } from './auth/api-token.entity';
import { User } from './auth/user.entity';
import { EventsModule } from './events/events.module';
import { RealtimeServer } from './events/realtime.server';
import { HabitsModule } from './habits/habits.module';
import { JobsModule } from './jobs/jobs.module';
import { QueueBoard } from './jobs/queue-board';
import { PlatformHealthModule } from './health/health.module';
import { ErrorsFilter } from './http/errors.filter';
import { gatewayHttpServer, secureHttp } from './http/security';
import { ObservabilityModule } from './observability/observability.module';
import { setupOpenApi } from './openapi/openapi';
import { AppProxy } from './proxy/app-proxy';
import { ProxyModule } from './proxy/proxy.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SystemModule } from './system/system.module';
import { UiModule } from './ui/ui.module';

void runService({
  name: 'gateway',
  imports: [ObservabilityModule, RateLimitModule, AuthModule, EventsModule, HabitsModule, AppsModule, ProxyModule, UiModule, JobsModule, SystemModule, PlatformHealthModule],
  entities: [User, ApiToken],
  ownHttpHealth: true,
  httpServer: gatewayHttpServer,
  configure: (app, config) => {
    const server = app.getHttpServer() as HttpServer;
    // /apps/<id>/ and Bull Board ahead of Fastify: request bodies reach the apps unparsed, and they set their own headers.
    app.get(AppProxy).mount(server);
    app.get(QueueBoard).mount(server);
    secureHttp(app, config);
    app.useGlobalFilters(new ErrorsFilter());
    setupOpenApi(app);
    app.get(RealtimeServer).attach(server);
    app.get(AppProxy).attachUpgrades(server);
  },
});
