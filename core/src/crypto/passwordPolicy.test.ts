import { passwordProblem } from './passwordPolicy';

describe('passwordProblem', () => {
  it('accepts a long uncommon passphrase', () => {
    expect(passwordProblem('correct horse battery staple', 10)).toBeNull();
  });
  it('refuses a short password, naming the minimum', () => {
    expect(passwordProblem('abc12345', 10)).toMatch(/at least 10/);
  });
  it('refuses a breached common password whatever its case', () => {
    expect(passwordProblem('password1234', 10)).toMatch(/common/);
    expect(passwordProblem('PassWord1234', 10)).toMatch(/common/);
  });
  it('refuses the username or e-mail as password', () => {
    expect(passwordProblem('ada.lovelace', 10, { username: 'ada.lovelace' })).toMatch(/username/);
    expect(passwordProblem('ada@example.test', 10, { email: 'ada@example.test' })).toMatch(/e-mail/);
  });
  it('refuses one repeated character', () => {
    expect(passwordProblem('zzzzzzzzzzzzzzzz', 10)).toMatch(/repeat/);
  });
  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🎤🎤🎤🎤🎤', 10)).toMatch(/at least/);
  });
});
