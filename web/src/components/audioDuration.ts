/**
 * MediaRecorder's WebM has no duration in its header, so players show 0:00 and cannot seek well until they
 * have read to the end. Seeking far past the end once makes the browser find the real duration; then go back.
 */
export function revealDuration(el: HTMLMediaElement): void {
  if (el.duration !== Infinity) return;
  const back = () => {
    el.removeEventListener('timeupdate', back);
    el.currentTime = 0;
  };
  el.addEventListener('timeupdate', back);
  el.currentTime = 1e101;
}
