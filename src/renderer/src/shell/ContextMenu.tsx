import { useEffect, useRef, useState } from 'react';

export interface MenuItem {
  label: string;
  onSelect?: () => void;
  disabled?: boolean;
  separatorBefore?: boolean;
  /** Shown at the right ("S", "Shift+Del"). */
  shortcut?: string;
  /** A submenu (Takes ▸); opens on hover, click or →. */
  children?: MenuItem[];
  checked?: boolean;
}

/** A right-click menu at the pointer; closes on choice, Escape, a resize or a click elsewhere. */
export function ContextMenu({ x, y, items, onClose }: { x: number; y: number; items: MenuItem[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    const close = (e: Event) => {
      if (e instanceof MouseEvent && ref.current?.contains(e.target as Node)) return;
      onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('mousedown', close, true);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    window.addEventListener('keydown', onKey, true);
    ref.current?.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
    return () => {
      window.removeEventListener('mousedown', close, true);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [onClose]);
  // Keep the menu on screen near the right and bottom edges.
  const left = Math.max(0, Math.min(x, window.innerWidth - 250));
  const top = Math.max(0, Math.min(y, window.innerHeight - 32 * items.length - 16));
  const flipSub = left + 250 + 240 > window.innerWidth;
  return (
    <div className="context-menu" role="menu" ref={ref} style={{ left, top }}>
      {items.map((item) => (
        <div key={item.label} className="menu-entry" onMouseEnter={() => setOpen(item.children ? item.label : null)}>
          {item.separatorBefore && <div className="menu-separator" />}
          <button
            role="menuitem"
            disabled={item.disabled}
            aria-haspopup={item.children ? 'menu' : undefined}
            aria-expanded={item.children ? open === item.label : undefined}
            onKeyDown={(e) => item.children && e.key === 'ArrowRight' && setOpen(item.label)}
            onClick={() => {
              if (item.children) return setOpen(item.label);
              onClose();
              item.onSelect?.();
            }}
          >
            <span>{item.label}</span>
            {item.shortcut && <kbd>{item.shortcut}</kbd>}
            {item.children && <span aria-hidden>▸</span>}
          </button>
          {item.children && open === item.label && (
            <div className={`context-menu sub${flipSub ? ' flip' : ''}`} role="menu" aria-label={item.label}>
              {item.children.map((c) => (
                <button
                  key={c.label}
                  role="menuitemradio"
                  aria-checked={c.checked ?? false}
                  disabled={c.disabled}
                  onClick={() => {
                    onClose();
                    c.onSelect?.();
                  }}
                >
                  <span>{c.checked ? '● ' : '○ '}{c.label}</span>
                </button>
              ))}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
