import { checkSimulatorUrl } from '../../core/accounts/simulatorCredentials';
import { DisposableStore, Emitter } from '../../core/events';

/**
 * The control keys of local simulators, per origin, in memory only: never stored, never logged,
 * never sent anywhere but to that simulator's own control endpoints. Filled by Connect to Local
 * Simulator (the key is in the address the simulator prints) and by the launcher of `npm start`.
 */
export class SimulatorKeys extends DisposableStore {
  private readonly keys = new Map<string, string>();
  private readonly changed = this._register(new Emitter<string>());
  /** A key was learned or forgotten: the simulator's origin. */
  readonly onDidChange = this.changed.event;

  constructor(launcherUrl?: string) {
    super();
    if (launcherUrl) {
      this.remember(launcherUrl);
    }
  }

  /** Keeps the key of a simulator address (`http://127.0.0.1:4580/?key=…`); an address without one changes nothing. */
  remember(address: string): void {
    const checked = checkSimulatorUrl(address);
    if (checked.ok && checked.key) {
      this.set(checked.origin, checked.key);
    }
  }

  set(origin: string, key: string): void {
    if (this.keys.get(origin) !== key) {
      this.keys.set(origin, key);
      this.changed.fire(origin);
    }
  }

  get(origin: string): string | undefined {
    return this.keys.get(origin);
  }

  /** The simulator refused the key (it was restarted with another one). */
  forget(origin: string): void {
    if (this.keys.delete(origin)) {
      this.changed.fire(origin);
    }
  }
}
