import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { restoreSession } from './api/client';
import { useClientConfig } from './stores/clientConfig';
import { startOutboxSync, useOutbox } from './stores/outbox';
import { useSession } from './stores/session';
import './styles.css';

void useClientConfig.getState().load();
// The access token lives in memory only: get one from the HttpOnly refresh cookie (if this browser has a session).
void restoreSession();
startOutboxSync();
// Signing in later (or in another tab) also sends what this device kept for that account.
useSession.subscribe((s, prev) => {
  if (s.user && s.user.id !== prev.user?.id) void useOutbox.getState().flush();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
