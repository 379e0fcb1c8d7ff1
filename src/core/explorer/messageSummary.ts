import { Conversation, Message, Participant } from '../graph/models';
import { inlineText } from './text';

/** What a message row shows, before localisation. */
export type MessageContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'attachments'; readonly text: string; readonly names: readonly string[]; readonly mimeType?: string }
  | { readonly kind: 'sticker' }
  /** Only id and time came back: Instagram's 20-most-recent rule, or a deleted message. */
  | { readonly kind: 'unavailable' };

export function messageContent(message: Message): MessageContent {
  const text = inlineText(message.text);
  if (message.attachments.length > 0) {
    return {
      kind: 'attachments',
      text,
      names: message.attachments.map((a) => inlineText(a.name, 60)).filter(Boolean),
      mimeType: message.attachments[0]?.mimeType,
    };
  }
  if (message.sticker) {
    return { kind: 'sticker' };
  }
  if (text.length > 0) {
    return { kind: 'text', text };
  }
  return message.raw.message === undefined && message.raw.from === undefined ? { kind: 'unavailable' } : { kind: 'text', text: '' };
}

/** The person on the other side of a thread: every participant but the Page or its Instagram account. */
export function otherParticipant(conversation: Conversation, ownIds: readonly string[]): Participant | undefined {
  return conversation.participants.find((p) => !ownIds.includes(p.id)) ?? conversation.participants[0];
}

/** A participant's display name: name on Messenger, username on Instagram, else the ID. */
export function participantName(participant: Participant | undefined): string {
  if (!participant) {
    return '';
  }
  return inlineText(participant.name, 80) || (participant.username ? `@${inlineText(participant.username, 80)}` : '') || participant.id;
}

/** Whether a message was sent by the Page (or its Instagram account). */
export function isFromPage(message: Message, ownIds: readonly string[]): boolean {
  return message.from !== undefined && ownIds.includes(message.from.id);
}

/** Matches a filter against what the row shows: participant name, username, ID and snippet. */
export function matchesFilter(conversation: Conversation, filter: string): boolean {
  const needle = filter.trim().toLocaleLowerCase();
  if (!needle) {
    return true;
  }
  const haystack = [conversation.snippet, ...conversation.participants.flatMap((p) => [p.name, p.username, p.id])];
  return haystack.some((value) => value?.toLocaleLowerCase().includes(needle));
}
