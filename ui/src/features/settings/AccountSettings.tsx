import { useEffect, useState } from 'react';
import { accountSecrets, removeAccount, toAppError, type AccountSummary, type AppError, type SecretPresence } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { AccountForm } from './AccountForm';

/** Change or remove the account. Removing asks what to do with the conversations. */
export function AccountSettings({ lang, account, onChanged, onClose }: { lang: Lang; account: AccountSummary; onChanged: () => void; onClose: () => void }) {
  const [secrets, setSecrets] = useState<SecretPresence | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);

  useEffect(() => {
    accountSecrets().then(setSecrets, (e: unknown) => setFailure(toAppError(e)));
  }, [account.id]);

  const remove = async (deleteData: boolean) => {
    try {
      await removeAccount(deleteData);
      onChanged();
    } catch (e) {
      setFailure(toAppError(e));
    }
  };

  return (
    <div className="settings">
      {account.disconnected && <p className="notice">{t(lang, 'disconnectedNotice')}</p>}
      {secrets && (
        <p className="muted" id="secret-presence">
          {t(lang, 'secretsStored', { key: t(lang, secrets.apiKey ? 'yes' : 'no'), secret: t(lang, secrets.webhookSecret ? 'yes' : 'no') })}
        </p>
      )}
      <AccountForm lang={lang} editing={account} onDone={onChanged} onCancel={onClose} />
      <section className="danger-zone">
        {!confirming ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)} id="remove-account">
            {t(lang, 'removeAccount')}
          </button>
        ) : (
          <div role="alertdialog" aria-labelledby="remove-title" aria-describedby="remove-body" className="confirm">
            <h2 id="remove-title">{t(lang, 'removeConfirmTitle')}</h2>
            <p id="remove-body">{t(lang, 'removeConfirmBody')}</p>
            <div className="actions start">
              <button type="button" className="secondary" onClick={() => remove(false)} id="remove-keep">
                {t(lang, 'removeKeepData')}
              </button>
              <button type="button" className="danger" onClick={() => remove(true)} id="remove-delete">
                {t(lang, 'removeDeleteData')}
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                {t(lang, 'cancel')}
              </button>
            </div>
          </div>
        )}
        {failure && (
          <p role="alert" className="field-problem" dir="auto">
            {failure.message}
          </p>
        )}
      </section>
    </div>
  );
}
