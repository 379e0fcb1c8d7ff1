import * as vscode from 'vscode';
import { Commands, Views } from './constants';
import { AccountService } from './accounts/accountService';
import { AccountStore } from './accounts/accountStore';
import { AccountsTreeProvider } from './accounts/accountsTree';
import { registerAccountCommands } from './accounts/accountCommands';
import { FacebookSignIn, registerFacebookSignIn } from './accounts/facebookSignIn';
import { ExpiryWarnings } from './accounts/expiryWarnings';
import { CommandRunner } from './commandRunner';
import { ContextKeys, setContext } from './contextKeys';
import { ExtensionRuntime } from './runtime';
import { GraphSession } from './graphSession';
import { Logger } from './logger';
import { redactor } from './redaction';
import { SecretVault } from './secretVault';
import { endpointLabel } from './settings';
import { UsageStatus } from './usageStatus';
import { registerConversationCommands } from './conversations/conversationCommands';
import { ConversationsTreeProvider } from './conversations/conversationsTree';
import { ExplorerDocuments, SCHEME } from './conversations/documents';
import { ConversationExplorer } from '../core/explorer/conversationExplorer';
import { createExplorer } from './conversations/explorerModel';
import { showStaleLists } from './conversations/staleMessage';
import { ExplorerNode } from '../core/explorer/nodes';
import { GettingStarted, registerGettingStartedCommands } from './gettingStarted/gettingStarted';
import { AccountsMemory, setHostContext } from './gettingStarted/hostFacts';
import { registerIdCommands } from './ids/idCommands';
import { IdResolver } from './ids/idResolver';
import { LinkedIdsNode, LinkedIdsProvider } from './ids/linkedIdsView';
import { ConversationViews } from './conversationView/conversationViews';
import { BotLoop } from './botLoop/botLoop';
import { registerBotLoopCommands } from './botLoop/botLoopCommands';
import { SimulatorKeys } from './botLoop/simulatorKeys';
import { DeliveriesView } from './botLoop/deliveriesView';

/**
 * What integration tests reach through `extension.exports`; only returned in test mode.
 * Tests assert on what a person or another process can observe: the views and the rows their
 * providers render, storage, timings (and, outside this API, the DOM through the UI driver and the
 * requests the simulator saw). `internals` is the one seam into the parts behind them, for setup
 * no UI offers and for waiting on work a person cannot see; test/integration/README.md says when.
 */
export interface TestApi {
  readonly views: {
    readonly conversations: vscode.TreeView<ExplorerNode>;
    readonly linkedIds: vscode.TreeView<LinkedIdsNode>;
  };
  /** The views' own providers, so tests read rows rendered by the extension's code, not a copy of it. */
  readonly trees: {
    readonly conversations: ConversationsTreeProvider;
    readonly accounts: AccountsTreeProvider;
    readonly linkedIds: LinkedIdsProvider;
  };
  /** Where a process on this machine could find what the extension stored or logged. */
  readonly storage: {
    readonly secrets: vscode.SecretStorage;
    readonly globalState: vscode.Memento;
    readonly workspaceState: vscode.Memento;
    readonly logUri: vscode.Uri;
    readonly globalStorageUri: vscode.Uri;
  };
  readonly activationMs: number;
  readonly internals: {
    readonly vault: SecretVault;
    readonly accounts: AccountService;
    readonly explorer: ConversationExplorer;
    readonly resolver: IdResolver;
    readonly usageStatus: UsageStatus;
    readonly log: Logger;
    readonly gettingStarted: GettingStarted;
    /** The conversation panels (webviews): open ones, render timings, the simulator stream seam. */
    readonly conversationViews: ConversationViews;
    /** Reply as Page, write as the person, replay as webhook event, verification. */
    readonly botLoop: BotLoop;
    /** The Webhook Deliveries view (the simulator's delivery log). */
    readonly deliveries: DeliveriesView;
    /** The authentication provider VS Code's Accounts menu calls (getSessions, removeSession on Sign Out). */
    readonly facebook: FacebookSignIn;
  };
}

/**
 * Composition root: builds the parts and wires every refresh in one place. Cheap by design: no
 * network, no file reads, views load lazily.
 */
