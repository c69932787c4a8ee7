// Home on a fresh install (no servers yet): the main action is pasting a code, and right here a QR
// picture or a .porthole file can be dropped or chosen; the outcome (and trust question) shows inline.
import { useTranslation } from 'react-i18next';
import { decodeQrFromBlob } from '../qr-decode.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { ImportResult } from './ImportResult.tsx';
import { QrDrop } from './QrDrop.tsx';
import { useImport } from './use-import.ts';

export function FreshStart({ onPaste, onHome, decodeQr = decodeQrFromBlob }: { onPaste: () => void; onHome: () => void; decodeQr?: (file: Blob) => Promise<string | null> }) {
  const { t } = useTranslation();
  const flow = useImport();
  return (
    <div className="fresh-start">
      <button type="button" className="big-button big-idle" onClick={onPaste}>{t('resilience.pasteCode')}</button>
      <QrDrop decode={decodeQr} onText={(text) => void flow.submit(text)} hint={t('resilience.dropHint')} />
      {flow.outcome && (
        <ImportResult outcome={flow.outcome} busy={flow.busy} onTrust={(fp) => void flow.trustAndImport(fp)}
          onCancel={flow.reset} onHome={onHome} />
      )}
      <ErrorNote error={flow.error} />
    </div>
  );
}
