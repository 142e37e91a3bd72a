import { VoyceApi, type Session, type SessionStore } from '../shared/api';

/** The session in chrome.storage.local (tokens refreshed by the API client) and the one API client of the worker. */
const sessionStore: SessionStore = {
  async load() {
    const { session } = (await chrome.storage.local.get('session')) as { session?: Session };
    return session ?? null;
  },
  async save(session) {
    if (session) await chrome.storage.local.set({ session });
    else await chrome.storage.local.remove('session');
  },
};
export const api = new VoyceApi(sessionStore);
