// The code, ready-to-send message and QR picture for the selected servers.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchResult, ShareResult } from '../../../shared/api.ts';
import { useApi } from '../context.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { useAction } from './use-action.ts';

/** Codes for many people at once: each a different set of the chosen servers (like `code batch`). */
function BatchForm({ ids, short }: { ids: readonly string[]; short: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [count, setCount] = useState(20);
  const [perCode, setPerCode] = useState(1);
  const [result, setResult] = useState<BatchResult | null>(null);
  const make = () => void action.run(async () => setResult(await api.shareBatch({ ids: [...ids], count, perCode, short })));
  return (
    <form className="share-batch" onSubmit={(e) => { e.preventDefault(); make(); }}>
      <p className="field-label">{t('journeys.batchTitle')}</p>
      <label>{t('journeys.batchCount')} <input type="number" min={1} max={500} value={count} onChange={(e) => setCount(Number(e.target.value))} /></label>
      <label>{t('journeys.batchPerCode')} <input type="number" min={1} max={Math.min(8, ids.length)} value={perCode} onChange={(e) => setPerCode(Number(e.target.value))} /></label>
      <button type="submit" className="button" disabled={action.busy}>{t('journeys.batchMake')}</button>
      <ErrorNote error={action.error} />
      {result && (
        <p role="status" className="share-batch-done">
          {t('journeys.batchDone', { count: result.codes.length, share: result.uses.max })}{' '}
          <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(result.csv)}`} download="porthole-codes.csv">{t('journeys.batchDownload')}</a>
        </p>
      )}
    </form>
  );
}

export function SharePanel({ share, count, ids, onClose }: { share: ShareResult; count: number; ids?: readonly string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [useShort, setUseShort] = useState(false);
  const form = useShort && share.short ? share.short : share;
  // The message is written in the sender's language: the people they send it to usually share it.
  const message = t('share.template', { code: form.code, link: form.link });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(message);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="share-panel" aria-labelledby="share-title">
      <h2 id="share-title">{t('share.title', { count })}</h2>
      <p className="hint">{t('share.hint')}</p>
      <div className="share-body">
        <div>
          <p className="field-label">{t('share.code')}</p>
          <p className="share-code" dir="ltr" translate="no">{form.code}</p>
          {form.sms !== undefined && <p className="share-sms" data-sms={form.sms}>{t('journeys.sms', { count: form.sms, length: form.code.length })}</p>}
          {share.short && (
            <fieldset className="share-form">
              <legend className="visually-hidden">{t('share.code')}</legend>
              <label><input type="radio" name="share-form" checked={!useShort} onChange={() => setUseShort(false)} /> {t('journeys.fullForm')}</label>
              <label><input type="radio" name="share-form" checked={useShort} onChange={() => setUseShort(true)} /> {t('journeys.shortForm', { length: share.short.code.length, count: share.short.sms })}</label>
            </fieldset>
          )}
          <label className="field-label" htmlFor="share-message">{t('share.message')}</label>
          <textarea id="share-message" className="share-message" readOnly rows={5} value={message} dir="ltr" />
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={() => void copy()}>{t('share.copy')}</button>
            <button type="button" className="button" onClick={onClose}>{t('common.close')}</button>
          </div>
          <p role="status" className="hint">{copied ? t('share.copied') : ''}</p>
        </div>
        {ids && ids.length > 1 && <BatchForm ids={ids} short={useShort} />}
        <img className="share-qr" src={form.qrDataUrl} alt={t('share.qrAlt')} width={192} height={192} />
      </div>
    </section>
  );
}
