/**
 * Asks for the microphone from a visible tab: an offscreen document cannot show the permission prompt, and a
 * popup closes as soon as the prompt takes focus. Once granted here, the extension's recorder may use it.
 */
const statusLine = document.getElementById('status') as HTMLElement;
const button = document.getElementById('allow') as HTMLButtonElement;

async function ask(): Promise<void> {
  statusLine.textContent = 'Waiting for your answer in the browser prompt…';
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    stream.getTracks().forEach((t) => t.stop());
    statusLine.textContent = 'Microphone allowed. You can close this tab and record from the Voyce button.';
    statusLine.className = 'ok';
    button.hidden = true;
  } catch (err) {
    const name = (err as DOMException).name;
    statusLine.className = 'error';
    statusLine.textContent =
      name === 'NotAllowedError'
        ? `The microphone is blocked for Voyce. Open chrome://settings/content/siteDetails?site=${encodeURIComponent(location.origin)}, set Microphone to Allow, then press the button again.`
        : name === 'NotFoundError'
          ? 'No microphone was found. Connect one and press the button again.'
          : `The microphone could not be opened: ${(err as Error).message}`;
  }
}

button.addEventListener('click', () => void ask());
void ask();
export {};
