import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { UploadLanguagePicker } from './UploadLanguagePicker';
import { uploadLanguage, useUploadLanguage } from './uploadLanguage';

describe('UploadLanguagePicker', () => {
  beforeEach(() => {
    localStorage.clear();
    useUploadLanguage.setState({ language: '' });
  });

  it('detects by default, sends the picked language and remembers it on this device', async () => {
    render(<UploadLanguagePicker />);
    const select = screen.getByLabelText('Language');
    expect(select).toHaveValue('');
    expect(screen.getByRole('option', { name: 'Detect automatically' })).toBeInTheDocument();
    expect(uploadLanguage()).toBe('');
    await userEvent.selectOptions(select, 'Spanish');
    expect(uploadLanguage()).toBe('es');
    expect(localStorage.getItem('voyce.uploadLanguage')).toBe('es');
    await userEvent.selectOptions(select, 'Detect automatically');
    expect(uploadLanguage()).toBe('');
    expect(localStorage.getItem('voyce.uploadLanguage')).toBeNull();
  });
});