export function activateExtension(context: vscode.ExtensionContext, runtime: ExtensionRuntime): TestApi | undefined {
  const started = performance.now();
  const log = new Logger(redactor, context.extensionMode === vscode.ExtensionMode.Test);
  const commands = new CommandRunner(log, runtime);
  const vault = new SecretVault(context.secrets, redactor);
  const store = new AccountStore(vault, log);
  const session = new GraphSession(log, runtime.kind === 'browser');
  const accounts = new AccountService(session, store, log);
  const explorer = createExplorer(accounts, context.globalState, log);
  const conversations = new ConversationsTreeProvider(explorer, runtime);
  const conversationsView = vscode.window.createTreeView(Views.conversations, { treeDataProvider: conversations, showCollapseAll: true });
  const documents = new ExplorerDocuments();
  const accountsTree = new AccountsTreeProvider(accounts, new ExpiryWarnings(), runtime);
  const facebook = registerFacebookSignIn(accounts, commands);
  const accountsView = vscode.window.createTreeView(Views.accounts, { treeDataProvider: accountsTree, showCollapseAll: true });
  const resolver = new IdResolver(accounts, context.globalState, log);
  const usageStatus = new UsageStatus(session);
  const linkedIds = new LinkedIdsProvider();
  const linkedIdsView = vscode.window.createTreeView(Views.linkedIds, { treeDataProvider: linkedIds, showCollapseAll: true });
  const gettingStarted = new GettingStarted(context, accounts, explorer);
  const simulatorKeys = new SimulatorKeys(runtime.launcherSimulatorUrl);
  const botLoop = new BotLoop(accounts, simulatorKeys, log, context.workspaceState);
  const conversationViews = new ConversationViews(
    explorer,
    conversationsView,
    accounts,
    log,
    runtime,
    context.extensionUri,
    session.onDidChangeUsage,
    simulatorKeys,
    botLoop,
  );
  // One change stream for the panels and the deliveries view.
  const deliveries = new DeliveriesView(accounts, simulatorKeys, conversationViews.stream, documents, log, Views.deliveries);

  /** The `when`-clause keys (welcome views, menus) follow what is stored; reading accounts has no side effects. */
  const accountsMemory = new AccountsMemory(context.globalState, setHostContext(runtime));
  const syncContextKeys = (): void => {
    accounts.accounts().then(
      (all) => {
        void accountsMemory.sync(all.length);
        setContext(ContextKeys.hasAnyAccount, all.length > 0);
        setContext(
          ContextKeys.hasAccounts,
          all.some((a) => a.kind === 'page'),
        );
      },
      (e: unknown) => log.error('Reading the stored accounts failed', e),
    );
  };
  // Which Graph host the tokens in the Accounts view belong to: Meta's, or the local simulator.
  accountsView.description = endpointLabel(accounts.endpoint);
  setContext(ContextKeys.simulatorHost, accounts.endpoint.ok && accounts.endpoint.isSimulator);

  context.subscriptions.push(
    log,
    store,
    session,
    accounts,
    explorer,
    conversations,
    conversationsView,
    documents,
    accountsTree,
    resolver,
    usageStatus,
    linkedIds,
    linkedIdsView,
    accountsView,
    showStaleLists(explorer, conversationsView, () => endpointLabel(accounts.endpoint) ?? ''),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    // Fires in every window when any window changes a secret, so all views stay in step.
    context.secrets.onDidChange((e) => {
      if (vault.isOwnKey(e.key)) {
        store.invalidate();
      }
    }),
    accounts.onDidChange(() => {
      accountsTree.refresh();
      conversations.refresh();
      syncContextKeys();
    }),
    accounts.onDidChangeEndpoint((endpoint) => {
      setContext(ContextKeys.simulatorHost, endpoint.ok && endpoint.isSimulator);
      accountsView.description = endpointLabel(endpoint);
      explorer.refresh();
    }),
    // People's names and IDs read with removed accounts go with them.
    accounts.onDidRemoveAccounts(() => {
      linkedIds.clear();
      void resolver.clearCache();
    }),
    commands.register(Commands.showLog, () => log.show()),
    simulatorKeys,
    facebook.disposable,
    registerAccountCommands(accounts, commands, simulatorKeys, (user) => facebook.signIn.offerExchange(user)),
    registerBotLoopCommands(botLoop, conversationsView, commands),
    registerConversationCommands(explorer, conversationsView, documents, accounts, commands),
    registerIdCommands(resolver, linkedIds, linkedIdsView, commands),
    registerGettingStartedCommands(gettingStarted, commands),
    conversationViews,
    conversationViews.registerCommands(commands),
    deliveries,
    deliveries.registerCommands(commands),
  );
  syncContextKeys();
  // Not awaited: activation stays cheap; the walkthrough opens once the secrets are read. In tests
  // too: the integration session's profile is new, and its first suite watches this happen.
  gettingStarted.openOnFirstRun().then(undefined, (e: unknown) => log.error('Opening the walkthrough failed', e));

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        views: { conversations: conversationsView, linkedIds: linkedIdsView },
        trees: { conversations, accounts: accountsTree, linkedIds },
        storage: {
          secrets: context.secrets,
          globalState: context.globalState,
          workspaceState: context.workspaceState,
          logUri: context.logUri,
          globalStorageUri: context.globalStorageUri,
        },
        activationMs,
        internals: {
          vault,
          accounts,
          explorer,
          resolver,
          usageStatus,
          log,
          gettingStarted,
          conversationViews,
          botLoop,
          deliveries,
          facebook: facebook.signIn,
        },
      }
    : undefined;
}
