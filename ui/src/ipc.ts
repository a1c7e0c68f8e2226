// The one typed door to the Rust core. Types here mirror the Rust command types
// (src-tauri/commands/); every command's failure arrives as an AppError.
import { invoke } from '@tauri-apps/api/core';
import { en } from './i18n/en';

/** Stable codes the core uses (src-tauri/commands/error.rs). */
export type ErrorCode =
  | 'DATA_DIR_UNWRITABLE'
  | 'ALREADY_RUNNING'
  | 'DB_NOT_SQLITE'
  | 'DB_NOT_CUBEDESK'
  | 'DB_CORRUPT'
  | 'DB_NEWER_SCHEMA'
  | 'DB_UNAVAILABLE'
  | 'DISK_FULL'
  | 'INVALID_PHONE'
  | 'TEXT_EMPTY'
  | 'TEXT_TOO_LONG'
  | 'WINDOW_CLOSED'
  | 'INBOUND_ONLY_TYPE'
  | 'TEMPLATE_PARAMS_MISMATCH'
  | 'TEMPLATE_PARAM_INVALID'
  | 'ACCOUNT_FORM_INVALID'
  | 'ACCOUNT_UNREACHABLE'
  | 'ACCOUNT_NOT_CUBECONNECT'
  | 'ACCOUNT_KEY_REJECTED'
  | 'ACCOUNT_NO_TENANT'
  | 'ACCOUNT_TENANT_REJECTED'
  | 'ACCOUNT_FORBIDDEN'
  | 'ACCOUNT_UNKNOWN_NUMBER'
  | 'ACCOUNT_CHECK_FAILED'
  | 'ACCOUNT_EXISTS'
  | 'NO_ACCOUNT'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'DEMO_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'CUSTOMER_BLOCKED'
  | 'TEMPLATE_UNAVAILABLE'
  | 'TEMPLATE_HEADER_MEDIA'
  | 'NOT_RETRIABLE'
  | 'RECEIVER_UNAVAILABLE'
  | 'SEARCH_INVALID'
  | 'FILE_UNWRITABLE'
  | 'FILE_UNREADABLE'
  | 'IMPORT_EMPTY'
  | 'IMPORT_BINARY'
  | 'IMPORT_TOO_LARGE'
  | 'IMPORT_UNKNOWN_LAYOUT'
  | 'BACKUP_INVALID'
  | 'LINK_REFUSED'
  | 'UPDATE_FAILED'
  | 'INTERNAL';

export interface AppError {
  code: ErrorCode | string;
  message: string;
}

export interface NumberSummary {
  id: number;
  apiId: string;
  displayName: string;
  webhookAccountId: number | null;
}

export interface AccountSummary {
  id: number;
  name: string;
  baseUrl: string;
  tenantId: string | null;
  isDemo: boolean;
  disconnected: boolean;
  numbers: NumberSummary[];
}

export interface AppStatus {
  version: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
  accounts: number;
  conversations: number;
  /** `demo` while the demo runs on its own archive. */
  mode: 'archive' | 'demo';
  account: AccountSummary | null;
}

export type WindowPhase = 'neverOpened' | 'open' | 'closing' | 'closed';

/** The 24-hour window as the core decided it (src-tauri/domain/window.rs). */
export interface WindowState {
  phase: WindowPhase;
  active: boolean;
  expiresAt: string | null;
  remainingMinutes: number;
  source: 'server' | 'local' | null;
}

export interface InboxCursor {
  lastMessageAt: number;
  conversationId: number;
}

export interface InboxItem {
  conversationId: number;
  numberId: number;
  numberName: string;
  customerId: number;
  customerName: string | null;
  customerPhone: string;
  customerBlocked: boolean;
  lastMessageAt: string | null;
  unreadCount: number;
  lastType: string | null;
  lastDirection: 'inbound' | 'outbound' | null;
  lastStatus: string | null;
  lastPreview: string | null;
  window: WindowState;
  cursor: InboxCursor;
}

export interface NumberInput {
  apiId: string;
  displayName: string;
}

export interface AccountFormInput {
  name: string;
  baseUrl: string;
  apiKey: string;
  tenantId: string;
  webhookSecret: string;
  numbers: NumberInput[];
}

