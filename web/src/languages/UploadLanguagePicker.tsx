import { LanguageSelect } from './LanguageSelect';
import { useUploadLanguage } from './uploadLanguage';

/** "Language: Detect automatically | English | Deutsch …" on the record screen; the choice goes with the upload. */
export function UploadLanguagePicker({ disabled }: { disabled?: boolean }) {
  const { language, setLanguage } = useUploadLanguage();
  return <LanguageSelect id="language" label="Language" emptyLabel="Detect automatically" value={language} onChange={setLanguage} {...(disabled ? { disabled } : {})} />;
}
