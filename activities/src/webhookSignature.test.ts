import { signWebhook, verifyWebhook } from './webhookSignature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'submission.completed' });
  it('verifies what was signed with the same secret and time', () => {
    const sig = signWebhook('whsec_a', 1000, body);
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_a', 1000, body, sig, 1000)).toBe(true);
  });
  it('refuses another secret, a changed body, an old timestamp', () => {
    const sig = signWebhook('whsec_a', 1000, body);
    expect(verifyWebhook('whsec_b', 1000, body, sig, 1000)).toBe(false);
    expect(verifyWebhook('whsec_a', 1000, body + ' ', sig, 1000)).toBe(false);
    expect(verifyWebhook('whsec_a', 1000, body, sig, 1000 + 301)).toBe(false);
  });
});
