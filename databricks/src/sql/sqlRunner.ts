/** Running SQL on a Databricks SQL warehouse: the statement shape, the runner interface and its `@databricks/sql` implementation. */

export interface SqlQuery {
  sql: string;
  params: Record<string, string | number | Date>;
}

/** Runs one statement on the warehouse; rows are plain objects keyed by column alias. */
export interface SqlRunner {
  query(q: SqlQuery): Promise<Record<string, unknown>[]>;
  /** Rows a chunk at a time, for exports of any size. */
  stream(q: SqlQuery): AsyncIterable<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface DatabricksSqlSettings {
  host: string;
  httpPath: string;
  token: string;
}

/**
 * A SqlRunner on `@databricks/sql`. The driver (and its Thrift/Arrow dependencies) is imported on first use,
 * so processes on the default PostgreSQL backend never load it. One session per statement keeps the
 * runner safe for concurrent questions; the client connection is shared.
 */
export function createDatabricksSqlRunner(settings: DatabricksSqlSettings, load: () => Promise<typeof import('@databricks/sql')> = () => import('@databricks/sql')): SqlRunner {
  type Driver = typeof import('@databricks/sql');
  let client: Promise<{ driver: Driver; client: InstanceType<Driver['DBSQLClient']> }> | null = null;

  function connect() {
    client ??= (async () => {
      const driver = await load();
      // The driver logs every connection at info on the console; only its warnings and errors matter here.
      const c = new driver.DBSQLClient(driver.DBSQLLogger ? { logger: new driver.DBSQLLogger({ level: driver.LogLevel.warn }) } : {});
      await c.connect({ host: settings.host, path: settings.httpPath, token: settings.token });
      return { driver, client: c };
    })().catch((err: unknown) => {
      client = null; // try again on the next question
      throw err;
    });
    return client;
  }

  function parameters(driver: Driver, params: SqlQuery['params']) {
    return Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, v instanceof Date ? new driver.DBSQLParameter({ type: driver.DBSQLParameterType.TIMESTAMP, value: v }) : v]),
    );
  }

  async function* run(q: SqlQuery): AsyncGenerator<Record<string, unknown>[]> {
    const { driver, client: c } = await connect();
    const session = await c.openSession();
    try {
      const op = await session.executeStatement(q.sql, { namedParameters: parameters(driver, q.params) });
      try {
        do {
          const chunk = (await op.fetchChunk({ maxRows: 1000 })) as Record<string, unknown>[];
          if (chunk.length) yield chunk;
        } while (await op.hasMoreRows());
      } finally {
        await op.close();
      }
    } finally {
      await session.close();
    }
  }

  return {
    async query(q) {
      const out: Record<string, unknown>[] = [];
      for await (const chunk of run(q)) out.push(...chunk);
      return out;
    },
    async *stream(q) {
      for await (const chunk of run(q)) yield* chunk;
    },
    async close() {
      const current = client;
      client = null;
      if (current) await (await current).client.close();
    },
  };
}
