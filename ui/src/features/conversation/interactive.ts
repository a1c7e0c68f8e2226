/** What an interactive message shows, read defensively from the Cloud API's object (shapes vary). */
export interface InteractiveView {
  kind: 'buttons' | 'list' | 'buttonReply' | 'listReply' | 'other';
  header: string | null;
  body: string | null;
  footer: string | null;
  /** The list's opening button ("Choose"), for lists. */
  listButton: string | null;
  /** Button titles, or list rows as "title" / "title: description". */
  chips: Array<{ title: string; description: string | null; section: string | null }>;
  /** An inbound reply's chosen title. */
  replyTitle: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A text field that may be a string or `{text}`. */
const textOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.text);

export function readInteractive(raw: unknown): InteractiveView {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = null;
    }
  }
  const o = obj(value) ?? {};
  const type = str(o.type);
  const view: InteractiveView = {
    kind: 'other',
    header: textOf(o.header),
    body: textOf(o.body),
    footer: textOf(o.footer),
    listButton: null,
    chips: [],
    replyTitle: null,
  };

  if (type === 'button_reply' || type === 'list_reply' || o.button_reply || o.list_reply) {
    const inner = obj(o.button_reply) ?? obj(o.list_reply) ?? o;
    view.kind = type === 'list_reply' || o.list_reply ? 'listReply' : 'buttonReply';
    view.replyTitle = str(inner.title) ?? str(o.title);
    return view;
  }

  const action = obj(o.action) ?? {};
  const buttons = arr(action.buttons);
  if (buttons.length > 0) {
    view.kind = 'buttons';
    for (const b of buttons) {
      const bo = obj(b);
      if (!bo) continue;
      const title = str(obj(bo.reply)?.title) ?? str(bo.title) ?? str(bo.text);
      if (title) view.chips.push({ title, description: null, section: null });
    }
    return view;
  }

  const sections = arr(action.sections);
  if (sections.length > 0 || type === 'list') {
    view.kind = 'list';
    view.listButton = str(action.button);
    for (const s of sections) {
      const so = obj(s);
      if (!so) continue;
      const section = str(so.title);
      for (const r of arr(so.rows)) {
        const ro = obj(r);
        const title = ro ? str(ro.title) : null;
        if (ro && title) view.chips.push({ title, description: str(ro.description), section });
      }
    }
    return view;
  }
  if (type === 'button') view.kind = 'buttons';
  return view;
}
