import { useCallback, useEffect, useRef, useState } from 'react';
import {
  appStatus,
  conversationInfo,
  installUpdate,
  LINK_EVENT,
  pendingUpdate,
  openConversation,
  startDemo,
  stopDemo,
  takeLink,
  toAppError,
  unreadTotal,
  type AppError,
  type AppStatus,
  type ConversationInfo,
  type InboxFilter,
  type InboxItem,
  UPDATE_EVENT,
  type UpdateAvailable,
} from './ipc';
import { dirOf, t, type Lang } from './i18n';
import { plural } from './i18n/plural';
import { useChangeTick, useCoreEvent } from './changes';
import { CoreError } from './features/inbox/CoreError';
import { DemoBanner } from './features/inbox/DemoBanner';
import { EmptyState } from './features/inbox/EmptyState';
import { InboxShell } from './features/inbox/InboxShell';
import { ShortcutSheet } from './features/inbox/ShortcutSheet';
import { StatusBar } from './features/inbox/StatusBar';
import { actionFor } from './features/inbox/shortcuts';
import { noticesFor } from './features/inbox/notifications';
import { showNotice, setWindowTitle } from './features/inbox/desktop';
import { ConversationView } from './features/conversation/ConversationView';
import { Composer } from './features/composer/Composer';
import { CustomerPanel } from './features/customer/CustomerPanel';
import { AccountForm } from './features/settings/AccountForm';
import { SettingsPage } from './features/settings/SettingsPage';
import { SearchPage } from './features/search/SearchPage';
import { InsightsPage } from './features/insights/InsightsPage';
import { EMPTY_SEARCH, type SearchState } from './features/search/filters';
import { applyTheme, loadPreferences, savePreferences, type Preferences } from './features/settings/preferences';

type Core = { state: 'loading' } | { state: 'ready'; status: AppStatus } | { state: 'failed'; error: AppError };
type View = 'inbox' | 'connect' | 'settings' | 'search' | 'insights';
/** A message to open the thread at (found by search); `seq` opens the same one again. */
type Anchor = { conversationId: number; messageId: number; seq: number };

function isTyping(el: Element | null): boolean {
  return !!el && (el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'checkbox') || el instanceof HTMLSelectElement);
}

