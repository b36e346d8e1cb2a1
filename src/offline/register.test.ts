/**
 * The page's side of the service worker, with a browser imitated: when it reloads for isolation (once at most),
 * what it says when isolation cannot be had, and how a waiting version is offered and applied.
 */
import { describe, expect, it, vi } from 'vitest';
import { RELOADED_KEY, startOffline, type OfflineEnvironment } from './register.ts';

class FakeWorker extends EventTarget {
  messages: unknown[] = [];
  constructor(public state: ServiceWorkerState) {
    super();
  }
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  become(state: ServiceWorkerState) {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  active: FakeWorker | null = null;
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
}

function browser(
  options: { isolated?: boolean; controlled?: boolean; registration?: FakeRegistration } = {},
) {
  const registration = options.registration ?? new FakeRegistration();
  const storage = new Map<string, string>();
  const reload = vi.fn();
  const container = Object.assign(new EventTarget(), {
    controller: options.controlled ? new FakeWorker('activated') : null,
    register: vi.fn(async () => registration),
  });
  const updates: (() => void)[] = [];
  const env: OfflineEnvironment = {
    window: {
      crossOriginIsolated: options.isolated ?? false,
      isSecureContext: true,
      location: { reload } as unknown as Location,
      sessionStorage: {
        getItem: (k: string) => storage.get(k) ?? null,
        setItem: (k: string, v: string) => void storage.set(k, v),
        removeItem: (k: string) => void storage.delete(k),
      } as Storage,
    },
    container: container as unknown as ServiceWorkerContainer,
    scriptUrl: 'https://play.example.org/sw.js',
    onUpdate: (apply) => updates.push(apply),
    installTimeoutMs: 50,
  };
  return { env, registration, storage, reload, container, updates };
}

const reason = async (env: OfflineEnvironment) =>
  ((await startOffline(env)) as { isolation: { reason: string } }).isolation.reason;

describe('startOffline: isolation', () => {
  it('an isolated page (the server sends the headers) registers the worker and starts at once', async () => {
    const b = browser({ isolated: true });
    b.storage.set(RELOADED_KEY, '1');
    expect(await startOffline(b.env)).toEqual({ reloading: false, isolation: { isolated: true } });
    expect(b.container.register).toHaveBeenCalledWith('https://play.example.org/sw.js', { scope: './' });
    expect(b.reload).not.toHaveBeenCalled();
    // Isolated again: a later visit that loses it may reload once more.
    expect(b.storage.has(RELOADED_KEY)).toBe(false);
  });

  it('a first visit without the headers waits for the worker, then reloads once', async () => {
    const b = browser();
    const installing = new FakeWorker('installing');
    b.registration.installing = installing;
    const started = startOffline(b.env);
    await Promise.resolve();
    expect(b.reload).not.toHaveBeenCalled();
    installing.become('activated');
    expect(await started).toEqual({ reloading: true });
    expect(b.reload).toHaveBeenCalledTimes(1);
    expect(b.storage.get(RELOADED_KEY)).toBe('1');
  });

  it('a page the active worker does not serve yet (a hard reload) reloads at once', async () => {
    const b = browser();
    b.registration.active = new FakeWorker('activated');
    expect(await startOffline(b.env)).toEqual({ reloading: true });
  });

  it('never reloads twice: after one reload it starts and says why the page is not isolated', async () => {
    const b = browser({ controlled: true });
    b.registration.active = new FakeWorker('activated');
    b.storage.set(RELOADED_KEY, '1');
    const start = await startOffline(b.env);
    expect(b.reload).not.toHaveBeenCalled();
    expect(start).toEqual({
      reloading: false,
      isolation: {
        isolated: false,
        reason:
          'the browser did not isolate the page even with the isolation headers its service worker added',
      },
    });
  });

  it('a worker that fails to install, or takes too long, lets the app start without isolation', async () => {
    const failing = browser();
    const installing = new FakeWorker('installing');
    failing.registration.installing = installing;
    const started = startOffline(failing.env);
    await Promise.resolve();
    installing.become('redundant');
    expect(await started).toMatchObject({ reloading: false, isolation: { isolated: false } });
    expect(((await started) as { isolation: { reason: string } }).isolation.reason).toContain(
      'failed to install',
    );

    const slow = browser();
    slow.registration.installing = new FakeWorker('installing');
    const late = await startOffline(slow.env);
    expect(late).toMatchObject({ reloading: false, isolation: { isolated: false } });
    expect((late as { isolation: { reason: string } }).isolation.reason).toContain(
      'did not start within 0 s',
    );
    expect(slow.reload).not.toHaveBeenCalled();
  });

  it('says why when no worker can be had: plain HTTP, none offered, a refused or failed registration', async () => {
    const insecure = browser();
    expect(
      await reason({
        ...insecure.env,
        container: undefined,
        window: { ...insecure.env.window, isSecureContext: false },
      }),
    ).toContain('plain HTTP');
    expect(await reason({ ...insecure.env, container: undefined })).toContain('allows no service worker');
    const refused = browser();
    refused.container.register.mockResolvedValue(undefined as unknown as FakeRegistration);
    expect(await reason(refused.env)).toContain('the browser refused it');
    const failed = browser();
    failed.container.register.mockRejectedValue(new Error('SecurityError'));
    expect(await reason(failed.env)).toContain('SecurityError');
    // The dev server sends the headers itself and has no worker.
    expect(await startOffline({ ...browser({ isolated: true }).env, scriptUrl: undefined })).toEqual({
      reloading: false,
      isolation: { isolated: true },
    });
  });
});

describe('startOffline: updates', () => {
  it('offers a version waiting behind the running one; applying it switches the worker and reloads', async () => {
    const b = browser({ isolated: true, controlled: true });
    b.registration.active = new FakeWorker('activated');
    await startOffline(b.env);
    expect(b.updates).toHaveLength(0);

    const next = new FakeWorker('installing');
    b.registration.installing = next;
    b.registration.dispatchEvent(new Event('updatefound'));
    b.registration.waiting = next;
    next.become('installed');
    expect(b.updates).toHaveLength(1);
    // Nothing happens until the user asks.
    expect(next.messages).toEqual([]);
    b.updates[0]!();
    expect(next.messages).toEqual([{ type: 'skip-waiting' }]);
    b.container.dispatchEvent(new Event('controllerchange'));
    expect(b.reload).toHaveBeenCalledTimes(1);
  });

  it('a version already waiting when the page opens is offered at once; a first install is not an update', async () => {
    const waiting = browser({ isolated: true, controlled: true });
    waiting.registration.waiting = new FakeWorker('installed');
    await startOffline(waiting.env);
    expect(waiting.updates).toHaveLength(1);

    const first = browser({ isolated: true });
    first.registration.waiting = new FakeWorker('installed');
    await startOffline(first.env);
    expect(first.updates).toHaveLength(0);
    // Its taking over (claim) does not reload the page.
    first.container.dispatchEvent(new Event('controllerchange'));
    expect(first.reload).not.toHaveBeenCalled();
  });
});