/** One problem with one field of the account form (`numbers.1.apiId` style names use snake_case: `numbers.1.api_id`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface SyncStatus {
  running: boolean;
  online: boolean | null;
  receiverUrl: string | null;
  listening: boolean;
  unsigned: boolean;
  lastEventAt: string | null;
  waitingMessages: number;
  /** The owner paused sync (tray menu or Settings). */
  paused: boolean;
}

export interface SecretPresence {
  apiKey: boolean;
  webhookSecret: boolean;
}

/** Shown when a failure carries no text of its own. English, like the core's own messages. */
export const UNKNOWN_ERROR_MESSAGE: string = en.unknownError;

/**
 * Whatever a failed call threw, as an AppError; never throws itself.
 * - `{ code, message }` with a non-empty string code and a string message: passed through
 *   (only those two fields; an empty message gets the generic sentence).
 * - an Error or a non-empty string: `INTERNAL` with its text.
 * - anything else (null, numbers, odd objects, objects whose getters throw): `INTERNAL` with a
 *   generic sentence.
 */
export function toAppError(e: unknown): AppError {
  try {
    if (typeof e === 'object' && e !== null) {
      const { code, message } = e as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && code.length > 0 && typeof message === 'string') {
        return { code, message: message.length > 0 ? message : UNKNOWN_ERROR_MESSAGE };
      }
      if (e instanceof Error) {
        return { code: 'INTERNAL', message: e.message || e.name || UNKNOWN_ERROR_MESSAGE };
      }
    }
    if (typeof e === 'string' && e.length > 0) {
      return { code: 'INTERNAL', message: e };
    }
  } catch {
    // A hostile or broken value (a throwing getter, a revoked Proxy): fall through.
  }
  return { code: 'INTERNAL', message: UNKNOWN_ERROR_MESSAGE };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const appStatus = (): Promise<AppStatus> => call<AppStatus>('app_status');
export const startDemo = (): Promise<AppStatus> => call<AppStatus>('start_demo');
export const stopDemo = (): Promise<AppStatus> => call<AppStatus>('stop_demo');
export const checkAccountForm = (form: AccountFormInput, editing = false): Promise<FieldProblem[]> =>
  call<FieldProblem[]>('check_account_form', { form, editing });
export const connectAccount = (form: AccountFormInput): Promise<AccountSummary> =>
  call<AccountSummary>('connect_account', { form });
export const updateAccount = (form: AccountFormInput): Promise<AccountSummary> =>
  call<AccountSummary>('update_account', { form });
export const removeAccount = (deleteData: boolean): Promise<void> => call<void>('remove_account', { deleteData });
export const accountSecrets = (): Promise<SecretPresence> => call<SecretPresence>('account_secrets');
export const syncStatus = (): Promise<SyncStatus> => call<SyncStatus>('sync_status');

// ---- Conversations, messages, composing, templates, customers (issue 5) ----

/** Which conversations the inbox shows; every field narrows, none set shows all. */
export interface InboxFilter {
  unread?: boolean;
  window?: 'open' | 'closing' | 'closed';
  failed?: boolean;
  numberId?: number;
  tag?: string;
  /** Part of a customer's name or phone. */
  query?: string;
}

export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'template'
  | 'interactive'
  | 'location'
  | 'sticker'
  | 'reaction';

export type MessageStatus = 'pending' | 'unconfirmed' | 'queued' | 'scheduled' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageCursor {
  createdAt: number;
  id: number;
}

/** A reaction shown on the message it reacts to. */
export interface Reaction {
  emoji: string;
  direction: 'inbound' | 'outbound';
}

