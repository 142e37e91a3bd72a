import { z } from 'zod';
import { SUBMISSION_STATUSES } from '@voyce/core';
import { auditEntrySchema, auditListQuery, schedulePauseBody, userIdParams, userListQuery, userPatchBody } from '../admin/schemas';
import { loginBody, oauthTokenBody, refreshBody, registerBody, resetConfirmBody, resetRequestBody, sessionSchema, tokenPairSchema, unlockBody, userSchema } from '../auth/schemas';
import { deviceBody, deviceParams, deviceSchema } from '../devices/devicesRouter';
import { languageFilter } from '../http/languageFilter';
import { orgModelSchema, orgParams, trainingSchema } from '../orgs/schemas';
import { settingsBody as notificationSettingsBody } from '../notifications/notificationsRouter';
import { labelsBody, labelsSchema } from '../submissions/labelsSchemas';
import { listQuery as submissionListQuery } from '../submissions/submissionsRouter';
import { ORG_ROUTES } from './orgRoutes';

/** One operation of the document. Schemas are the very zod objects the routers validate with. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `/api/submissions/{id}`. */
  path: string;
  tag: string;
  summary: string;
  /** Longer prose (CommonMark), when the summary is not enough. */
  description?: string;
  auth: boolean;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** Request headers that change what the route does. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** A JSON Schema for bodies zod does not describe (multipart). */
  multipart?: Record<string, unknown>;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, string> }>;
}

// The web app's cookie session (api/src/auth/refreshCookie.ts): an addition to API.md; without the header nothing changes.
const cookieSessionHeader = z.object({
  'X-Voyce-Session': z
    .literal('cookie')
    .optional()
    .describe('web app only: keep the refresh token in the HttpOnly cookie `voyce_refresh` (SameSite=Strict, Path=/api/auth) instead of the JSON body'),
});
const COOKIE_NOTE =
  'With `X-Voyce-Session: cookie` the refresh token is not in the body: it is set as the HttpOnly cookie `voyce_refresh` (SameSite=Strict, Secure over HTTPS, Path=/api/auth, Max-Age the refresh-token lifetime). Without the header the answer is the one of API.md.';
const setsCookie = { 'Set-Cookie': 'with `X-Voyce-Session: cookie` only: `voyce_refresh=…; HttpOnly; SameSite=Strict; Path=/api/auth`' };
// OWASP's device cookie (api/src/auth/deviceCookie.ts): every sign-in sets it, with or without the session header.
const DEVICE_COOKIE = '`voyce_device_<16 hex>=…; HttpOnly; SameSite=Strict; Path=/api/auth` (signed, one per account, DEVICE_COOKIE_TTL_DAYS): later sign-ins from this browser are throttled apart from everyone else\'s';
const signInCookies = { 'Set-Cookie': `always: the device cookie ${DEVICE_COOKIE}; with \`X-Voyce-Session: cookie\` also \`voyce_refresh=…; HttpOnly; SameSite=Strict; Path=/api/auth\`` };
const LOGIN_NOTE =
  'Failed sign-ins are throttled, never locked: from the 5th consecutive failure of one client for one login name (LOGIN_FREE_FAILURES) that client waits 1 s, 2 s, 4 s … (at most LOGIN_MAX_DELAY_SECONDS) before its next try (429 `login_throttled`). A client is its device cookie for the account when it sends a valid one, else its IP, so an attacker elsewhere never slows the owner down on a device they signed in with before. After LOGIN_CEILING_FAILURES (100) tries per LOGIN_CEILING_WINDOW_SECONDS (1 h) from clients without the device cookie, only clients with it may try (429 `login_ceiling`) and the owner is e-mailed an unlock link (`POST /api/auth/unlock`). Unknown and known logins get the same answers, statuses and timing.';

const page = (item: z.ZodType) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const idParams = z.object({ id: z.uuid() });
// The submission's full shape lives in the presenter (plain TypeScript); documented here by its stable core.
// Mirrors the PATCH body of submissionsRouter (not exported there yet); documentation only.
const submissionPatch = z.object({ title: z.string().max(200).nullable().optional(), description: z.string().max(5000).nullable().optional(), category: z.string().max(64).nullable().optional() });
const submission = z.looseObject({
  id: z.uuid(),
  userId: z.uuid(),
  orgId: z.uuid(),
  status: z.enum(SUBMISSION_STATUSES),
  createdAt: z.iso.datetime(),
  labels: labelsSchema.nullable().optional().describe('on GET /:id, PATCH and list items: a person\'s correction beside `analysis`, or null when nobody corrected it'),
});

