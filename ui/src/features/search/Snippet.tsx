import { Fragment } from 'react';
import type { Segment } from '../../ipc';

/**
 * Text from the archive with the pieces that matched in `<mark>`. Every piece is a React text
 * node: whatever the text holds (markup included) is shown as it is, never interpreted.
 */
export function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}
    </>
  );
}
