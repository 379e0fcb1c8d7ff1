import * as assert from 'node:assert/strict';
import { decodeMessage } from '../../src/core/graph/models';
import {
  buildTranscript,
  formatSize,
  isAllowedImageUrl,
  MAX_BUBBLE_TEXT,
  textSegments,
  TranscriptItem,
  TranscriptLabels,
  TranscriptMessage,
  TranscriptOptions,
} from '../../src/core/explorer/transcript';

const PAGE = '1001';
const PERSON = '2002';

const labels: TranscriptLabels = {
  unknownSender: () => 'Unknown sender',
  emptyMessage: () => '(empty message)',
  photo: (n) => `Photo: ${n}`,
  video: (n) => `Video: ${n}`,
  audio: (n) => `Audio: ${n}`,
  file: (n) => `File: ${n}`,
  sticker: () => 'Sticker',
  shared: (n) => `Shared link: ${n}`,
  unavailableInstagram: () => 'Details unavailable: Instagram returns only the 20 most recent messages.',
  unavailable: () => 'Details unavailable.',
};

const options = (over: Partial<TranscriptOptions> = {}): TranscriptOptions => ({
  ownIds: [PAGE],
  pageName: 'Northwind Outdoor',
  platform: 'messenger',
  locale: 'en-GB',
  timeZone: 'UTC',
  showImages: true,
  labels,
  ...over,
});

let seq = 0;
function msg(iso: string, from: 'page' | 'person' | undefined, extra: Record<string, unknown> = {}) {
  const sender = from === 'page' ? { id: PAGE, name: 'Northwind Outdoor' } : from === 'person' ? { id: PERSON, name: 'Anh Lê' } : undefined;
  return decodeMessage({ id: `m_${++seq}`, created_time: iso, ...(sender ? { from: sender } : {}), ...extra }, 'message');
}

const messagesOf = (items: TranscriptItem[]) => items.filter((i): i is TranscriptMessage => i.kind === 'message');