export function App({ lang: initialLang }: { lang?: Lang }) {
  const [prefs, setPrefs] = useState<Preferences>(() => {
    const p = loadPreferences();
    return initialLang ? { ...p, lang: initialLang } : p;
  });
  const lang = prefs.lang;
  const [core, setCore] = useState<Core>({ state: 'loading' });
  const [view, setView] = useState<View>('inbox');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [filter, setFilter] = useState<InboxFilter>({});
  const [open, setOpen] = useState<ConversationInfo | null>(null);
  const [openError, setOpenError] = useState<AppError | null>(null);
  const [showCustomer, setShowCustomer] = useState(false);
  const [help, setHelp] = useState(false);
  const [pickerRequest, setPickerRequest] = useState(0);
  const items = useRef<InboxItem[]>([]);
  const announced = useRef<Set<string>>(new Set());
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const archiveQueryRef = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState<SearchState>(EMPTY_SEARCH);
  const [anchor, setAnchor] = useState<Anchor | null>(null);
  const anchorSeq = useRef(0);
  const tick = useChangeTick();

  const changePrefs = (p: Preferences) => {
    setPrefs(p);
    savePreferences(p);
  };

  const refresh = useCallback(() => {
    return appStatus().then(
      (status) => setCore({ state: 'ready', status }),
      (e: unknown) => setCore({ state: 'failed', error: toAppError(e) }),
    );
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dirOf(lang);
  }, [lang]);

  useEffect(() => applyTheme(prefs.theme), [prefs.theme]);

  // The open conversation's header (window, what may be sent) follows the core's changes.
  const openId = open?.conversationId ?? null;
  // The conversation asked for last: a slower answer for an earlier click is dropped.
  const wanted = useRef<number | null>(null);
  useEffect(() => {
    if (openId === null) return;
    let live = true;
    conversationInfo(openId).then(
      (info) => {
        if (!live || wanted.current !== openId) return;
        setOpen(info);
        // Messages that arrive while the owner reads this conversation are read.
        if (info.unreadCount > 0 && document.hasFocus()) void openConversation(openId).catch(() => {});
      },
      (e: unknown) => live && setOpenError(toAppError(e)),
    );
    return () => {
      live = false;
    };
  }, [openId, tick]);

  /** Opens a conversation, at `messageId` when given (a search result), else at its newest message. */
  const select = useCallback((conversationId: number, messageId?: number) => {
    setOpenError(null);
    wanted.current = conversationId;
    openConversation(conversationId).then(
      (info) => {
        if (wanted.current !== conversationId) return;
        setOpen(info);
        setAnchor(messageId === undefined ? null : { conversationId, messageId, seq: ++anchorSeq.current });
        setView('inbox');
      },
      (e: unknown) => wanted.current === conversationId && setOpenError(toAppError(e)),
    );
  }, []);

  // A cubedesk:// link (at start, or passed on by a second launch): the core judges it, the
  // window opens the conversation or says why not.
  const [linkError, setLinkError] = useState<AppError | null>(null);
  const followLink = useCallback(() => {
    takeLink().then(
      (id) => {
        if (id === null) return;
        setLinkError(null);
        select(id);
      },
      (e: unknown) => setLinkError(toAppError(e)),
    );
  }, [select]);
  useCoreEvent<null>(LINK_EVENT, followLink);
  const ready = core.state === 'ready';
  useEffect(() => {
    if (ready) followLink();
  }, [ready, followLink]);

  // A new version found at start: offered, installed only on the owner's yes.
  const [update, setUpdate] = useState<UpdateAvailable | null>(null);
  const [updating, setUpdating] = useState<string | null>(null);
  useCoreEvent<UpdateAvailable>(UPDATE_EVENT, setUpdate);
  useEffect(() => {
    if (ready) pendingUpdate().then((u) => u && setUpdate(u), () => {});
  }, [ready]);
  const install = () => {
    setUpdating(t(lang, 'updInstalling'));
    installUpdate().catch((e: unknown) => setUpdating(toAppError(e).message));
  };

  // The title counts every unread message of the account, whatever the list is filtered to.
  useEffect(() => {
    if (core.state !== 'ready' || !core.status.account) return setWindowTitle(t(lang, 'appName'), t(lang, 'appName'));
    let live = true;
    unreadTotal().then(
      (n) => live && setWindowTitle(n > 0 ? `${t(lang, 'appName')} (${n})` : t(lang, 'appName'), n > 0 ? plural(lang, 'unread', n) : t(lang, 'appName')),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [core, tick, lang]);

  const announce = useCallback(
    (next: InboxItem[]) => {
      const notices = noticesFor(items.current, next, {
        openId,
        focused: document.hasFocus(),
        now: Date.now(),
        notifyMessages: prefs.notifyMessages,
        notifyClosing: prefs.notifyClosing,
      });
      for (const n of notices) {
        if (announced.current.has(n.key)) continue;
        announced.current.add(n.key);
        showNotice(n.kind === 'message' ? n.title : t(lang, 'notifyClosingTitle', { name: n.title }), n.kind === 'message' ? n.body : t(lang, 'notifyClosingBody'));
      }
      items.current = next;
    },
    [openId, prefs.notifyMessages, prefs.notifyClosing, lang],
  );

  // A window enters its last hour with nothing else happening: look every minute.
  useEffect(() => {
    const timer = setInterval(() => announce(items.current), 60_000);
    return () => clearInterval(timer);
  }, [announce]);

  const hasAccount = core.state === 'ready' && !!core.status.account;

  // Keyboard shortcuts, one handler for the whole window.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Ctrl/Cmd+Shift+F: search the whole archive.
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f') {
        if (!hasAccount) return;
        setView('search');
        archiveQueryRef.current?.focus();
        e.preventDefault();
        return;
      }
      const action = actionFor(e, isTyping(document.activeElement));
      if (!action) return;
      const list = items.current;
      const at = list.findIndex((i) => i.conversationId === openId);
      switch (action) {
        case 'next':
        case 'previous': {
          const to = list[action === 'next' ? at + 1 : at < 0 ? 0 : at - 1];
          if (to) select(to.conversationId);
          break;
        }
        case 'composer':
          composerRef.current?.focus();
          break;
        case 'templates':
          setPickerRequest((n) => n + 1);
          break;
        case 'search':
          searchRef.current?.focus();
          break;
        case 'customer':
          setShowCustomer((s) => !s);
          break;
        case 'help':
          setHelp(true);
          break;
        case 'close':
          if (help) setHelp(false);
          else if (view === 'search') setView('inbox');
          else return;
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId, select, help, view, hasAccount]);

  const switchDemo = async (on: boolean) => {
    setBusy(true);
    setNotice(on ? t(lang, 'startingDemo') : null);
    try {
      const status = await (on ? startDemo() : stopDemo());
      setCore({ state: 'ready', status });
      setNotice(null);
      setView('inbox');
      setOpen(null);
      setAnchor(null);
      setSearch(EMPTY_SEARCH);
      setFilter({});
      items.current = [];
    } catch (e) {
      setNotice(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (core.state === 'loading') {
    return (
      <div className="app" lang={lang} dir={dirOf(lang)}>
        <p id="core-loading" className="opening" role="status">
          {t(lang, 'opening')}
        </p>
      </div>
    );
  }
  if (core.state === 'failed') {
    return (
      <div className="app" lang={lang} dir={dirOf(lang)}>
        <CoreError lang={lang} error={core.error} />
      </div>
    );
  }

  const { status } = core;
  const account = status.account;
  const demo = status.mode === 'demo';
  const done = () => {
    setView('inbox');
    setOpen(null);
    void refresh();
  };

  let main;
  if (view === 'connect') {
    main = <AccountForm lang={lang} editing={null} onDone={done} onCancel={() => setView('inbox')} />;
  } else if (view === 'settings') {
    main = (
      <SettingsPage
        lang={lang}
        prefs={prefs}
        onPrefs={changePrefs}
        account={account}
        demo={demo}
        tick={tick}
        onChanged={done}
        onClose={() => setView('inbox')}
      />
    );
  } else if (view === 'search' && account) {
    main = (
      <SearchPage
        lang={lang}
        numbers={account.numbers}
        state={search}
        onState={setSearch}
        onOpenMessage={(hit) => select(hit.conversationId, hit.messageId)}
        onOpenCustomer={(conversationId) => select(conversationId)}
        onBack={() => setView('inbox')}
        queryRef={archiveQueryRef}
      />
    );
  } else if (view === 'insights' && account) {
    main = <InsightsPage lang={lang} numbers={account.numbers} onClose={() => setView('inbox')} onOpenConversation={(id) => select(id)} />;
  } else if (!account) {
    main = <EmptyState lang={lang} onConnect={() => setView('connect')} onDemo={() => switchDemo(true)} busy={busy} notice={notice} />;
  } else if (open) {
    main = (
      <div className="conversation-pane">
        <ConversationView
          key={open.conversationId}
          lang={lang}
          info={open}
          tick={tick}
          customerShown={showCustomer}
          onShowCustomer={() => setShowCustomer((s) => !s)}
          onWindowExpired={() => conversationInfo(open.conversationId).then(setOpen, () => {})}
          anchorMessageId={anchor?.conversationId === open.conversationId ? anchor.messageId : null}
          anchorSeq={anchor?.conversationId === open.conversationId ? anchor.seq : 0}
          composer={<Composer key={open.conversationId} lang={lang} info={open} textareaRef={composerRef} pickerRequest={pickerRequest} />}
        />
        {showCustomer && <CustomerPanel lang={lang} customerId={open.customerId} tick={tick} onClose={() => setShowCustomer(false)} />}
      </div>
    );
  } else {
    main = (
      <p className="muted" id="select-conversation">
        {openError ? openError.message : t(lang, 'selectConversation')}
      </p>
    );
  }

  return (
    <div className="app" lang={lang} dir={dirOf(lang)}>
      {demo && <DemoBanner lang={lang} onLeave={() => switchDemo(false)} busy={busy} />}
      {linkError && (
        <div className="desk-banner" id="link-error" role="alert" data-code={linkError.code}>
          <p>{linkError.message}</p>
          <button type="button" className="secondary" onClick={() => setLinkError(null)}>
            {t(lang, 'linkDismiss')}
          </button>
        </div>
      )}
      {update && (
        <div className="desk-banner" id="update-banner" role="status">
          <p>{updating ?? t(lang, 'updAvailable', { version: update.version })}</p>
          {!updating && (
            <>
              <button type="button" onClick={install} id="install-update">
                {t(lang, 'updInstall')}
              </button>
              <button type="button" className="secondary" onClick={() => setUpdate(null)}>
                {t(lang, 'updLater')}
              </button>
            </>
          )}
        </div>
      )}
      <InboxShell
        lang={lang}
        status={status}
        tick={tick}
        onSettings={() => setView(view === 'settings' ? 'inbox' : 'settings')}
        onHelp={() => setHelp(true)}
        onSearch={account ? () => setView('search') : undefined}
        searchActive={view === 'search'}
        onInsights={account ? () => setView(view === 'insights' ? 'inbox' : 'insights') : undefined}
        insightsActive={view === 'insights'}
        filter={filter}
        onFilter={setFilter}
        selectedId={openId}
        onSelect={(i) => select(i.conversationId)}
        onItems={announce}
        searchRef={searchRef}
      >
        {main}
      </InboxShell>
      <StatusBar lang={lang} status={status} tick={tick} />
      {help && <ShortcutSheet lang={lang} onClose={() => setHelp(false)} />}
    </div>
  );
}