/** One message as the conversation view shows it (src-tauri/commands/conversation.rs). */
export interface Message {
  id: number;
  direction: 'inbound' | 'outbound';
  type: MessageType;
  createdAt: string;
  text: string | null;
  mediaCaption: string | null;
  mediaFilename: string | null;
  mediaMime: string | null;
  mediaLink: string | null;
  /** What CubeConnect says in place of inbound media it does not pass on ("[image]"). */
  mediaPlaceholder: string | null;
  templateName: string | null;
  templateLanguage: string | null;
  renderedBody: string | null;
  /** The Cloud API's interactive object: `{type:'button', body:{text}, action:{buttons:[{reply:{title}}]}}`
   *  or `{type:'list', body:{text}, action:{button, sections:[{title, rows:[{title, description}]}]}}`,
   *  or an inbound reply `{type:'button_reply'|'list_reply', title}`. Shapes vary: render defensively. */
  interactive: unknown;
  locationLat: number | null;
  locationLng: number | null;
  locationName: string | null;
  locationAddress: string | null;
  /** A reaction whose target is not in this archive stays a message of its own. */
  reactionEmoji: string | null;
  reactions: Reaction[];
  /** Outbound only. */
  status: MessageStatus | null;
  statusAt: string | null;
  failureCode: string | null;
  failureReason: string | null;
  category: 'SERVICE' | 'MARKETING' | 'UTILITY' | 'AUTHENTICATION' | null;
  cost: number | null;
  costCurrency: string | null;
  /** The core's rules: may it be retried / edited (text only) / deleted from this computer. */
  canRetry: boolean;
  canEdit: boolean;
  canDelete: boolean;
  cursor: MessageCursor;
  /** Brought in from a WhatsApp chat export file (history from before CubeDesk). */
  imported?: boolean;
}

/** The header of an open conversation: who, on which number, and what may be sent now. */
export interface ConversationInfo {
  conversationId: number;
  numberId: number;
  numberName: string;
  customerId: number;
  customerName: string | null;
  customerPhone: string;
  customerBlocked: boolean;
  unreadCount: number;
  window: WindowState;
  /** Message types the core would accept now (`text` only while the window is open; `template` always). */
  sendable: MessageType[];
}

/** An approved template of the conversation's number, ready for the picker. */
export interface Template {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION' | null;
  body: string;
  paramsCount: number;
  headerType: 'none' | 'text' | 'image' | 'video' | 'document';
  headerText: string | null;
  footer: string | null;
  /** The direction its language is written in. */
  dir: 'ltr' | 'rtl';
}

export type Draft =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; params: string[]; headerLink: string | null };

export interface FlowSession {
  flowId: number | null;
  currentStepId: number | null;
  /** JSON object of collected data, or null when unknown. */
  sessionData: unknown;
  startedAt: string | null;
  lastInteractionAt: string | null;
  expiresAt: string | null;
  completed: boolean | null;
  endedAs: 'completed' | 'cancelled' | null;
}

export interface CustomerResponse {
  questionKey: string;
  questionText: string | null;
  value: string | null;
  type: string | null;
  createdAt: string;
}

export interface CustomerDetails {
  id: number;
  name: string | null;
  phone: string;
  email: string | null;
  tags: string[];
  blocked: boolean;
  metadata: unknown;
  optedOut: boolean | null;
  optOutScope: 'marketing' | 'all' | null;
  optedOutAt: string | null;
  firstConversationAt: string | null;
  lastConversationAt: string | null;
  totalConversations: number;
  session: FlowSession | null;
  responses: CustomerResponse[];
}

export const inboxPage = (filter: InboxFilter = {}, after?: InboxCursor, limit?: number): Promise<InboxItem[]> =>
  call<InboxItem[]>('inbox_page', { after: after ?? null, limit: limit ?? null, filter });
/** Unread messages in every conversation of the account on screen. */
export const unreadTotal = (): Promise<number> => call<number>('unread_total');
export const inboxTags = (): Promise<string[]> => call<string[]>('inbox_tags');
/** Opens a conversation: marks it read and asks CubeConnect to confirm its window. */
export const openConversation = (conversationId: number): Promise<ConversationInfo> =>
  call<ConversationInfo>('open_conversation', { conversationId });
export const conversationInfo = (conversationId: number): Promise<ConversationInfo> =>
  call<ConversationInfo>('conversation_info', { conversationId });
/** Newest first; `before` pages back in time. */
export const messagesPage = (conversationId: number, before?: MessageCursor, limit?: number): Promise<Message[]> =>
  call<Message[]>('messages_page', { conversationId, before: before ?? null, limit: limit ?? null });
export const sendMessage = (conversationId: number, draft: Draft): Promise<number> =>
  call<number>('send_message', { conversationId, draft });
