/** Short notices with an Undo button (after a delete), announced to screen readers. */
import { useEffect } from 'react';
import { create } from 'zustand';
import { useT } from './i18n';

type Toast = { id: number; message: string; undo?: () => void };

type ToastState = {
  toasts: Toast[];
  show: (message: string, undo?: () => void) => void;
  dismiss: (id: number) => void;
};

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  show: (message, undo) => set((s) => ({ toasts: [...s.toasts.slice(-2), { id: nextId++, message, undo }] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

function ToastItem({ toast }: { toast: Toast }) {
  const t = useT();
  const dismiss = useToasts((s) => s.dismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), 8000);
    return () => clearTimeout(timer);
  }, [dismiss, toast.id]);
  return (
    <div className="toast">
      <span>{toast.message}</span>
      {toast.undo && (
        <button
          type="button"
          className="button-link"
          onClick={() => {
            toast.undo?.();
            dismiss(toast.id);
          }}
        >
          {t('toast.undo')}
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={t('toast.dismiss')}
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
}
