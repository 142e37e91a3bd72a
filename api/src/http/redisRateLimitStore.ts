import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

/**
 * rate-limit-redis loads its Lua scripts once in `init`; if Redis is down at that moment the store keeps the
 * rejected load forever (and the rejection is unhandled). This wrapper re-initialises after any failure, so
 * counting resumes as soon as Redis is back, and the limiter (with `passOnStoreError`) fails open meanwhile.
 */
export class ResilientRedisStore implements Store {
  private inner: RedisStore;
  private options: Options | undefined;
  private ready: Promise<void> | undefined;
  readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = prefix;
    this.inner = this.create();
  }

  private create(): RedisStore {
    return new RedisStore({ prefix: this.prefix, sendCommand: (command: string, ...args: string[]) => this.redis.call(command, ...args) as Promise<RedisReply> });
  }

  init(options: Options): void {
    this.options = options;
    this.ready = this.inner.init(options).catch(() => this.reset());
  }

  private reset(): void {
    this.inner = this.create();
    this.ready = undefined;
  }

  private async live(): Promise<RedisStore> {
    if (!this.ready && this.options) this.ready = this.inner.init(this.options);
    try {
      await this.ready;
      return this.inner;
    } catch (err) {
      this.reset();
      throw err;
    }
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const store = await this.live();
    try {
      return await store.increment(key);
    } catch (err) {
      this.reset();
      throw err;
    }
  }

  async decrement(key: string): Promise<void> {
    await (await this.live()).decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await (await this.live()).resetKey(key);
  }
}
