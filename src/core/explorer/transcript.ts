import { Attachment, Message, Participant, Platform } from '../graph/models';
import { isFromPage, messageContent, participantName } from './messageSummary';
import { blockText, inlineText } from './text';

/**
 * A thread as a chat transcript: what the conversation view shows, as plain serialisable data.
 * Pure: no VS Code, no DOM. Every string from the API is untrusted; here it is neutralised (bidi
 * controls made visible, invisible characters dropped) and cut, and the webview sets it as text.
 */

/** Hosts whose images the view may load: Meta's CDNs, over https only. */
const IMAGE_HOST_SUFFIXES = ['.fbcdn.net', '.cdninstagram.com'];
const IMAGE_HOSTS = ['lookaside.fbsbx.com', 'lookaside.instagram.com'];
/** The Content-Security-Policy `img-src` sources matching `isAllowedImageUrl`. */
export const IMAGE_CSP_SOURCES = [
  'https://*.fbcdn.net',
  'https://*.cdninstagram.com',
  'https://lookaside.fbsbx.com',
  'https://lookaside.instagram.com',
];

/** Longest message text a bubble shows; the rest is in Open Message Details. */
export const MAX_BUBBLE_TEXT = 20_000;
/** Messages from one sender at most this far apart are grouped under one header. */
const GROUP_GAP_MS = 5 * 60_000;
const LINK = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»”’]+$/;

export type TextSegment = { readonly text: string } | { readonly link: string; readonly openable: boolean };

export interface TranscriptAttachment {
  readonly kind: 'image' | 'video' | 'audio' | 'file';
  readonly name: string;
  /** "1.2 MB" in the user's language, or empty. */
  readonly size: string;
  /** A thumbnail the view may load (allowed host, https, images on), else undefined: show a placeholder. */
  readonly thumbnail?: string;
  /** An https link the user may open through VS Code's confirmation. */
  readonly link?: string;
}

export interface TranscriptShare {
  readonly name: string;
  readonly description: string;
  readonly link?: string;
  /** The link as text, shown even when it cannot be opened. */
  readonly linkText: string;
}

export interface TranscriptMessage {
  readonly kind: 'message';
  readonly id: string;
  readonly time: number;
  readonly side: 'page' | 'person';
  readonly sender: string;
  readonly senderId?: string;
  /** Sender shown again (first of a group); later messages of a group hide it visually. */
  readonly groupStart: boolean;
  /** "10:14" */
  readonly timeLabel: string;
  /** The exact local date and time with its zone, for the tooltip. */
  readonly exactTime: string;
  readonly segments: readonly TextSegment[];
  readonly truncated: boolean;
  readonly attachments: readonly TranscriptAttachment[];
  readonly sticker?: { readonly image?: string };
  readonly reactions: readonly { readonly emoji: string; readonly count: number }[];
  readonly tags: readonly string[];
  readonly shares: readonly TranscriptShare[];
  /** Only ID and time came back: why, in the user's language. */
  readonly unavailable?: string;
  /** "Anh Lê, 20 November 10:14: Where is my order?" */
  readonly accessibleName: string;
}

export interface DaySeparator {
  readonly kind: 'day';
  readonly id: string;
  readonly label: string;
}

export type TranscriptItem = DaySeparator | TranscriptMessage;

/** The words the transcript needs, in the user's language (VS Code's l10n in the extension, English in tests). */
export interface TranscriptLabels {
  unknownSender(): string;
  emptyMessage(): string;
  photo(name: string): string;
  video(name: string): string;
  audio(name: string): string;
  file(name: string): string;
  sticker(): string;
  shared(name: string): string;
  /** Instagram's 20-most-recent rule. */
  unavailableInstagram(): string;
  /** Deleted, or not returned for another reason. */
  unavailable(): string;
}

export interface TranscriptOptions {
  /** The IDs the Page has in threads (its own and its Instagram account's). */
  readonly ownIds: readonly string[];
  readonly pageName: string;
  readonly platform: Platform;
  readonly locale: string;
  /** IANA zone for day boundaries and times; the platform's own when undefined. */
  readonly timeZone?: string;
  readonly showImages: boolean;
  readonly labels: TranscriptLabels;
}