// Mirrors of the analytics and pipeline routers' query/body schemas, which those routers do not export yet;
// documentation only. Export them there and import them here to make drift impossible.
const dateParam = z.iso.datetime({ offset: true }).or(z.iso.date());
const rangeQuery = z.object({ from: dateParam.optional(), to: dateParam.optional(), category: z.string().max(64).optional(), userId: z.uuid().optional(), language: languageFilter });
const trendsQuery = rangeQuery.extend({ interval: z.enum(['day', 'week', 'month']).default('day') });
const exportQuery = rangeQuery.extend({ format: z.enum(['csv', 'json']).default('csv'), status: z.enum(SUBMISSION_STATUSES).optional() });
const bulkReplayBody = z.object({ status: z.enum(['failed', 'rejected', 'completed']), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }).strict();
const analytics = (path: string, summary: string, query: z.ZodObject, extra: RouteDoc['responses'] = {}): RouteDoc => ({
  method: 'get', path: `/api/analytics${path}`, tag: 'analytics', summary, auth: true, query, responses: { 200: { description: 'the figures' }, ...extra },
});

// The JSON form of a signed-URL redirect (api/src/http/signedRedirect.ts), asked with Accept: application/json.
const signedUrlAnswer = { description: 'with `Accept: application/json`: the signed URL', schema: z.object({ url: z.string(), expiresAt: z.iso.datetime() }) };

// What GET /api/config answers (api/src/web/webAppRouter.ts publicClientConfig).
const publicConfigSchema = z.object({
  temporalUiUrl: z.string(),
  temporalNamespace: z.string(),
  oauthProviders: z.array(z.string()),
  limits: z.object({ maxUploadBytes: z.number().int(), minAudioMs: z.number().int(), maxAudioMs: z.number().int() }),
});

// The schedule's state as GET/pause/unpause answer it (api/src/admin/batchInferenceSchedule.ts).
const batchScheduleSchema = z.object({
  scheduleId: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  interval: z.string().nullable(),
  overlap: z.string(),
  nextRunTimes: z.array(z.iso.datetime()),
  runningWorkflowIds: z.array(z.string()),
  recentActions: z.array(z.object({ workflowId: z.string(), scheduledAt: z.iso.datetime(), takenAt: z.iso.datetime() })),
  actionsTaken: z.number().int(),
  skippedOverlap: z.number().int(),
});

// The dashboard's figures are documented by their stable core, like the submission.
const correctionsSchema = z
  .object({ corrected: z.number().int(), total: z.number().int(), byField: z.object({ sentiment: z.number().int(), intent: z.number().int(), emotions: z.number().int() }) })
  .describe('of the analysed submissions in scope (`total`), how many a person corrected, in all and per head');
const dashboardSchema = z.looseObject({ from: z.iso.datetime(), to: z.iso.datetime(), total: z.number().int(), corrections: correctionsSchema });

