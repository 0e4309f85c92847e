import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AppProxy } from './app-proxy';
import { AppRoutes } from './app-routes';
import { UiActivity } from './ui-activity';

/**
 * The reverse proxy for managed apps at `/apps/<id>/` (HTTP and WebSocket), the cache of where each app
 * runs, and the traffic reports that keep UI apps awake. Wired into the HTTP server by main.ts.
 */
@Module({ imports: [AuthModule], providers: [AppProxy, AppRoutes, UiActivity], exports: [AppProxy, AppRoutes, UiActivity] })
export class ProxyModule {}
