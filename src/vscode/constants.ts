/**
 * Command and view IDs, as package.json contributes them (a package test keeps the two in step).
 * One place, so no module imports another's internals just to name a command or view.
 */
export const Commands = {
  connect: 'messengerExplorer.connect',
  connectUser: 'messengerExplorer.connectUser',
  addPage: 'messengerExplorer.addPage',
  addApp: 'messengerExplorer.addApp',
  connectSimulator: 'messengerExplorer.connectSimulator',
  signInWithFacebook: 'messengerExplorer.signInWithFacebook',
  exchangeToken: 'messengerExplorer.exchangeToken',
  renew: 'messengerExplorer.renew',
  updateToken: 'messengerExplorer.updateToken',
  removeAccount: 'messengerExplorer.removeAccount',
  signOut: 'messengerExplorer.signOut',
  checkTokens: 'messengerExplorer.checkTokens',
  copyAccountId: 'messengerExplorer.copyAccountId',
  refresh: 'messengerExplorer.refresh',
  showLog: 'messengerExplorer.showLog',
  refreshNode: 'messengerExplorer.refreshNode',
  loadMore: 'messengerExplorer.loadMore',
  retry: 'messengerExplorer.retry',
  openMessage: 'messengerExplorer.openMessage',
  openRawJson: 'messengerExplorer.openRawJson',
  copyId: 'messengerExplorer.copyId',
  copyParticipantId: 'messengerExplorer.copyParticipantId',
  copyAsCurl: 'messengerExplorer.copyAsCurl',
  openInBrowser: 'messengerExplorer.openInBrowser',
  chooseFolder: 'messengerExplorer.chooseFolder',
  filter: 'messengerExplorer.filter',
  clearFilter: 'messengerExplorer.clearFilter',
  findThread: 'messengerExplorer.findThread',
  resolveAtCursor: 'messengerExplorer.resolveAtCursor',
  resolveId: 'messengerExplorer.resolveId',
  resolveVariable: 'messengerExplorer.resolveVariable',
  resolveParticipant: 'messengerExplorer.resolveParticipant',
  resolveAllInFile: 'messengerExplorer.resolveAllInFile',
  clearLinkedIdsCache: 'messengerExplorer.clearLinkedIdsCache',
  copyLinkedId: 'messengerExplorer.copyLinkedId',
  insertLinkedId: 'messengerExplorer.insertLinkedId',
  resolveLinkedAgain: 'messengerExplorer.resolveLinkedAgain',
  openLinkedThread: 'messengerExplorer.openLinkedThread',
  openLinkedIdLink: 'messengerExplorer.openLinkedIdLink',
  gettingStarted: 'messengerExplorer.gettingStarted',
  openSampleWebhook: 'messengerExplorer.openSampleWebhook',
  openConversation: 'messengerExplorer.openConversation',
  conversationRefresh: 'messengerExplorer.conversation.refresh',
  conversationCopyMessageId: 'messengerExplorer.conversation.copyMessageId',
  conversationOpenMessage: 'messengerExplorer.conversation.openMessage',
  conversationOpenRawJson: 'messengerExplorer.conversation.openRawJson',
  conversationResolveSender: 'messengerExplorer.conversation.resolveSender',
  conversationCopyAsCurl: 'messengerExplorer.conversation.copyAsCurl',
  conversationOpenLink: 'messengerExplorer.conversation.openLink',
  replyAsPage: 'messengerExplorer.replyAsPage',
  conversationWriteAsPerson: 'messengerExplorer.conversation.writeAsPerson',
  replayAsWebhook: 'messengerExplorer.replayAsWebhook',
  conversationReplayAsWebhook: 'messengerExplorer.conversation.replayAsWebhook',
  testWebhookVerification: 'messengerExplorer.testWebhookVerification',
  deliveriesRefresh: 'messengerExplorer.deliveries.refresh',
  deliveryOpenPayload: 'messengerExplorer.deliveries.openPayload',
  deliveryOpenResponse: 'messengerExplorer.deliveries.openResponse',
  deliveryRedeliver: 'messengerExplorer.deliveries.redeliver',
} as const;

export const Views = {
  conversations: 'messengerExplorer.conversations',
  linkedIds: 'messengerExplorer.linkedIds',
  accounts: 'messengerExplorer.accounts',
  deliveries: 'messengerExplorer.deliveries',
} as const;

/** Webview panel types (`onWebviewPanel:` activation, `webviewId` in menus). */
export const WebviewTypes = {
  conversation: 'messengerExplorer.conversation',
} as const;

/** The walkthrough's ID within the extension (contributes.walkthroughs). */
export const WALKTHROUGH = 'messengerExplorer.gettingStarted';

/** Authentication providers this extension registers (`contributes.authentication`). */
export const AuthProviders = {
  facebook: 'messengerExplorer.facebook',
} as const;
