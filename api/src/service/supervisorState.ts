import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** One part as `npm start`'s supervisor (scripts/stack/supervisor.ts) writes it to its state file. */
const partSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'backoff', 'restarting', 'failed', 'stopped']),
  pid: z.number().int().nullable(),
  restarts: z.number().int().min(0),
  crashes: z.number().int().min(0),
  lastExit: z.string().nullable(),
  since: z.string(),
});
const fileSchema = z.object({ supervisorPid: z.number().int(), updatedAt: z.string(), parts: z.array(partSchema) });

export type SupervisedPart = z.infer<typeof partSchema>;

/** Reads the state file when one is configured; null when none is, or it is missing or not in the expected shape. */
export async function readSupervisorParts(file: string | undefined): Promise<SupervisedPart[] | null> {
  if (!file) return null;
  try {
    const parsed = fileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.parts : null;
  } catch {
    return null;
  }
}
