// A drop target (and file picker) for a picture of a QR code, or a Porthole file (a signed list,
// a .porthole file, a saved post or message): reports the text found in it.
import { useId, useState } from 'react';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_IMPORT_TEXT } from '../../../shared/api.ts';

const TEXT_FILE = /\.(porthole|signed|txt|html?|json|ya?ml|conf)$/i; // .yaml: Clash/mihomo subscriptions

interface Props {
  decode: (file: Blob) => Promise<string | null>;
  onText: (text: string) => void;
  /** The line shown in the drop area (default: the Paste screen's, which mentions its text box). */
  hint?: string;
}

export function QrDrop({ decode, onText, hint }: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const handle = async (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      const textual = TEXT_FILE.test(file.name) || file.type.startsWith('text/') || file.type === 'application/json';
      if (!textual || file.size > MAX_IMPORT_TEXT) return setProblem(t('paste.qrNotImage'));
      return onText(await file.text());
    }
    try {
      const text = await decode(file);
      if (text) onText(text);
      else setProblem(t('paste.qrNotFound'));
    } catch {
      setProblem(t('paste.qrNotFound'));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void handle(e.dataTransfer.files[0]);
  };

  return (
    <div className={`qr-drop${over ? ' qr-drop-over' : ''}`} data-testid="qr-drop"
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}>
      <p>{hint ?? t('paste.qrDrop')}</p>
      <label htmlFor={inputId} className="button">{t('paste.qrChoose')}</label>
      <input id={inputId} className="visually-hidden" type="file" accept="image/*,.porthole,.signed,.txt,.html"
        onChange={(e) => { void handle(e.target.files?.[0]); e.target.value = ''; }} />
      {problem && <p className="note note-error" role="alert">{problem}</p>}
    </div>
  );
}
