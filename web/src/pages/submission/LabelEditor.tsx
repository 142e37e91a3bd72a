import { useId, useState, type FormEvent } from 'react';
import { EMOTIONS, INTENTS, SENTIMENTS, type LabelsChange } from '@voyce/api-client';
import { FIELD_NAMES, labelWord, type LabelField } from './labelText';

const OPTIONS: Record<LabelField, readonly string[]> = { sentiment: SENTIMENTS, intent: INTENTS, emotions: EMOTIONS };
/** The select's value for "no correction: the model's value stands". */
const MODEL = '';

interface Props {
  field: LabelField;
  /** The corrected value now, or null when the model's stands. */
  current: string | readonly string[] | null;
  /** The model's value, preselected when nothing is corrected yet. */
  model: string | readonly string[] | null;
  saving: boolean;
  onSave(change: LabelsChange): void;
  onCancel(): void;
}

/** The form that corrects one head: a labelled select (sentiment, intent) or a group of checkboxes (emotions). */
export function LabelEditor({ field, current, model, saving, onSave, onCancel }: Props) {
  const id = useId();
  const name = FIELD_NAMES[field];
  const start = current ?? model;
  const [single, setSingle] = useState<string>(typeof start === 'string' ? start : MODEL);
  const [many, setMany] = useState<string[]>(Array.isArray(start) ? [...start] : []);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (field !== 'emotions') return onSave({ [field]: single === MODEL ? null : single } as LabelsChange);
    if (many.length === 0) return setProblem('Pick at least one emotion, or use the model’s emotions.');
    onSave({ emotions: many as NonNullable<LabelsChange['emotions']> });
  };

  return (
    <form className="label-editor" onSubmit={submit} aria-label={`Correct the ${name.toLowerCase()}`}>
      {field === 'emotions' ? (
        <fieldset aria-describedby={problem ? `${id}-problem` : undefined}>
          <legend>{name} heard</legend>
          {OPTIONS.emotions.map((label) => (
            <label key={label} className="check">
              <input
                type="checkbox"
                checked={many.includes(label)}
                onChange={(e) => {
                  setProblem(null);
                  setMany((prev) => (e.target.checked ? [...prev, label] : prev.filter((l) => l !== label)));
                }}
              />{' '}
              {labelWord(label)}
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          <label htmlFor={`${id}-select`}>{name}</label>{' '}
          <select id={`${id}-select`} value={single} onChange={(e) => setSingle(e.target.value)}>
            <option value={MODEL}>The model’s value (no correction)</option>
            {OPTIONS[field].map((label) => (
              <option key={label} value={label}>
                {labelWord(label)}
              </option>
            ))}
          </select>
        </>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </p>
      )}
      <p className="actions">
        <button type="submit" className="button small" disabled={saving}>
          {saving ? 'Saving…' : `Save ${name.toLowerCase()}`}
        </button>{' '}
        {field === 'emotions' && current !== null && (
          <button type="button" className="button secondary small" disabled={saving} onClick={() => onSave({ emotions: null })}>
            Use the model’s emotions
          </button>
        )}{' '}
        <button type="button" className="button secondary small" disabled={saving} onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
