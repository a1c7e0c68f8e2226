import type { Message } from '../../ipc';

/** A message as the core sends it, with `over` changed: for tests. */
export function msg(over: Partial<Message> = {}): Message {
  const id = over.id ?? 1;
  const createdAt = over.createdAt ?? '2026-02-26T10:15:00Z';
  return {
    id,
    direction: 'inbound',
    type: 'text',
    createdAt,
    text: 'hello',
    mediaCaption: null,
    mediaFilename: null,
    mediaMime: null,
    mediaLink: null,
    mediaPlaceholder: null,
    templateName: null,
    templateLanguage: null,
    renderedBody: null,
    interactive: null,
    locationLat: null,
    locationLng: null,
    locationName: null,
    locationAddress: null,
    reactionEmoji: null,
    reactions: [],
    status: null,
    statusAt: null,
    failureCode: null,
    failureReason: null,
    category: null,
    cost: null,
    costCurrency: null,
    canRetry: false,
    canEdit: false,
    canDelete: false,
    cursor: { createdAt: Date.parse(createdAt), id },
    ...over,
  };
}
