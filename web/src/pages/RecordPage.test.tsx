import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { navigate } from '../router';
import { signedInAs } from '../test/helpers';
import { RecordPage } from './RecordPage';

beforeEach(() => {
  navigate('/', { replace: true });
  signedInAs();
});

describe('RecordPage', () => {
  it('explains what to do when the microphone is refused', async () => {
    vi.stubGlobal('MediaRecorder', class {});
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getUserMedia: vi.fn().mockRejectedValue(new DOMException('denied', 'NotAllowedError')) },
    });
    render(<RecordPage />);
    await userEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not allowed to use your microphone');
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeEnabled();
  });

  it('refuses a file over the size limit before sending anything', async () => {
    render(<RecordPage />);
    const big = new File([new Uint8Array(26 * 1024 * 1024)], 'long.wav', { type: 'audio/wav' });
    await userEvent.upload(screen.getByLabelText('Audio file'), big);
    expect(await screen.findByRole('alert')).toHaveTextContent('the limit is 25 MB');
    expect(screen.getByRole('button', { name: 'Send feedback' })).toBeDisabled();
  });
});