describe('The conversation transcript model', () => {
  it('puts messages oldest first, with a separator at each new day and groups per sender', () => {
    const newestFirst = [
      msg('2026-11-21T08:00:00+0000', 'page', { message: 'Good morning' }),
      msg('2026-11-20T10:16:00+0000', 'page', { message: 'It ships today.' }),
      msg('2026-11-20T10:14:30+0000', 'person', { message: 'Order 123' }),
      msg('2026-11-20T10:14:00+0000', 'person', { message: 'Where is my order?' }),
    ];
    const items = buildTranscript(newestFirst, options());
    assert.deepEqual(
      items.map((i) =>
        i.kind === 'day' ? `day:${i.label.replace(',', '')}` : i.segments.map((s) => ('text' in s ? s.text : s.link)).join(''),
      ),
      [
        'day:Friday 20 November 2026',
        'Where is my order?',
        'Order 123',
        'It ships today.',
        'day:Saturday 21 November 2026',
        'Good morning',
      ],
    );
    const [first, second, third, fourth] = messagesOf(items);
    assert.deepEqual([first?.groupStart, second?.groupStart, third?.groupStart, fourth?.groupStart], [true, false, true, true]);
    assert.deepEqual([first?.side, third?.side], ['person', 'page']);
    assert.equal(first?.accessibleName, 'Anh Lê, 20 November 10:14: Where is my order?');
    assert.equal(first?.timeLabel, '10:14');
    assert.match(first?.exactTime ?? '', /20 November 2026.*10:14:00/);
  });

  it("keeps the API's order among messages of the same second (a bot's instant answer comes after the question)", () => {
    // IDs sort the other way round on purpose: only the list's order (newest first) may decide.
    const answer = decodeMessage(
      { id: 'm_a', created_time: '2026-11-20T12:00:00+0000', from: { id: PAGE, name: 'N' }, message: 'Echo: hi' },
      'message',
    );
    const question = decodeMessage(
      { id: 'm_z', created_time: '2026-11-20T12:00:00+0000', from: { id: PERSON, name: 'Anh Lê' }, message: 'hi' },
      'message',
    );
    const texts = messagesOf(buildTranscript([answer, question], options())).map((m) =>
      m.segments.map((s) => ('text' in s ? s.text : '')).join(''),
    );
    assert.deepEqual(texts, ['hi', 'Echo: hi']);
  });

  it('keeps line breaks and neutralises bidi, zero-width and control characters; cuts 1 MB text', () => {
    const [m] = messagesOf(
      buildTranscript(
        [msg('2026-11-20T10:00:00+0000', 'person', { message: 'a\r\nb \u202Egnp.exe\u202C\u200B <script>x</script>\u0007' })],
        options(),
      ),
    );
    assert.deepEqual(m?.segments, [{ text: 'a\nb \ufffdgnp.exe\ufffd <script>x</script> ' }]);
    const [big] = messagesOf(buildTranscript([msg('2026-11-20T10:00:00+0000', 'person', { message: 'A'.repeat(1024 * 1024) })], options()));
    assert.equal(big?.truncated, true);
    assert.ok(JSON.stringify(big).length < 30_000, 'the view gets a bounded amount of text');
    assert.ok((big?.accessibleName.length ?? 0) < 300);
  });

  it('shows links as links that only https can open', () => {
    assert.deepEqual(textSegments('See https://example.com/a?b=1. and http://x.test or command:foo'), [
      { text: 'See ' },
      { link: 'https://example.com/a?b=1', openable: true },
      { text: '. and ' },
      { link: 'http://x.test', openable: false },
      { text: ' or command:foo' },
    ]);
  });

  it('leaves no empty text runs beside a link at the start or the end', () => {
    assert.deepEqual(textSegments('https://a.example/x and https://b.example/y'), [
      { link: 'https://a.example/x', openable: true },
      { text: ' and ' },
      { link: 'https://b.example/y', openable: true },
    ]);
  });

  it('gives every item a distinct id, day separators included (the view keys its rows on them)', () => {
    const items = buildTranscript(
      [msg('2026-11-21T08:00:00+0000', 'page', { message: 'b' }), msg('2026-11-20T08:00:00+0000', 'person', { message: 'a' })],
      options(),
    );
    const ids = items.map((i) => i.id);
    assert.equal(ids.length, 4);
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    assert.ok(ids.every((id) => id.length > 0));
  });

  it('starts a new group when the same sender writes again after a pause of more than five minutes', () => {
    const items = messagesOf(
      buildTranscript(
        [
          msg('2026-11-20T10:15:00+0000', 'person', { message: 'still there?' }),
          msg('2026-11-20T10:10:00+0000', 'person', { message: 'anyone?' }),
          msg('2026-11-20T10:04:59+0000', 'person', { message: 'hello?' }),
          msg('2026-11-20T10:00:00+0000', 'person', { message: 'hi' }),
        ],
        options(),
      ),
    );
    // 4:59 and exactly 5:00 apart stay in the group; 5:01 starts a new one.
    assert.deepEqual(
      items.map((m) => m.groupStart),
      [true, false, true, false],
    );
  });

  it("cuts days and tells times in the user's time zone, not the machine's", () => {
    const evening = msg('2026-11-20T14:00:00+0000', 'person', { message: 'a' });
    const later = msg('2026-11-20T16:00:00+0000', 'person', { message: 'b' });
    const view = (timeZone: string) =>
      buildTranscript([later, evening], options({ timeZone })).map((i) => (i.kind === 'day' ? i.label.replace(',', '') : i.timeLabel));
    // Whatever zone the machine is in, it cannot match both of these.
    assert.deepEqual(view('Asia/Tokyo'), ['Friday 20 November 2026', '23:00', 'Saturday 21 November 2026', '01:00']);
    assert.deepEqual(view('America/New_York'), ['Friday 20 November 2026', '09:00', '11:00']);
  });

  it('marks as cut only a text longer than a bubble, and only a bare message as unavailable', () => {
    const [short, exact, long] = messagesOf(
      buildTranscript(
        [
          msg('2026-11-20T10:02:00+0000', 'person', { message: 'x'.repeat(MAX_BUBBLE_TEXT + 1) }),
          msg('2026-11-20T10:01:00+0000', 'person', { message: 'x'.repeat(MAX_BUBBLE_TEXT) }),
          msg('2026-11-20T10:00:00+0000', 'person', { message: 'hi' }),
        ],
        options(),
      ),
    );
    assert.deepEqual([short?.truncated, exact?.truncated, long?.truncated], [false, false, true]);
    assert.deepEqual([short?.unavailable, exact?.unavailable, long?.unavailable], [undefined, undefined, undefined]);
  });

  it('loads thumbnails only from Meta CDN hosts over https, and not at all when images are off', () => {
    assert.equal(isAllowedImageUrl('https://scontent.xx.fbcdn.net/v/t1/a.jpg'), true);
    assert.equal(isAllowedImageUrl('https://scontent-lax3-1.cdninstagram.com/a.jpg'), true);
    assert.equal(isAllowedImageUrl('https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1'), true);
    for (const bad of [
      'http://scontent.xx.fbcdn.net/a.jpg',
      'https://fbcdn.net.evil.example/a.jpg',
      'https://evil.example/fbcdn.net',
      'https://.fbcdn.net/',
      'https://user:pw@scontent.xx.fbcdn.net/a',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'not a url',
      undefined,
    ]) {
      assert.equal(isAllowedImageUrl(bad), false, String(bad));
    }
    const photo = (url: string) =>
      msg('2026-11-20T10:00:00+0000', 'person', {
        attachments: {
          data: [{ id: '5', name: 'photo.jpg', mime_type: 'image/jpeg', size: 123_456, image_data: { url, preview_url: url } }],
        },
      });
    const [allowed] = messagesOf(buildTranscript([photo('https://scontent.xx.fbcdn.net/p.jpg')], options()));
    assert.equal(allowed?.attachments[0]?.thumbnail, 'https://scontent.xx.fbcdn.net/p.jpg');
    assert.equal(allowed?.attachments[0]?.size, '123.5 kB');
    assert.equal(allowed?.accessibleName, 'Anh Lê, 20 November 10:00: Photo: photo.jpg');
    const [elsewhere] = messagesOf(buildTranscript([photo('https://evil.example/p.jpg')], options()));
    assert.equal(elsewhere?.attachments[0]?.thumbnail, undefined);
    assert.equal(elsewhere?.attachments[0]?.name, 'photo.jpg');
    const [off] = messagesOf(buildTranscript([photo('https://scontent.xx.fbcdn.net/p.jpg')], options({ showImages: false })));
    assert.equal(off?.attachments[0]?.thumbnail, undefined);
  });

  it("shows an image's preview as its thumbnail, else the image itself, and never a thumbnail for a video", () => {
    const [withPreview, withoutPreview, video] = messagesOf(
      buildTranscript(
        [
          msg('2026-11-20T10:02:00+0000', 'person', {
            attachments: {
              data: [{ name: 'clip.mp4', mime_type: 'video/mp4', video_data: { url: 'https://scontent.xx.fbcdn.net/clip.mp4' } }],
            },
          }),
          msg('2026-11-20T10:01:00+0000', 'person', {
            attachments: { data: [{ name: 'b.jpg', mime_type: 'image/jpeg', image_data: { url: 'https://scontent.xx.fbcdn.net/b.jpg' } }] },
          }),
          msg('2026-11-20T10:00:00+0000', 'person', {
            attachments: {
              data: [
                {
                  name: 'a.jpg',
                  mime_type: 'image/jpeg',
                  image_data: { url: 'https://scontent.xx.fbcdn.net/a-full.jpg', preview_url: 'https://scontent.xx.fbcdn.net/a-small.jpg' },
                },
              ],
            },
          }),
        ],
        options(),
      ),
    );
    assert.equal(withPreview?.attachments[0]?.thumbnail, 'https://scontent.xx.fbcdn.net/a-small.jpg');
    assert.equal(withPreview?.attachments[0]?.link, 'https://scontent.xx.fbcdn.net/a-full.jpg');
    assert.equal(withoutPreview?.attachments[0]?.thumbnail, 'https://scontent.xx.fbcdn.net/b.jpg');
    assert.equal(video?.attachments[0]?.thumbnail, undefined);
    assert.equal(video?.attachments[0]?.link, 'https://scontent.xx.fbcdn.net/clip.mp4');
  });

  it('loads a sticker only from a Meta CDN host, and not at all when images are off', () => {
    const sticker = (url: string) => msg('2026-11-20T10:00:00+0000', 'person', { sticker: url });
    const [elsewhere] = messagesOf(buildTranscript([sticker('https://evil.example/s.png')], options()));
    assert.deepEqual(elsewhere?.sticker, { image: undefined });
    const [off] = messagesOf(buildTranscript([sticker('https://scontent.xx.fbcdn.net/s.png')], options({ showImages: false })));
    assert.deepEqual(off?.sticker, { image: undefined });
    assert.match(off?.accessibleName ?? '', /: Sticker$/, 'still said to be a sticker');
  });

  it('names every attachment and share for screen readers, kind by kind, and drops empty tags', () => {
    const [attachments, shares] = messagesOf(
      buildTranscript(
        [
          msg('2026-11-20T10:01:00+0000', 'person', {
            shares: { data: [{ link: 'https://example.com/a', name: 'Sale' }, { link: 'https://example.com/b' }] },
            tags: { data: [{ name: '' }, { name: '\u200b' }, { name: 'inbox' }] },
          }),
          msg('2026-11-20T10:00:00+0000', 'person', {
            attachments: {
              data: [
                { name: 'a.jpg', mime_type: 'image/jpeg' },
                { name: 'clip.mp4', mime_type: 'video/mp4' },
                { name: 'note.m4a', mime_type: 'audio/mp4' },
                { name: 'invoice.pdf', mime_type: 'application/pdf' },
              ],
            },
          }),
        ],
        options(),
      ),
    );
    assert.deepEqual(
      attachments?.attachments.map((a) => a.kind),
      ['image', 'video', 'audio', 'file'],
    );
    assert.match(attachments?.accessibleName ?? '', /: Photo: a\.jpg, Video: clip\.mp4, Audio: note\.m4a, File: invoice\.pdf$/);
    assert.match(shares?.accessibleName ?? '', /: Shared link: Sale, Shared link: https:\/\/example\.com\/b$/);
    assert.deepEqual(shares?.tags, ['inbox']);
  });

  it('describes files, audio, video, stickers, shares, reactions and tags', () => {
    const items = messagesOf(
      buildTranscript(
        [
          msg('2026-11-20T10:00:00+0000', 'person', {
            attachments: {
              data: [{ name: 'invoice.pdf', mime_type: 'application/pdf', size: 2_400_000, file_url: 'https://cdn.fbsbx.com/invoice.pdf' }],
            },
          }),
          msg('2026-11-20T10:01:00+0000', 'person', {
            attachments: { data: [{ name: 'clip.mp4', mime_type: 'video/mp4', video_data: { url: 'http://video.example/clip.mp4' } }] },
          }),
          msg('2026-11-20T10:02:00+0000', 'page', {
            sticker: 'https://scontent.xx.fbcdn.net/sticker.png',
            tags: { data: [{ name: 'source:chat' }] },
          }),
          msg('2026-11-20T10:03:00+0000', 'page', {
            shares: { data: [{ link: 'https://www.facebook.com/p/1', name: 'Winter sale' }] },
            reactions: { data: [{ reaction: '❤️', users: [{ id: '1' }, { id: '2' }] }] },
          }),
        ],
        options(),
      ),
    );
    assert.deepEqual(items[0]?.attachments[0], {
      kind: 'file',
      name: 'invoice.pdf',
      size: '2.4 MB',
      thumbnail: undefined,
      link: 'https://cdn.fbsbx.com/invoice.pdf',
    });
    assert.equal(items[1]?.attachments[0]?.kind, 'video');
    assert.equal(items[1]?.attachments[0]?.link, undefined, 'an http link is shown, never opened');
    assert.deepEqual(items[2]?.sticker, { image: 'https://scontent.xx.fbcdn.net/sticker.png' });
    assert.deepEqual(items[2]?.tags, ['source:chat']);
    assert.match(items[2]?.accessibleName ?? '', /: Sticker$/);
    assert.equal(items[3]?.shares[0]?.link, 'https://www.facebook.com/p/1');
    assert.deepEqual(items[3]?.reactions, [{ emoji: '❤️', count: 2 }]);
    assert.match(items[3]?.accessibleName ?? '', /^Northwind Outdoor, .*: Shared link: Winter sale$/);
  });

  it("explains Instagram's 20-most-recent rule in place of an unavailable message", () => {
    const bare = decodeMessage({ id: 'm_old', created_time: '2026-11-19T09:00:00+0000' }, 'message');
    const [ig] = messagesOf(buildTranscript([bare], options({ platform: 'instagram' })));
    assert.match(ig?.unavailable ?? '', /20 most recent/);
    assert.equal(ig?.sender, 'Unknown sender');
    assert.match(ig?.accessibleName ?? '', /^Unknown sender, 19 November 09:00: Details unavailable/);
    const [fb] = messagesOf(buildTranscript([bare], options()));
    assert.equal(fb?.unavailable, 'Details unavailable.');
  });

  it("formats sizes in the user's language", () => {
    assert.equal(formatSize(999, 'en'), '999 byte');
    assert.equal(formatSize(undefined, 'en'), '');
    assert.equal(formatSize(-1, 'en'), '', 'a negative size is no size');
    assert.equal(formatSize(0, 'en'), '0 byte');
    assert.equal(formatSize(1000, 'en'), '1 kB');
    assert.equal(formatSize(5_000_000_000_000, 'en'), '5,000 GB', 'gigabytes are the largest unit');
    assert.match(formatSize(1_500_000, 'ja'), /1\.5\s?MB/);
  });

  // How fast is measured by npm run bench (the render row), not by a timed test on a shared machine.
  it('builds a transcript of 1,000 messages, each once', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      msg(new Date(Date.UTC(2026, 10, 1) + i * 600_000).toISOString(), i % 3 ? 'person' : 'page', {
        message: `Message ${i}\nline two https://example.com/${i}`,
      }),
    );
    const items = buildTranscript(many, options());
    assert.equal(messagesOf(items).length, 1000);
    assert.equal(new Set(items.map((i) => i.id)).size, items.length);
  });
});