export const retryMessage = (messageId: number): Promise<void> => call<void>('retry_message', { messageId });
export const editMessage = (messageId: number, text: string): Promise<void> => call<void>('edit_message', { messageId, text });
export const deleteMessage = (messageId: number): Promise<void> => call<void>('delete_message', { messageId });
export const templatesFor = (conversationId: number): Promise<Template[]> => call<Template[]>('templates_for', { conversationId });
export const customerDetails = (customerId: number): Promise<CustomerDetails> => call<CustomerDetails>('customer_details', { customerId });

/** The template's body as the core renders it with `params`, and the first problem with them
 *  (null when the template could be sent as it is). */
export interface TemplatePreview {
  rendered: string;
  problem: AppError | null;
}
export const templatePreview = (conversationId: number, name: string, language: string, params: string[]): Promise<TemplatePreview> =>
  call<TemplatePreview>('template_preview', { conversationId, name, language, params });

// --- The offline archive (issue 6): search, export, import, insights, backup ---

/** A piece of a snippet or a name; `hit` pieces matched the query. Rendered as text, never HTML. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** Filters that combine with the search text. Times are Unix milliseconds (inclusive from, exclusive to). */
export interface SearchFilter {
  customerId?: number;
  numberId?: number;
  fromMs?: number;
  toMs?: number;
  direction?: 'inbound' | 'outbound';
  type?: MessageType;
  status?: MessageStatus;
  category?: 'SERVICE' | 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  tag?: string;
}
export type SearchOrder = 'newest' | 'relevance';

export interface SearchHit {
  messageId: number;
  conversationId: number;
  customerId: number;
  customerName: string | null;
  phone: string;
  numberName: string;
  direction: 'inbound' | 'outbound';
  type: MessageType;
  status: MessageStatus | null;
  createdAt: string;
  imported: boolean;
  snippet: Segment[];
}
export interface CustomerHit {
  customerId: number;
  /** The customer's most recent conversation, null when there is none yet. */
  conversationId: number | null;
  name: Segment[];
  phone: string;
  tags: string[];
}
export interface SearchResults {
  hits: SearchHit[];
  /** Pass back as `after` for the next page; null when there is no more. */
  next: string | null;
  /** Customers whose name, phone or tag match (first page only). */
  customers: CustomerHit[];
}
export const searchArchive = (query: string, filter: SearchFilter = {}, order: SearchOrder = 'newest', after?: string | null, limit?: number): Promise<SearchResults> =>
  call<SearchResults>('search_archive', { query, filter, order, after: after ?? null, limit: limit ?? null });

/** Messages around one message (newest first): up to `limit` / 2 on each side, the message included. */
export const messagesAround = (conversationId: number, messageId: number, limit?: number): Promise<Message[]> =>
  call<Message[]>('messages_around', { conversationId, messageId, limit: limit ?? null });
/** Messages newer than `after` (newest first), to page forward from a message found by search. */
export const messagesAfter = (conversationId: number, after: MessageCursor, limit?: number): Promise<Message[]> =>
  call<Message[]>('messages_after', { conversationId, after, limit: limit ?? null });

export type ExportFormat = 'csv' | 'json' | 'html';
export type ExportScope =
  | { kind: 'conversation'; conversationId: number }
  | { kind: 'customer'; customerId: number }
  | { kind: 'search'; query: string; filter: SearchFilter }
  | { kind: 'all' };
export interface ExportResult {
  path: string;
  messages: number;
  bytes: number;
}
/** Writes the file whole or not at all (a temporary file renamed into place). */
export const exportArchive = (scope: ExportScope, format: ExportFormat, path: string): Promise<ExportResult> =>
  call<ExportResult>('export_archive', { scope, format, path });

export type DateOrder = 'dayFirst' | 'monthFirst';
export interface ImportProblem {
  line: number;
  text: string;
  reason: string;
}
export interface ImportPreview {
  messages: number;
  notices: number;
  authors: { name: string; count: number }[];
  /** The author the core thinks is you (the other is the customer), null when it cannot tell. */
  suggestedMe: string | null;
  firstAt: string | null;
  lastAt: string | null;
  dateOrder: DateOrder;
  /** Messages of this file already in the archive (importing again adds only the rest). */
  alreadyImported: number;
  problems: ImportProblem[];
}
export interface ImportInput {
  path: string;
  /** The customer's phone, any common spelling. */
  phone: string;
  /** Which author is you; their messages become outbound. Empty: none of them (all are the
   *  customer's). Absent: the core's guess. */
  me?: string | null;
  customerName?: string | null;
  numberId?: number | null;
  dateOrder?: DateOrder | null;
  /** Minutes east of UTC of the phone that wrote the file (default: this computer's). */
  utcOffsetMinutes?: number | null;
}
export interface ImportResult {
  conversationId: number;
  imported: number;
  duplicates: number;
  problems: ImportProblem[];
}
export const previewImport = (input: ImportInput): Promise<ImportPreview> => call<ImportPreview>('preview_import', { input });
export const importChat = (input: ImportInput): Promise<ImportResult> => call<ImportResult>('import_chat', { input });

