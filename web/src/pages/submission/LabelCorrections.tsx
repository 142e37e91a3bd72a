import { useEffect, useRef, useState } from 'react';
import { EMOTIONS, type Labels, type LabelsChange } from '@voyce/api-client';
import { messageOf } from '../../api/client';
import type { Analysis } from '../../api/types';
import { LabelEditor } from './LabelEditor';
import { correctedBy, FIELD_NAMES, valueText, type LabelField } from './labelText';
import { saveLabels } from './saveLabels';

const FIELDS: LabelField[] = ['sentiment', 'intent', 'emotions'];

const KNOWN_EMOTIONS: readonly string[] = EMOTIONS;

/** The model's value of each head, as the analysis has it (emotions: its three strongest, as the analysis shows them). */
function modelValue(analysis: Analysis, field: LabelField): string | string[] | null {
  if (field === 'sentiment') return analysis.sentiment.label;
  if (field === 'intent') return analysis.intent?.label ?? null;
  return [...analysis.emotions]
    .filter((e) => KNOWN_EMOTIONS.includes(e.label))
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((e) => e.label);
}

interface Props {
  submissionId: string;
  analysis: Analysis;
  labels: Labels | null;
  onChange(labels: Labels | null): void;
}

/**
 * A person's corrections of the analysis, head by head, beside the model's values: each has an edit control;
 * once corrected it says by whom and when. The model's analysis is never changed (API.md "Corrections").
 */
export function LabelCorrections({ submissionId, analysis, labels, onChange }: Props) {
  const [editing, setEditing] = useState<LabelField | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const editButtons = useRef<Partial<Record<LabelField, HTMLButtonElement | null>>>({});

  const [focusBack, setFocusBack] = useState<LabelField | null>(null);

  // Back to the control that opened the editor once it is shown again, so keyboard users keep their place.
  useEffect(() => {
    if (!focusBack || editing !== null) return;
    editButtons.current[focusBack]?.focus();
    setFocusBack(null);
  }, [focusBack, editing]);

  const close = (field: LabelField) => {
    setEditing(null);
    setFocusBack(field);
  };

  const save = async (field: LabelField, change: LabelsChange) => {
    setSaving(true);
    setMessage(null);
    try {
      const saved = await saveLabels(submissionId, change);
      onChange(saved);
      setMessage({ text: `${FIELD_NAMES[field]} saved.`, error: false });
      close(field);
    } catch (err) {
      setMessage({ text: messageOf(err), error: true });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card corrections" aria-labelledby="corrections-title">
      <h2 id="corrections-title">Corrections</h2>
      <p className="muted small">If the analysis got something wrong, correct it here. The model’s answer is kept beside yours.</p>
      <dl className="label-list">
        {FIELDS.map((field) => {
          const corrected = labels?.[field] ?? null;
          const model = modelValue(analysis, field);
          return (
            <div key={field} className="label-row" data-testid={`label-${field}`}>
              <dt>{FIELD_NAMES[field]}</dt>
              <dd>
                {corrected !== null && labels ? (
                  <>
                    <strong>{valueText(corrected)}</strong> <span className="muted small">({correctedBy(labels)}; the model said {valueText(model)})</span>
                  </>
                ) : (
                  <>
                    {valueText(model)} <span className="muted small">(the model’s)</span>
                  </>
                )}{' '}
                {editing === field ? (
                  <LabelEditor field={field} current={corrected} model={model} saving={saving} onSave={(change) => void save(field, change)} onCancel={() => close(field)} />
                ) : (
                  <button
                    type="button"
                    className="button secondary small"
                    ref={(el) => {
                      editButtons.current[field] = el;
                    }}
                    onClick={() => {
                      setMessage(null);
                      setEditing(field);
                    }}
                  >
                    Correct {FIELD_NAMES[field].toLowerCase()}
                  </button>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'field-error' : 'muted small'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
