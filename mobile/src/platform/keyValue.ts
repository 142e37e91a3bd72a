/** Small string settings (server URL, tokens) kept across restarts. */
export interface KeyValue {
  get(key: string): Promise<string | null>;
  set(key: string, value: string | null): Promise<void>;
}

export class MemoryKeyValue implements KeyValue {
  readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key) ?? null;
  }
  async set(key: string, value: string | null) {
    if (value === null) this.map.delete(key);
    else this.map.set(key, value);
  }
}