const ANALYTICS_AND_OPS: RouteDoc[] = [
  {
    ...analytics('/dashboard', 'Counts (by status and by language), daily volume, sentiment, intents, keywords, success rate, median processing time, corrections', rangeQuery),
    responses: { 200: { description: 'the figures', schema: dashboardSchema } },
  },
  analytics('/sentiment-trends', 'Sentiment per day, week or month', trendsQuery),
  analytics('/intents', 'Intents with counts and shares', rangeQuery),
  analytics('/users', 'Per-user statistics (analyst/admin)', rangeQuery, { 403: { description: 'not an analyst or admin' } }),
  { method: 'get', path: '/api/analytics/users/{id}/stats', tag: 'analytics', summary: "One user's statistics", auth: true, params: z.object({ id: z.uuid() }), responses: { 200: { description: 'the statistics' }, 404: { description: 'no such user (or not you)' } } },
  analytics('/export', 'Streamed CSV or JSON of submissions with results', exportQuery),
  { method: 'post', path: '/api/admin/submissions/{id}/replay', tag: 'admin', summary: 'Run the pipeline again for one submission (admin)', auth: true, params: z.object({ id: z.uuid() }), responses: { 202: { description: 'replay started' }, 403: { description: 'not an admin' }, 404: { description: 'no such submission' }, 409: { description: 'not in a replayable status' } } },
  { method: 'post', path: '/api/admin/submissions/replay', tag: 'admin', summary: 'Replay every matching submission (admin)', auth: true, body: bulkReplayBody, responses: { 202: { description: 'how many were replayed', schema: z.looseObject({ count: z.number().int() }) }, 403: { description: 'not an admin' }, 422: { description: 'invalid filter' } } },
  { method: 'get', path: '/api/admin/pipeline', tag: 'admin', summary: 'Running and failed workflows, recent batch-inference runs (admin)', auth: true, responses: { 200: { description: 'the counts' }, 403: { description: 'not an admin' }, 503: { description: 'Temporal unavailable' } } },
  { method: 'get', path: '/api/admin/schedules/batch-inference', tag: 'admin', summary: 'The batch re-inference schedule: paused, interval, next and running runs (admin)', auth: true, responses: { 200: { description: 'the schedule', schema: z.object({ schedule: batchScheduleSchema }) }, 403: { description: 'not an admin' }, 404: { description: 'no worker has created the schedule yet' } } },
  { method: 'post', path: '/api/admin/schedules/batch-inference/pause', tag: 'admin', summary: 'Pause batch re-inference (admin; audited)', auth: true, body: schedulePauseBody, responses: { 200: { description: 'the paused schedule', schema: z.object({ schedule: batchScheduleSchema }) }, 403: { description: 'not an admin' }, 404: { description: 'no schedule yet' }, 422: { description: 'invalid body' } } },
  { method: 'post', path: '/api/admin/schedules/batch-inference/unpause', tag: 'admin', summary: 'Resume batch re-inference (admin; audited)', auth: true, responses: { 200: { description: 'the schedule', schema: z.object({ schedule: batchScheduleSchema }) }, 403: { description: 'not an admin' }, 404: { description: 'no schedule yet' } } },
  { method: 'post', path: '/api/admin/schedules/batch-inference/trigger', tag: 'admin', summary: 'Start a batch re-inference run now, even while paused (admin; audited)', auth: true, responses: { 202: { description: 'a run was started', schema: z.object({ scheduleId: z.string(), triggered: z.literal(true) }) }, 403: { description: 'not an admin' }, 404: { description: 'no schedule yet' }, 409: { description: 'a run is already going' } } },
];

const settingsSchema = z.object({ webhookUrl: z.string().nullable(), hasWebhookSecret: z.boolean(), emailEnabled: z.boolean(), webhookSecret: z.string().optional() });
const NOTIFICATIONS: RouteDoc[] = [
  { method: 'get', path: '/api/notifications/settings', tag: 'notifications', summary: 'Where completions and failures are announced (an extension of API.md)', auth: true, responses: { 200: { description: 'the settings', schema: z.object({ settings: settingsSchema }) } } },
  { method: 'put', path: '/api/notifications/settings', tag: 'notifications', summary: 'Set the webhook URL and e-mail; the signing secret is returned once when created', auth: true, body: notificationSettingsBody, responses: { 200: { description: 'the settings', schema: z.object({ settings: settingsSchema }) }, 422: { description: 'invalid or private URL' } } },
  { method: 'post', path: '/api/notifications/settings/rotate-secret', tag: 'notifications', summary: 'Replace the webhook signing secret (returned once)', auth: true, responses: { 200: { description: 'the settings with the new secret', schema: z.object({ settings: settingsSchema }) }, 422: { description: 'no webhook set' } } },
];

const DEVICES: RouteDoc[] = [
  { method: 'post', path: '/api/devices', tag: 'devices', summary: "Register this device's Expo push token; the same token again answers the device that has it (moved to the caller)", auth: true, body: deviceBody, responses: { 201: { description: 'the device', schema: z.object({ device: deviceSchema }) }, 400: { description: 'not an Expo push token, unknown platform or unknown field' } } },
  { method: 'get', path: '/api/devices', tag: 'devices', summary: "The caller's push devices", auth: true, responses: { 200: { description: 'the devices (one page)', schema: page(deviceSchema) } } },
  { method: 'delete', path: '/api/devices/{id}', tag: 'devices', summary: 'Stop pushing to a device (sign-out, notifications off)', auth: true, params: deviceParams, responses: { 204: { description: 'deleted' }, 404: { description: 'not found (or not yours)' } } },
];

