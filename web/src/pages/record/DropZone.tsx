import { useRef, useState, type DragEvent } from 'react';

/** Drop an audio file or pick one; the size check is the caller's (`onChoose` reports what was picked). */
export function DropZone({ file, error, maxBytes, onChoose }: { file: File | null; error: string | null; maxBytes: number; onChoose: (f: File | undefined) => void }) {
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    onChoose(e.dataTransfer.files[0]);
  };
  return (
    <div
      className={dragging ? 'dropzone dragging' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>
        Or drop an audio file here, or{' '}
        <button type="button" className="linklike" onClick={() => fileInput.current?.click()}>
          choose a file
        </button>
        <span className="muted small"> (WAV, MP3, OGG, WebM, M4A, FLAC; up to {Math.floor(maxBytes / 1048576)} MB)</span>
      </p>
      <label htmlFor="audio-file" className="visually-hidden">
        Audio file
      </label>
      <input id="audio-file" ref={fileInput} type="file" accept="audio/*,.wav,.mp3,.ogg,.webm,.m4a,.flac" className="visually-hidden" tabIndex={-1} onChange={(e) => onChoose(e.target.files?.[0])} />
      {file && <p>Chosen: {file.name}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
