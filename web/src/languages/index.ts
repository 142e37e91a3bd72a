export { LANGUAGES, languageDirection, languageName } from '@voyce/api-client';
export { LanguageSelect } from './LanguageSelect';
export { UploadLanguagePicker } from './UploadLanguagePicker';
export { uploadLanguage, useUploadLanguage } from './uploadLanguage';
