/** Where the worker receives job-run webhooks, and the basic-auth user the notification destination sends (password: RUN_EVENTS_SECRET). */
export const RUN_EVENTS_PATH = '/databricks/run-events';
export const RUN_EVENTS_USER = 'voyce-run-events';
