/** Whether the device has a network now, and a way to hear when that changes. */
export interface Connectivity {
  isOnline(): boolean;
  /** Calls back with the new state on every change; returns the unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** A Connectivity the test controls. */
export class FakeConnectivity implements Connectivity {
  private readonly listeners = new Set<(online: boolean) => void>();
  constructor(private online = true) {}
  isOnline(): boolean {
    return this.online;
  }
  set(online: boolean): void {
    this.online = online;
    for (const l of this.listeners) l(online);
  }
  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
