/** A Messenger webhook event as Meta delivers it, for trying ID resolution on a realistic payload. */
export interface WebhookSample {
  readonly text: string;
  /** Where the sender's PSID starts in the text, to put the cursor on it. */
  readonly senderOffset: number;
}

export function messengerWebhookSample(pageId: string, senderId: string, messageText: string, timeMs: number): WebhookSample {
  const event = {
    object: 'page',
    entry: [
      {
        id: pageId,
        time: timeMs,
        messaging: [
          {
            sender: { id: senderId },
            recipient: { id: pageId },
            timestamp: timeMs,
            message: { mid: `m_sample_${timeMs.toString(36)}`, text: messageText },
          },
        ],
      },
    ],
  };
  const text = `${JSON.stringify(event, null, 2)}\n`;
  return { text, senderOffset: text.indexOf(senderId, text.indexOf('"sender"')) };
}
