// Paste a code: a big box for the whole message a relative sent (or a QR picture), then the outcome.
import { useEffect, useId, useRef, useState } from 'react';
import type { ClipboardEvent, FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ImportResult } from '../components/ImportResult.tsx';
import { QrDrop } from '../components/QrDrop.tsx';
import { useImport } from '../components/use-import.ts';
import { decodeQrFromBlob } from '../qr-decode.ts';
import type { View } from './views.ts';

export interface PasteRequest {
  text: string;
  seq: number;
}

interface Props {
  onNavigate: (view: View) => void;
  /** Text to import right away (opened link or file, accepted clipboard offer). */
  request?: PasteRequest | null;
  decodeQr?: (file: Blob) => Promise<string | null>;
}

export function Paste({ onNavigate, request, decodeQr = decodeQrFromBlob }: Props) {
  const { t } = useTranslation();
  const boxId = useId();
  const hintId = useId();
  const [text, setText] = useState('');
  const flow = useImport();
  const { submit } = flow;

  const handled = useRef(0);

  useEffect(() => {
    if (!request || handled.current === request.seq) return;
    handled.current = request.seq;
    setText(request.text);
    void submit(request.text);
    // Each request (by seq) is imported once.
  }, [request?.seq]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(text);
  };
  const fromQr = (found: string) => {
    setText(found);
    void submit(found);
  };
  const onPaste = (e: ClipboardEvent) => {
    const image = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'));
    if (!image) return;
    e.preventDefault();
    void decodeQr(image).then((found) => found && fromQr(found));
  };

  return (
    <div className="paste">
      <h1>{t('paste.title')}</h1>
      <form onSubmit={onSubmit} className="paste-form">
        <label htmlFor={boxId} className="field-label">{t('paste.label')}</label>
        <p id={hintId} className="hint">{t('paste.hint')}</p>
        <textarea id={boxId} aria-describedby={hintId} className="paste-box" rows={6} maxLength={MAX_IMPORT_TEXT}
          value={text} onChange={(e) => setText(e.target.value)} onPaste={onPaste}
          placeholder={t('paste.placeholder')} spellCheck={false} autoComplete="off" />
        <div className="button-row">
          <button type="submit" className="button button-primary button-large" disabled={flow.busy || !text.trim()}>
            {flow.busy ? t('paste.checking') : t('paste.submit')}
          </button>
          {text && (
            <button type="button" className="button" onClick={() => { setText(''); flow.reset(); }}>
              {t('paste.clear')}
            </button>
          )}
        </div>
      </form>
      <div className="paste-outcome">
        {flow.outcome && (
          <ImportResult outcome={flow.outcome} busy={flow.busy} onTrust={(fp) => void flow.trustAndImport(fp)}
            onCancel={flow.reset} onHome={() => onNavigate('home')} />
        )}
      </div>
      <ErrorNote error={flow.error} />
      <h2 className="paste-or">{t('paste.qrTitle')}</h2>
      <QrDrop decode={decodeQr} onText={fromQr} />
    </div>
  );
}
