import { create } from 'zustand';
import { api } from '../api/client';
import type { ClientConfig } from '../api/types';

/** Used until /api/config answers (and by a dev server without the API): the API's own defaults. */
export const DEFAULT_CLIENT_CONFIG: ClientConfig = {
  temporalUiUrl: 'http://127.0.0.1:8233',
  temporalNamespace: 'default',
  oauthProviders: [],
  limits: { maxUploadBytes: 25 * 1024 * 1024, minAudioMs: 500, maxAudioMs: 10 * 60 * 1000 },
};

interface ClientConfigState {
  config: ClientConfig;
  loaded: boolean;
  load(): Promise<void>;
}

/** The deployment's public settings from `GET /api/config` (Temporal UI, sign-in providers, audio limits). */
export const useClientConfig = create<ClientConfigState>((set) => ({
  config: DEFAULT_CLIENT_CONFIG,
  loaded: false,
  async load() {
    try {
      set({ config: await api<ClientConfig>('/api/config', { auth: false }), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
}));

/** The Temporal UI page of a submission's workflow (`submission-<id>`). */
export const temporalWorkflowUrl = (c: ClientConfig, submissionId: string) =>
  `${c.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(c.temporalNamespace)}/workflows/${encodeURIComponent(`submission-${submissionId}`)}`;
