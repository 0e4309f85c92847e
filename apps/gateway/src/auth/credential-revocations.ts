import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@homehelper/config';
import { redisOptionsFromUrl } from '@homehelper/bus';

export type Revocation = { kind: 'api_token'; tokenId: string };

/**
 * Tells every gateway replica that a credential is revoked, so each closes the sockets and event streams
 * opened with it at once (requests are refused anyway: every request looks the credential up). On a channel
 * of its own, it also tells them that a user's identity (role, time zone, active or not) changed, so each
 * drops what it cached of it (see Authenticator).
 */
@Injectable()
export class CredentialRevocations implements OnApplicationShutdown {
  private readonly channel: string;
  private readonly identityChannel: string;
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private subscribed?: Promise<void>;
  private readonly listeners: Array<(revocation: Revocation) => void> = [];
  private readonly identityListeners: Array<(userId: string | null) => void> = [];

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.channel = `${config.instance}:gateway:revocations`;
    this.identityChannel = `${config.instance}:gateway:identity-changes`;
    this.publisher = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true });
  }

  async announce(revocation: Revocation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(revocation));
  }

  async onRevoked(listener: (revocation: Revocation) => void): Promise<void> {
    this.listeners.push(listener);
    await this.subscribe();
  }

  async announceIdentityChange(userId: string): Promise<void> {
    await this.publisher.publish(this.identityChannel, JSON.stringify({ userId }));
  }

  /**
   * Calls `listener` with the id of each user whose identity changed, and with null whenever the subscription
   * breaks (announcements may have been missed: everything may have changed).
   */
  async onIdentityChanged(listener: (userId: string | null) => void): Promise<void> {
    this.identityListeners.push(listener);
    await this.subscribe();
  }

  /** Whether announcements reach this replica right now (what it caches is only good while they do). */
  get listening(): boolean {
    return this.subscriber?.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher, this.subscriber].map((redis) => redis?.quit().catch(() => redis.disconnect())));
  }

  private subscribe(): Promise<void> {
    this.subscribed ??= (async () => {
      const subscriber = new Redis(redisOptionsFromUrl(this.config.redisUrl));
      this.subscriber = subscriber;
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === this.channel) {
          const revocation = JSON.parse(message) as Revocation;
          for (const notify of this.listeners) notify(revocation);
        } else if (channel === this.identityChannel) {
          const { userId } = JSON.parse(message) as { userId: string };
          for (const notify of this.identityListeners) notify(userId);
        }
      });
      subscriber.on('close', () => {
        for (const notify of this.identityListeners) notify(null);
      });
      await subscriber.subscribe(this.channel, this.identityChannel);
    })();
    return this.subscribed;
  }
}
