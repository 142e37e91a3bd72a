/**
 * Named errors of the local stack tooling, so callers (start.ts, jest globalSetup, CI) can tell
 * "a port is taken" from "a component crashed while starting" without parsing messages.
 */

/** Base class: every error the stack tooling throws on purpose. */
export class StackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A component did not become ready (exited early or timed out); carries its last output lines. */
export class ComponentStartError extends StackError {
  constructor(
    readonly component: string,
    reason: string,
    readonly recentOutput: readonly string[],
    readonly logFile?: string,
  ) {
    super(
      `${component} failed to start: ${reason}` +
        (recentOutput.length > 0
          ? `\n--- last ${recentOutput.length} line(s) of ${component} output ---\n${recentOutput.join('\n')}`
          : `\n(${component} printed nothing)`) +
        (logFile ? `\nfull log: ${logFile}` : ''),
    );
  }
}

/** A fixed port we must listen on is already taken by something that is not ours. */
export class PortInUseError extends StackError {
  constructor(
    readonly component: string,
    readonly port: number,
    hint: string,
  ) {
    super(`${component}: port ${port} on 127.0.0.1 is already in use by another process. ${hint}`);
  }
}

/** An executable we need could not be found anywhere we looked. */
export class BinaryNotFoundError extends StackError {
  constructor(
    readonly component: string,
    readonly tried: readonly string[],
    hint: string,
  ) {
    super(`${component}: executable not found (looked at: ${tried.join(', ')}). ${hint}`);
  }
}

/** PostgreSQL does not answer on the configured URL (and we could not, or may not, start it). */
export class PostgresUnavailableError extends StackError {}

/** A component that was running exited while nobody asked it to stop. */
export class ComponentExitedError extends StackError {
  constructor(
    readonly component: string,
    readonly exitDescription: string,
    readonly recentOutput: readonly string[],
  ) {
    super(
      `${component} exited unexpectedly (${exitDescription})` +
        (recentOutput.length > 0 ? `\n--- last output of ${component} ---\n${recentOutput.join('\n')}` : ''),
    );
  }
}