/** Whether the view may load this image: https and a Meta CDN host. */
export function isAllowedImageUrl(url: string | undefined): boolean {
  if (!url) {
    return false;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  return IMAGE_HOSTS.includes(host) || IMAGE_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/** An https URL the user may choose to open (VS Code asks before it leaves), else undefined. */
export function openableLink(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Text cut into plain runs and links; links stay text in the view until the user chooses Open Link. */
export function textSegments(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const raw = match[0];
    const link = raw.replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    if (start > last) {
      out.push({ text: text.slice(last, start) });
    }
    out.push({ link, openable: openableLink(link) !== undefined });
    last = start + link.length;
  }
  if (last < text.length) {
    out.push({ text: text.slice(last) });
  }
  return out;
}

/** "1.2 MB": a byte count in the user's language. */
export function formatSize(bytes: number | undefined, locale: string): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/**
 * The transcript of the messages loaded so far (given newest first): oldest first, a separator at each new day, and
 * consecutive messages of one sender grouped. O(n log n) for the sort, O(n) otherwise.
 */
export function buildTranscript(messages: readonly Message[], options: TranscriptOptions): TranscriptItem[] {
  const formats = formatters(options.locale, options.timeZone);
  // `messages` is newest first, as the Graph API lists them. Its times have whole seconds, so a
  // bot's answer often has its question's time: among equal times, the list's order decides.
  const sorted = messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.createdTime - b.message.createdTime || b.index - a.index)
    .map((entry) => entry.message);
  const out: TranscriptItem[] = [];
  let day = '';
  let previous: { senderKey: string; time: number } | undefined;
  for (const message of sorted) {
    const dayKey = formats.dayKey.format(message.createdTime);
    if (dayKey !== day) {
      day = dayKey;
      previous = undefined;
      out.push({ kind: 'day', id: `day-${dayKey}`, label: formats.day.format(message.createdTime) });
    }
    const side = isFromPage(message, options.ownIds) ? 'page' : 'person';
    const senderKey = message.from?.id ?? side;
    const groupStart = !previous || previous.senderKey !== senderKey || message.createdTime - previous.time > GROUP_GAP_MS;
    previous = { senderKey, time: message.createdTime };
    out.push(transcriptMessage(message, side, groupStart, options, formats));
  }
  return out;
}

interface Formats {
  readonly dayKey: Intl.DateTimeFormat;
  readonly day: Intl.DateTimeFormat;
  readonly dayMonth: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  readonly exact: Intl.DateTimeFormat;
}

function formatters(locale: string, timeZone: string | undefined): Formats {
  const zone = timeZone ? { timeZone } : {};
  return {
    dayKey: new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    day: new Intl.DateTimeFormat(locale, { ...zone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
    dayMonth: new Intl.DateTimeFormat(locale, { ...zone, month: 'long', day: 'numeric' }),
    time: new Intl.DateTimeFormat(locale, { ...zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    exact: new Intl.DateTimeFormat(locale, { ...zone, dateStyle: 'full', timeStyle: 'long' }),
  };
}

function senderName(from: Participant | undefined, side: 'page' | 'person', options: TranscriptOptions): string {
  const name = participantName(from);
  if (name) {
    return name;
  }
  return side === 'page' ? inlineText(options.pageName, 80) || options.labels.unknownSender() : options.labels.unknownSender();
}

function transcriptMessage(
  message: Message,
  side: 'page' | 'person',
  groupStart: boolean,
  options: TranscriptOptions,
  formats: Formats,
): TranscriptMessage {
  const { labels } = options;
  const sender = senderName(message.from, side, options);
  const unavailable = messageContent(message).kind === 'unavailable' ? unavailableLabel(options.platform, labels) : undefined;
  const text = blockText(message.text, MAX_BUBBLE_TEXT);
  const attachments = message.attachments.map((a) => attachment(a, options));
  const sticker = message.sticker
    ? { image: options.showImages && isAllowedImageUrl(message.sticker) ? message.sticker : undefined }
    : undefined;
  const shares = message.shares.map((s): TranscriptShare => ({
    name: inlineText(s.name, 200),
    description: blockText(s.description, 500),
    link: openableLink(s.link),
    linkText: inlineText(s.link, 300),
  }));
  const summary =
    inlineText(message.text, 200) ||
    attachments.map((a) => attachmentLabel(a, labels)).join(', ') ||
    (sticker ? labels.sticker() : '') ||
    shares.map((s) => labels.shared(s.name || s.linkText)).join(', ') ||
    unavailable ||
    labels.emptyMessage();
  const when = `${formats.dayMonth.format(message.createdTime)} ${formats.time.format(message.createdTime)}`;
  return {
    kind: 'message',
    id: message.id,
    time: message.createdTime,
    side,
    sender,
    senderId: message.from?.id,
    groupStart,
    timeLabel: formats.time.format(message.createdTime),
    exactTime: formats.exact.format(message.createdTime),
    segments: text ? textSegments(text) : [],
    truncated: (message.text?.length ?? 0) > MAX_BUBBLE_TEXT,
    attachments,
    sticker,
    reactions: message.reactions.map((r) => ({ emoji: inlineText(r.reaction, 16), count: r.count })),
    tags: message.tags.map((t) => inlineText(t, 60)).filter(Boolean),
    shares,
    unavailable,
    accessibleName: `${sender}, ${when}: ${summary}`,
  };
}

function attachmentKind(mimeType: string | undefined): TranscriptAttachment['kind'] {
  if (mimeType?.startsWith('image/')) {
    return 'image';
  }
  if (mimeType?.startsWith('video/')) {
    return 'video';
  }
  if (mimeType?.startsWith('audio/')) {
    return 'audio';
  }
  return 'file';
}

function attachment(a: Attachment, options: TranscriptOptions): TranscriptAttachment {
  const kind = attachmentKind(a.mimeType);
  const candidate = a.previewUrl ?? a.url;
  return {
    kind,
    name: inlineText(a.name, 120),
    size: formatSize(a.size, options.locale),
    thumbnail: kind === 'image' && options.showImages && isAllowedImageUrl(candidate) ? candidate : undefined,
    link: openableLink(a.url),
  };
}

function attachmentLabel(a: TranscriptAttachment, labels: TranscriptLabels): string {
  switch (a.kind) {
    case 'image':
      return labels.photo(a.name);
    case 'video':
      return labels.video(a.name);
    case 'audio':
      return labels.audio(a.name);
    case 'file':
      return labels.file(a.name);
  }
}

/** Why a message has only its ID and time: Instagram's 20-most-recent rule, or no reason given. */
function unavailableLabel(platform: TranscriptOptions['platform'], labels: TranscriptLabels): string {
  return platform === 'instagram' ? labels.unavailableInstagram() : labels.unavailable();
}
