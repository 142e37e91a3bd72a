import { useAudioPlayer, useAudioPlayerStatus } from 'expo-audio';
import type { Player } from './player';

/** The Player on expo-audio. */
export function useExpoPlayer(uri: string | null): Player {
  const player = useAudioPlayer(uri ? { uri } : null, { updateInterval: 100 });
  const status = useAudioPlayerStatus(player);
  return {
    state: { playing: status.playing, positionMs: Math.round(status.currentTime * 1000), durationMs: Math.round((status.duration || 0) * 1000) },
    play() {
      if (status.didJustFinish || (status.duration > 0 && status.currentTime >= status.duration)) void player.seekTo(0);
      player.play();
    },
    pause: () => player.pause(),
    seekTo: (ms: number) => void player.seekTo(ms / 1000),
  };
}