/** A period of the archive: Unix ms (inclusive from, exclusive to) and the user's offset for day buckets. */
export interface InsightsQuery {
  fromMs: number;
  toMs: number;
  numberId?: number | null;
  utcOffsetMinutes: number;
}
export interface Insights {
  days: { day: string; inbound: number; outbound: number }[];
  categories: { category: string; sends: number; cost: number; currency: string | null }[];
  delivery: { sent: number; delivered: number; read: number; failed: number; deliveryRate: number | null; readRate: number | null };
  failures: { code: string | null; reason: string; count: number }[];
  /** Median minutes from a customer's first message to our first answer, null with no answered message. */
  medianFirstResponseMinutes: number | null;
  /** Customers whose 24-hour window closed in the period without an answer from us. */
  unanswered: { customerId: number; conversationId: number; name: string | null; phone: string; lastInboundAt: string; closedAt: string }[];
}
export const insights = (query: InsightsQuery): Promise<Insights> => call<Insights>('insights', { query });
export const exportInsights = (query: InsightsQuery, path: string): Promise<ExportResult> =>
  call<ExportResult>('export_insights', { query, path });

export interface BackupResult {
  path: string;
  bytes: number;
}
/** A consistent copy of the whole archive (SQLite's VACUUM INTO). */
export const backupArchive = (path: string): Promise<BackupResult> => call<BackupResult>('backup_archive', { path });
export interface RestoreCheck {
  schemaVersion: number;
  customers: number;
  conversations: number;
  messages: number;
}
/** Checks a backup file without changing anything. */
export const checkBackup = (path: string): Promise<RestoreCheck> => call<RestoreCheck>('check_backup', { path });
/** Replaces the archive with a checked backup (the current one is kept beside it) and restarts CubeDesk. */
export const restoreArchive = (path: string): Promise<RestoreCheck> => call<RestoreCheck>('restore_archive', { path });

/** The first inbox is on screen: the core logs the start-up time (and `make bench` times it). */
export const firstPaint = (): Promise<void> => call<void>('first_paint');

// --- Desktop integration ---

/** Pauses the account's sync (nothing sent or received until resumed) or resumes it. */
export const pauseSync = (paused: boolean): Promise<void> => call<void>('pause_sync', { paused });
/** The conversation a waiting `cubedesk://` link opens; `null` when no link waits. */
export const takeLink = (): Promise<number | null> => call<number | null>('take_link');
/** The core announces a waiting link with this event; the window then calls `takeLink`. */
export const LINK_EVENT = 'cubedesk://link';
/** Whether CubeDesk starts when the owner logs in, as the system has it. */
export const autostartEnabled = (): Promise<boolean> => call<boolean>('autostart_enabled');
export const setAutostart = (enabled: boolean): Promise<boolean> => call<boolean>('set_autostart', { enabled });
/** Plain text for support: versions, sizes, states, last warnings; no secrets, phones or message text. */
export const diagnostics = (): Promise<string> => call<string>('diagnostics');

export interface UpdateAvailable {
  version: string;
  notes: string | null;
}
/** A new version found at start (at most once a day), waiting for the owner's yes. */
export const UPDATE_EVENT = 'cubedesk://update';
/** The update found at start, if the window missed its event. */
export const pendingUpdate = (): Promise<UpdateAvailable | null> => call<UpdateAvailable | null>('pending_update');
export const checkUpdate = (): Promise<UpdateAvailable | null> => call<UpdateAvailable | null>('check_update');
/** Downloads, verifies the signature, installs and restarts. */
export const installUpdate = (): Promise<void> => call<void>('install_update');
