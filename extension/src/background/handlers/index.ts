import { createRequestRouter } from '../../shared/messages';
import { onLogin, onLogout, onOauthCode } from './auth';
import { onContextCapture, onRetryNow } from './outbox';
import { onDraftFromFile, onRecorderDiscard, onRecorderStart, onRecorderStop } from './recorder';
import { onOrgsList } from './orgs';
import { onServerCheck } from './serverCheck';
import { onSubmit } from './submit';

/** The worker's `runtime.onMessage` listener for the popup's and options page's requests: one handler each. */
export const requestListener = createRequestRouter(
  {
    'recorder/start': onRecorderStart,
    'recorder/stop': onRecorderStop,
    'recorder/discard': onRecorderDiscard,
    'draft/fromFile': onDraftFromFile,
    'context/capture': onContextCapture,
    submit: onSubmit,
    'auth/login': onLogin,
    'auth/oauthCode': onOauthCode,
    'auth/logout': onLogout,
    'server/check': onServerCheck,
    'outbox/retryNow': onRetryNow,
    'orgs/list': onOrgsList,
  },
  (sender) => sender.id === chrome.runtime.id && !sender.tab?.url?.startsWith('http'),
);
