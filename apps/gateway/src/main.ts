import type { Server as HttpServer } from 'node:http';
import { runService } from '@homehelper/service';
import { AuthModule } from './auth/auth.module';
import { ApiToken } from './auth/api-token.entity';
import { User } from './auth/user.entity';
import { EventsModule } from './events/events.module';
import { RealtimeServer } from './events/realtime.server';
import { PlatformHealthModule } from './health/health.module';
import { ErrorsFilter } from './http/errors.filter';
import { ObservabilityModule } from './observability/observability.module';

void runService({
  name: 'gateway',
  imports: [ObservabilityModule, AuthModule, EventsModule, PlatformHealthModule],
  entities: [User, ApiToken],
  ownHttpHealth: true,
  configure: async (app) => {
    app.useGlobalFilters(new ErrorsFilter());
    app.get(RealtimeServer).attach(app.getHttpServer() as HttpServer);
  },
});
