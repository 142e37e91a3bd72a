import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { VOYCE_SEARCH_ATTRIBUTES } from '@voyce/workflows';
import type { Config, Logger } from '@voyce/core';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * Registers Voyce's custom search attributes on the namespace if missing. Runs before the worker polls, so no
 * workflow can upsert an attribute the server does not know (which would fail its workflow task).
 */
export async function ensureSearchAttributes(config: Config, logger: Logger): Promise<void> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: config.TEMPORAL_NAMESPACE });
    const missing = VOYCE_SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
    logger.info({ added: missing }, 'registered search attributes');
  } finally {
    await connection.close();
  }
}
