export interface PlayerState {
  playing: boolean;
  positionMs: number;
  durationMs: number;
}

/** Plays one audio URI (listen back, or a stored submission). */
export interface Player {
  state: PlayerState;
  play(): void;
  pause(): void;
  seekTo(ms: number): void;
}

export type UsePlayer = (uri: string | null) => Player;
