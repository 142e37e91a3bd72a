import { LANGUAGES, languageName } from '@voyce/api-client';

interface Props {
  id: string;
  label: string;
  /** `''` is the first option: "Detect automatically" on uploads, "All" on filters. */
  value: string;
  onChange: (code: string) => void;
  emptyLabel: string;
  disabled?: boolean;
}

/** A labelled picker of a language (ISO 639-1), or none. */
export function LanguageSelect({ id, label, value, onChange, emptyLabel, disabled }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <option value="">{emptyLabel}</option>
        {LANGUAGES.map((code) => (
          <option key={code} value={code}>
            {languageName(code)}
          </option>
        ))}
      </select>
    </div>
  );
}
