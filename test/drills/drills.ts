/**
 * Deliberate leaks, each a change to the extension's source that a careless edit could make. The
 * leak scan (the first test of test/integration/secrets.test.ts) must catch every one. `find` must
 * occur exactly once in `file`: a drill whose patch no longer applies fails loudly.
 */
export interface Patch {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

export interface Drill {
  readonly name: string;
  readonly patches: readonly Patch[];
  /** What the suite's output must say when the scan catches this leak (where it was found). */
  readonly caughtBy: RegExp;
}

export const DRILLS: readonly Drill[] = [
  {
    name: 'the logger no longer redacts',
    patches: [{ file: 'src/vscode/logger.ts', find: 'const line = this.redactor.redact(message);', replace: 'const line = message;' }],
    caughtBy: /\) in log (output channel|file)/,
  },
  {
    name: 'a 40-character token prefix logged on connect',
    patches: [
      {
        file: 'src/vscode/accounts/accountService.ts',
        find: 'const connection = await connectUser(this.session.client(), token,',
        replace:
          'this.log.info(`Connecting with ${token.slice(0, 40)}`);\n    const connection = await connectUser(this.session.client(), token,',
      },
    ],
    caughtBy: /canary user token \(exact\) in log (output channel|file)/,
  },
  {
    name: 'the full token in the Accounts tooltip',
    patches: [
      {
        file: 'src/vscode/accounts/accountsTree.ts',
        find: 'tooltip.appendText(`${account.name}\\n\\n${kindLabel(account)} ${account.id} · ${state}`);',
        replace:
          "tooltip.appendText(`${account.name}\\n\\n${kindLabel(account)} ${account.id} · ${state}\\n\\n${account.kind === 'app' ? account.secret : account.token}`);",
      },
    ],
    caughtBy: /in tooltips of the Accounts rows/,
  },
  {
    name: 'the token input box no longer masked',
    patches: [{ file: 'src/vscode/accounts/accountCommands.ts', find: '      password,\n', replace: '      password: false,\n' }],
    caughtBy: /the box a secret is typed into is masked/,
  },
  {
    name: 'a token in an error message shown to the user',
    patches: [
      {
        file: 'src/vscode/accounts/accountCommands.ts',
        find: '(signal) => this.service.connectUser(value, signal),',
        replace:
          '(signal) => this.service.connectUser(value, signal).catch((e: unknown) => { throw new UserError(`Could not connect with ${value.slice(0, 30)}…: ${String(e)}`, { cause: e }); }),',
      },
    ],
    caughtBy: /canary user token \(exact\) in (notifications|workbench)/,
  },
  {
    name: 'a token in a tree description',
    patches: [
      {
        file: 'src/vscode/accounts/accountsTree.ts',
        find: 'item.description = `${kindLabel(account)} · ${state}`;',
        replace: "item.description = `${kindLabel(account)} · ${state} · ${account.kind === 'app' ? account.secret : account.token}`;",
      },
    ],
    caughtBy: /\) in workbench with notifications open: frame 0/,
  },
  {
    name: 'a token in a document (raw JSON no longer redacted)',
    patches: [
      {
        file: 'src/vscode/conversations/documents.ts',
        find: 'this.contents.set(uri.toString(), redact(content));',
        replace: 'this.contents.set(uri.toString(), content);',
      },
      {
        file: 'src/vscode/conversations/conversationCommands.ts',
        find: "displayJson(raw), 'json');",
        replace: "displayJson(node.kind === 'page' ? { ...(raw as object), access_token: node.page.token } : raw), 'json');",
      },
    ],
    caughtBy: /Page token of \d+ \(exact\) in open document messenger-explorer:\/raw\//,
  },
  {
    name: 'a token in a URL query parameter under another name (?t=)',
    patches: [
      {
        file: 'src/core/graph/transport.ts',
        find: 'const url = this.url(path, form ? (options.params ?? {}) : { ...options.params, ...proof });',
        replace:
          'const url = this.url(path, { ...(form ? (options.params ?? {}) : { ...options.params, ...proof }), t: credentials.accessToken });',
      },
    ],
    caughtBy: /\) in request #\d+ /,
  },
  {
    name: 'a token in globalState',
    patches: [
      {
        file: 'src/vscode/activate.ts',
        find: '    accounts.onDidChange(() => {\n      accountsTree.refresh();',
        replace:
          "    accounts.onDidChange(() => {\n      void accounts.accounts().then((all) => context.globalState.update('messengerExplorer.lastAccounts', all));\n      accountsTree.refresh();",
      },
    ],
    caughtBy: /\) in (globalState|workbench with notifications open: browser IndexedDB)/,
  },
];
