import type { Server as HttpServer } from 'node:http';
import { runService } from '@homehelper/service';
import { AuthModule } from './auth/auth.module';
import { User } from './auth/user.entity';
import { EventsModule } from './events/events.module';
import { RealtimeServer } from './events/realtime.server';
import { PlatformHealthModule } from './health/health.module';
import { ErrorsFilter } from './http/errors.filter';

void runService({
  name: 'gateway',
  imports: [AuthModule, EventsModule, PlatformHealthModule],
  entities: [User],
  ownHttpHealth: true,
  configure: async (app) => {
    app.useGlobalFilters(new ErrorsFilter());
    await app.get(RealtimeServer).attach(app.getHttpServer() as HttpServer);
  },
});
