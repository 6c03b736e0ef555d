import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer: ReactNode;
  /** Accessible name for tests and screen readers; defaults to the title. */
  label?: string;
  /** Extra class for the dialog box ("wide" for forms with side-by-side fields). */
  className?: string;
}

/** A centred dialog over a dimmed editor; Escape or a click outside closes it. */
export function Modal({ title, onClose, children, footer, label, className }: ModalProps) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    // Focus the first field so the user can type at once.
    panel.current?.querySelector<HTMLElement>('textarea, input, select, button.primary')?.focus();
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${className ? ` ${className}` : ''}`} role="dialog" aria-modal="true" aria-label={label ?? title} ref={panel}>
        <header className="modal-title">{title}</header>
        <div className="modal-body">{children}</div>
        <footer className="modal-footer">{footer}</footer>
      </div>
    </div>
  );
}
