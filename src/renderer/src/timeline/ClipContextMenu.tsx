import { actions } from '../actions/registry';
import { runAction } from '../actions/run';
import type { ActionContext } from '../actions/types';
import { labelOf } from '../actions/types';
import { isEnabled } from '../actions/registry';
import { ContextMenu, type MenuItem } from '../shell/ContextMenu';
import { useAppStore } from '../store/appStore';
import { findClip } from '../store/selectors';

/** The right-click menu of a timeline clip: the registry's clip actions by group, and Takes ▸ to switch takes on the clip itself. */
export function ClipContextMenu({ ctx }: { ctx: ActionContext }) {
  const menu = useAppStore((s) => s.contextMenu);
  const state = useAppStore();
  if (!menu) return null;
  const found = findClip(state, menu.clipId);
  if (!found) return null;
  const clip = found.clip;
  const close = () => useAppStore.setState({ contextMenu: null });
  const items: MenuItem[] = [];
  let group: string | undefined;
  for (const a of actions.filter((x) => x.clipMenu)) {
    items.push({ label: labelOf(a, state), shortcut: a.shortcut, disabled: !isEnabled(a, state), separatorBefore: group !== undefined && group !== a.clipMenu, onSelect: () => void runAction(a, ctx) });
    group = a.clipMenu;
  }
  if (found.track.kind === 'video') {
    items.push({
      label: 'Takes',
      separatorBefore: true,
      children: clip.takes.map((t) => ({
        label: t.label,
        checked: t.id === clip.activeTakeId,
        disabled: !t.online,
        onSelect: () => void ctx.client.call('take.setActive', { clipId: clip.id, takeId: t.id }).catch(ctx.reportError),
      })),
    });
  }
  return <ContextMenu x={menu.x} y={menu.y} items={items} onClose={close} />;
}
