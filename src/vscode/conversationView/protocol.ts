import type { TranscriptItem } from '../../core/explorer/transcript';

/**
 * Messages between the extension and the conversation webview. Only display data crosses: no
 * token, no account, no request URL. The webview's script (media/conversationView/main.js) is
 * plain JavaScript and mirrors these shapes.
 */

/** What survives a reload in the webview's state; enough to find the thread again, never a credential. */
export interface ConversationState {
  readonly pageId: string;
  readonly threadId: string;
  readonly platform: 'messenger' | 'instagram';
  readonly title?: string;
}

export type ToWebview =
  | {
      readonly type: 'init';
      readonly strings: Record<string, string>;
      readonly locale: string;
      readonly state: ConversationState;
      readonly threadKey: string;
      /** The thread is on the local simulator: the composer may also write as the person. */
      readonly simulator: boolean;
    }
  | {
      readonly type: 'transcript';
      readonly seq: number;
      readonly reason: 'initial' | 'older' | 'refresh' | 'test';
      readonly items: readonly TranscriptItem[];
      readonly hasMore: boolean;
    }
  | {
      readonly type: 'status';
      readonly loadingOlder: boolean;
      readonly refreshing: boolean;
      readonly error?: string;
      readonly updated?: string;
    }
  | { readonly type: 'sent'; readonly ok: boolean };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'loadOlder' }
  | { readonly type: 'refresh' }
  | { readonly type: 'retry' }
  | { readonly type: 'openLink'; readonly href: string }
  /** The composer: reply as the Page (Send API) or, on the simulator, write as the person. */
  | { readonly type: 'send'; readonly as: 'page' | 'person'; readonly text: string }
  | {
      readonly type: 'rendered';
      readonly seq: number;
      readonly ms: number;
      readonly totalMs: number;
      readonly count: number;
      readonly reason: string;
    }
  | { readonly type: 'cspViolation'; readonly directive: string; readonly blocked: string };

/** Narrows what the webview posted; anything else is dropped. */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'ready':
    case 'loadOlder':
    case 'refresh':
    case 'retry':
      return { type: v.type };
    case 'openLink':
      return typeof v.href === 'string' ? { type: 'openLink', href: v.href.slice(0, 4096) } : undefined;
    case 'send':
      return typeof v.text === 'string' && v.text.trim() !== '' && (v.as === 'page' || v.as === 'person')
        ? { type: 'send', as: v.as, text: v.text.slice(0, 2000) }
        : undefined;
    case 'rendered':
      return typeof v.ms === 'number' && typeof v.count === 'number' && typeof v.seq === 'number'
        ? {
            type: 'rendered',
            seq: v.seq,
            ms: v.ms,
            totalMs: typeof v.totalMs === 'number' ? v.totalMs : v.ms,
            count: v.count,
            reason: String(v.reason).slice(0, 20),
          }
        : undefined;
    case 'cspViolation':
      return { type: 'cspViolation', directive: String(v.directive).slice(0, 200), blocked: String(v.blocked).slice(0, 500) };
    default:
      return undefined;
  }
}
