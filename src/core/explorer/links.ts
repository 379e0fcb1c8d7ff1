/** Hosts the explorer opens links to; any other link from an API response is not opened. */
const META_WEB_HOSTS = /(^|\.)(facebook\.com|messenger\.com|instagram\.com|fb\.com)$/i;

/**
 * A conversation's `link` as an https URL on a Meta site. The API returns Messenger links as paths
 * (`/{page}/inbox/…`), so those are resolved against www.facebook.com. Anything else is dropped:
 * an API response must not be able to open arbitrary URLs or schemes.
 */
export function safeMetaLink(link: string | undefined): string | undefined {
  if (!link) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(link, 'https://www.facebook.com');
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !META_WEB_HOSTS.test(url.hostname) || url.username || url.password) {
    return undefined;
  }
  return url.toString();
}

/** The Page's inbox in Meta Business Suite. */
export function businessSuiteInbox(pageId: string, platform: 'messenger' | 'instagram'): string {
  const query = new URLSearchParams({
    asset_id: pageId,
    ...(platform === 'instagram' ? { mailbox_id: '', selected_item_type: 'IG_MESSAGE' } : {}),
  });
  return `https://business.facebook.com/latest/inbox/all?${query.toString()}`;
}