const ORG_MODELS: RouteDoc[] = [
  { method: 'post', path: '/api/orgs/{id}/models', tag: 'orgs', summary: "Train the organisation's model on the default data plus its corrections; it becomes active only when it beats the active one on held-out corrections (owner)", auth: true, params: orgParams, responses: { 202: { description: 'the training run, queued', schema: z.object({ training: trainingSchema }) }, 403: { description: 'not an owner of the organisation' }, 404: { description: 'no such organisation (or not yours)' }, 409: { description: '`training_running`: a run of this organisation is still going' } } },
  { method: 'get', path: '/api/orgs/{id}/models', tag: 'orgs', summary: "The organisation's training runs, newest first: status, active, labels, evaluation before/after on n held-out corrections (owner/analyst)", auth: true, params: orgParams, responses: { 200: { description: 'the runs', schema: z.object({ items: z.array(orgModelSchema) }) }, 403: { description: 'a member (not an analyst or owner)' }, 404: { description: 'no such organisation (or not yours)' } } },
];

export const ROUTES: RouteDoc[] = [
  { method: 'post', path: '/api/auth/register', tag: 'auth', summary: 'Create an account (role user) and sign in', description: COOKIE_NOTE, auth: false, headers: cookieSessionHeader, body: registerBody, responses: { 201: { description: 'signed in ({user, accessToken} only, with X-Voyce-Session: cookie)', schema: sessionSchema, headers: signInCookies }, 409: { description: 'e-mail or username taken' }, 422: { description: 'invalid field or weak password' } } },
  { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in with e-mail or username', description: `${COOKIE_NOTE} ${LOGIN_NOTE}`, auth: false, headers: cookieSessionHeader, body: loginBody, responses: { 200: { description: 'signed in ({user, accessToken} only, with X-Voyce-Session: cookie)', schema: sessionSchema, headers: signInCookies }, 401: { description: 'wrong login or password (the same for unknown logins and disabled accounts)' }, 429: { description: '`login_throttled`: this client must wait; `login_ceiling`: only devices that signed in to the account before may try now (Retry-After, seconds, either way); too many sign-in requests from this IP (`rate_limited`)' } } },
  {
    method: 'post', path: '/api/auth/refresh', tag: 'auth', summary: 'Rotate a refresh token', auth: false, headers: cookieSessionHeader, body: refreshBody,
    description: `${COOKIE_NOTE} With the header the body may be \`{}\`: the token is then read from the cookie, and the rotated one set in its place. The cookie is never read without the header (CSRF).`,
    responses: { 200: { description: 'new token pair ({accessToken} only, with X-Voyce-Session: cookie)', schema: tokenPairSchema, headers: setsCookie }, 401: { description: 'invalid, expired, revoked or reused token (or, with the header, no cookie)' } },
  },
  {
    method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'End the session of a refresh token', auth: false, headers: cookieSessionHeader, body: refreshBody,
    description: 'With `X-Voyce-Session: cookie` the body may be `{}`: the session of the `voyce_refresh` cookie ends and the cookie is cleared.',
    responses: { 204: { description: 'signed out' } },
  },
  { method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user', auth: true, responses: { 200: { description: 'the user', schema: z.object({ user: userSchema }) } } },
  { method: 'post', path: '/api/auth/password-reset/request', tag: 'auth', summary: 'E-mail a reset link (always 202)', auth: false, body: resetRequestBody, responses: { 202: { description: 'accepted, whether or not the account exists' } } },
  { method: 'post', path: '/api/auth/password-reset/confirm', tag: 'auth', summary: 'Set a new password with a reset token; ends every session', auth: false, body: resetConfirmBody, responses: { 204: { description: 'password changed' }, 400: { description: 'invalid, used or expired token' }, 422: { description: 'weak password (the token is not spent)' } } },
  {
    method: 'post', path: '/api/auth/unlock', tag: 'auth', summary: "Spend the single-use code of the e-mail sent when an account's sign-in ceiling is reached", auth: false, body: unlockBody,
    description: "Lifts the account's ceiling (tries from clients without its device cookie) and sets this browser's device cookie, so the owner can sign in at once even while an attack goes on. The e-mail goes out at most once an hour; its code lives LOGIN_UNLOCK_TTL_SECONDS (24 h) and works once: spending it spends every other outstanding one of the account.",
    responses: { 204: { description: 'unlocked; the device cookie is set', headers: { 'Set-Cookie': DEVICE_COOKIE } }, 400: { description: '`invalid_unlock_token`: unknown, expired or already used' }, 429: { description: 'too many sign-in requests from this IP (Retry-After)' } },
  },
  {
    method: 'get', path: '/api/auth/oauth/{provider}', tag: 'auth', summary: 'Start an OpenID Connect sign-in (PKCE, state, nonce); native apps add redirect_uri and their own PKCE challenge (RFC 8252)', auth: false, params: z.object({ provider: z.string().max(32) }),
    query: z.object({
      redirect_uri: z.string().max(512).optional().describe('native apps only: where the sign-in ends (one of OAUTH_NATIVE_REDIRECTS); needs code_challenge'),
      code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional().describe('native apps only: BASE64URL(SHA-256(code_verifier))'),
      code_challenge_method: z.literal('S256').optional(),
      state: z.string().max(256).optional().describe("native apps only: the app's own state, echoed back to redirect_uri"),
    }),
    responses: { 302: { description: 'to the provider' }, 400: { description: 'redirect_uri not allowed, or code_challenge missing or malformed' }, 404: { description: 'no such provider' }, 503: { description: 'the provider cannot be reached' } },
  },
  { method: 'get', path: '/api/auth/oauth/{provider}/callback', tag: 'auth', summary: 'Finish the sign-in; redirects to the web app with the access token in the URL fragment and the refresh token in the HttpOnly cookie, or a native app to redirect_uri?code=… (or ?error=…)', auth: false, params: z.object({ provider: z.string().max(32) }), query: z.object({ code: z.string().max(1024), state: z.string().max(256) }), responses: { 302: { description: 'to WEB_APP_URL/oauth/callback#accessToken=… with the refresh token set as the cookie `voyce_refresh` (HttpOnly, SameSite=Strict, Path=/api/auth); native sign-ins: to redirect_uri?code=… or ?error=…', headers: { 'Set-Cookie': 'web sign-ins: `voyce_refresh=…; HttpOnly; SameSite=Strict; Path=/api/auth`' } }, 400: { description: 'missing, tampered or expired state' }, 401: { description: 'the provider did not confirm the identity' }, 403: { description: 'unverified e-mail or disabled account' }, 404: { description: 'no such provider' } } },
  { method: 'post', path: '/api/auth/oauth/token', tag: 'auth', summary: "Exchange a native app's one-time sign-in code and PKCE verifier for a session (once, within 60 s)", auth: false, body: oauthTokenBody, responses: { 200: { description: 'signed in', schema: sessionSchema }, 400: { description: 'invalid_grant: unknown, expired or reused code, or wrong verifier' }, 429: { description: 'too many sign-in attempts (Retry-After)' } } },
  {
    method: 'post', path: '/api/submissions/upload', tag: 'submissions', summary: 'Upload a voice recording', auth: true,
    multipart: {
      type: 'object',
      required: ['audio'],
      properties: {
        audio: { type: 'string', contentMediaType: 'application/octet-stream' },
        title: { type: 'string' }, description: { type: 'string' }, category: { type: 'string' }, language: { type: 'string' },
        context: { type: 'string', description: 'JSON: {client, pageUrl?, pageTitle?, selection?, viewport?, appVersion?, device?}' },
        screenshot: { type: 'string', contentMediaType: 'image/png', description: 'PNG or JPEG (judged by its bytes), at most 5 MB' },
      },
    },
    responses: { 202: { description: 'accepted; the pipeline runs after the answer', schema: z.object({ submission }) }, 400: { description: 'no audio part, malformed body, or an empty screenshot' }, 413: { description: 'audio or screenshot too large' }, 415: { description: 'not audio, or a screenshot that is not PNG/JPEG' }, 422: { description: 'invalid audio or field' } },
  },
  { method: 'get', path: '/api/submissions', tag: 'submissions', summary: 'A page of submissions (own, or all for analyst/admin)', auth: true, query: submissionListQuery, responses: { 200: { description: 'a page', schema: page(submission) } } },
  { method: 'get', path: '/api/submissions/{id}', tag: 'submissions', summary: 'One submission with progress and results', auth: true, params: idParams, responses: { 200: { description: 'the submission', schema: z.object({ submission }) }, 404: { description: 'not found (or not yours)' } } },
  { method: 'patch', path: '/api/submissions/{id}', tag: 'submissions', summary: 'Change title, description or category (owner or admin)', auth: true, params: idParams, body: submissionPatch, responses: { 200: { description: 'the submission', schema: z.object({ submission }) }, 404: { description: 'not found (or not yours)' }, 422: { description: 'invalid field' } } },
  { method: 'delete', path: '/api/submissions/{id}', tag: 'submissions', summary: 'Delete: cancels the pipeline, removes the audio, keeps an audit row', auth: true, params: idParams, responses: { 204: { description: 'deleted' }, 404: { description: 'not found (or not yours)' } } },
  { method: 'get', path: '/api/submissions/{id}/audio', tag: 'submissions', summary: 'Redirect to a short-lived read-only URL of the audio (200 {url, expiresAt} with Accept: application/json)', auth: true, params: idParams, responses: { 200: signedUrlAnswer, 302: { description: 'to the signed URL' }, 404: { description: 'not found (or not yours)' } } },
  { method: 'get', path: '/api/submissions/{id}/screenshot', tag: 'submissions', summary: 'Redirect to a short-lived read-only URL of the screenshot (200 {url, expiresAt} with Accept: application/json)', auth: true, params: idParams, responses: { 200: signedUrlAnswer, 302: { description: 'to the signed URL' }, 404: { description: 'no screenshot, or not found (or not yours)' } } },
  { method: 'get', path: '/api/submissions/{id}/events', tag: 'submissions', summary: 'Server-Sent Events: one status event per stage change; also takes ?access_token=', auth: true, params: idParams, responses: { 200: { description: 'event stream', contentType: 'text/event-stream' }, 404: { description: 'not found (or not yours)' } } },
  {
    method: 'put', path: '/api/submissions/{id}/labels', tag: 'submissions', auth: true, params: idParams, body: labelsBody,
    summary: "Correct the analysis' sentiment, intent or emotions (the owner, or an analyst/owner of its organisation); the analysis itself is kept",
    description: 'A field given replaces that correction, `null` clears it (the model\'s value stands again), a field omitted keeps the previous correction. A correction left with no field is removed: then `labels` is null.',
    responses: {
      200: { description: 'the correction as it now is', schema: z.object({ labels: labelsSchema.nullable() }) },
      400: { description: 'no field, an unknown field, or a label outside the model\'s label set' },
      403: { description: 'visible to the caller but not theirs to correct' },
      404: { description: 'not found (or not visible to the caller)' },
      409: { description: '`analysis_pending`: the submission has no analysis yet' },
    },
  },
  { method: 'get', path: '/api/submissions/{id}/transcription', tag: 'submissions', summary: 'The transcription', auth: true, params: idParams, responses: { 200: { description: 'the transcription' }, 404: { description: 'not yet transcribed, or not yours' } } },
  { method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Users with roles (admin)', auth: true, query: userListQuery, responses: { 200: { description: 'a page', schema: page(userSchema) }, 403: { description: 'not an admin' } } },
  { method: 'patch', path: '/api/admin/users/{id}', tag: 'admin', summary: 'Change role or disable (admin)', auth: true, params: userIdParams, body: userPatchBody, responses: { 200: { description: 'the user', schema: z.object({ user: userSchema }) }, 403: { description: 'not an admin' }, 404: { description: 'no such user' }, 409: { description: 'admins cannot demote or disable themselves' }, 422: { description: 'invalid role or flag' } } },
  { method: 'get', path: '/api/admin/audit', tag: 'admin', summary: 'The audit trail, newest first (admin; an extension of API.md)', auth: true, query: auditListQuery, responses: { 200: { description: 'a page', schema: page(auditEntrySchema) }, 403: { description: 'not an admin' } } },
  ...ANALYTICS_AND_OPS,
  ...NOTIFICATIONS,
  ...DEVICES,
  ...ORG_ROUTES,
  ...ORG_MODELS,
  { method: 'get', path: '/health', tag: 'service', summary: 'Liveness', auth: false, responses: { 200: { description: 'up' } } },
  { method: 'get', path: '/ready', tag: 'service', summary: 'Readiness of every part: PostgreSQL, Temporal and Blob storage (required), the jobs API, live recognisers and workers, and under npm start each supervised process', auth: false, responses: { 200: { description: '`ready`, or `degraded` when only a part that is not required is down; `checks` names each' }, 503: { description: 'a required part is down (Retry-After); `details` names each' } } },
  { method: 'get', path: '/api/config', tag: 'service', summary: 'Public settings for the clients: Temporal UI link, sign-in providers, audio limits', auth: false, responses: { 200: { description: 'the client configuration', schema: publicConfigSchema } } },
  { method: 'get', path: '/metrics', tag: 'service', summary: 'Prometheus metrics', auth: false, responses: { 200: { description: 'text format', contentType: 'text/plain' } } },
  { method: 'get', path: '/api/openapi.json', tag: 'service', summary: 'This document', auth: false, responses: { 200: { description: 'OpenAPI 3.1' } } },
];
