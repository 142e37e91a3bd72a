import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useClientConfig } from './stores/clientConfig';
import { startOutboxSync, useOutbox } from './stores/outbox';
import { useSession } from './stores/session';
import './styles.css';

void useClientConfig.getState().load();
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
