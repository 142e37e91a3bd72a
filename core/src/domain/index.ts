/**
 * `@voyce/core/domain`: the domain types and constants only (no database, blob or logger code), for the
 * workflow bundle and anything else that must not load the server's dependencies.
 */
export * from './submission';
export * from './labels';
export * from './audioRejection';
export * from './organisation';
export * from './orgModel';
export * from './user';
export * from './workflowContract';
export * from './runEvents';
