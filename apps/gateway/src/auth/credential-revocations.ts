import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@homehelper/config';
import { redisOptionsFromUrl } from '@homehelper/bus';

export type Revocation = { kind: 'api_token'; tokenId: string };

/**
 * Tells every gateway replica that a credential is revoked, so each closes the sockets and event streams
 * opened with it at once (requests are refused anyway: every request looks the credential up).
 */
@Injectable()
export class CredentialRevocations implements OnApplicationShutdown {
  private readonly channel: string;
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private readonly listeners: Array<(revocation: Revocation) => void> = [];

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.channel = `${config.instance}:gateway:revocations`;
    this.publisher = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true });
  }

  async announce(revocation: Revocation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(revocation));
  }

  async onRevoked(listener: (revocation: Revocation) => void): Promise<void> {
    this.listeners.push(listener);
    if (this.subscriber) return;
    this.subscriber = new Redis(redisOptionsFromUrl(this.config.redisUrl));
    this.subscriber.on('message', (_channel: string, message: string) => {
      const revocation = JSON.parse(message) as Revocation;
      for (const notify of this.listeners) notify(revocation);
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher, this.subscriber].map((redis) => redis?.quit().catch(() => redis.disconnect())));
  }
}
