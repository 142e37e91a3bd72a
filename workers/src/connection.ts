import { NativeConnection } from '@temporalio/worker';
import type { Config } from '@voyce/core';

/** Connects to Temporal, retrying while the server is still coming up. */
export async function connectWithRetry(config: Config, attempts = 30): Promise<NativeConnection> {
  for (let i = 1; ; i++) {
    try {
      return await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
