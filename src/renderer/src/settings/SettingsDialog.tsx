import { useCallback, useEffect, useState } from 'react';
import type { DeliveryCodecDto } from '../../../api/schemas/jobs';
import type { ModelPackDto, ModelsViewDto, SettingsPatchDto, SettingsViewDto } from '../../../api/schemas/settings';
import { useClient } from '../clientContext';
import { Modal } from '../shell/Modal';
import { useAppStore } from '../store/appStore';
import './settings.css';

const PROXY_HEIGHTS = [360, 540, 720, 1080];
type Section = 'models' | 'defaults' | 'preview';

const errorText = (e: unknown) => {
  const err = e as { message?: string; hint?: string };
  return [err.message ?? String(e), err.hint].filter(Boolean).join(' ');
};

function VerificationBadge({ pack }: { pack: ModelPackDto }) {
  const v = pack.verification;
  if (v.state === 'ok') return <span className="badge ok">Verified</span>;
  if (v.state === 'failed') return <span className="badge failed">Failed</span>;
  return <span className="badge unverified">Not verified</span>;
}

/**
 * The app's settings: model packs (verified, added, removed), execution provider, the defaults
 * a new removal uses, and the preview proxy. Every change goes straight to the engine
 * (settings.update, models.*), which keeps and applies it; the dialog only shows the answers.
 */
export function SettingsDialog({ onClose, initial = 'models' }: { onClose: () => void; initial?: Section }) {
  const client = useClient();
  const native = useAppStore((s) => s.info?.host.nativeDialogs ?? false);
  const [section, setSection] = useState<Section>(initial);
  const [settings, setSettings] = useState<SettingsViewDto | null>(null);
  const [models, setModels] = useState<ModelsViewDto | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [packPath, setPackPath] = useState('');
  const [rendersPath, setRendersPath] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void Promise.all([client.call('settings.get', {}), client.call('models.list', {})]).then(([s, m]) => {
      setSettings(s);
      setModels(m);
      setRendersPath(s.settings.rendersDir ?? '');
    }, (e: unknown) => setError(errorText(e)));
  }, [client]);

  /** Runs one engine call, showing what it is doing and its error in the dialog. */
  const run = useCallback(async <T,>(what: string, call: () => Promise<T>): Promise<T | null> => {
    setBusy(what);
    setError(null);
    try {
      return await call();
    } catch (e) {
      setError(errorText(e));
      return null;
    } finally {
      setBusy(null);
    }
  }, []);

  /** The Remove dialog offers the engines jobs.kinds lists (default first): fetch them again after a change. */
  const refreshKinds = () => void client.call('jobs.kinds', {}).then((kinds) => useAppStore.setState({ kinds }), (e: unknown) => setError(errorText(e)));
  const update = async (patch: SettingsPatchDto) => {
    const next = await run('Saving…', () => client.call('settings.update', patch));
    if (next) {
      setSettings(next);
      setSaved(true);
      if (patch.providers) setModels(await client.call('models.list', {}));
      if (patch.defaultEngine !== undefined) refreshKinds();
    }
  };
  const models_ = (what: string, call: () => Promise<ModelsViewDto>) =>
    void run(what, call).then((m) => {
      if (!m) return;
      setModels(m);
      refreshKinds();
    });
  const pickFolder = async (title: string): Promise<string | null> => (native ? client.call('dialog.openFolder', { title }) : null);
  const addPack = async (typed: string) => {
    const dir = typed.trim() || (await pickFolder('Add a model pack folder'));
    if (!dir) return;
    models_('Adding and verifying the pack…', () => client.call('models.add', { dir }));
    setPackPath('');
  };

  const s = settings?.settings;
  return (
    <Modal
      title="Settings"
      label="Settings"
      className="wide settings-dialog"
      onClose={onClose}
      footer={
        <>
          <span className="settings-status" role="status">
            {busy ?? (settings ? `${saved ? 'Saved in' : 'Kept in'} ${settings.file}` : 'Loading…')}
          </span>
          <button className="primary" onClick={onClose}>
            Done
          </button>
        </>
      }
    >
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          {(['models', 'defaults', 'preview'] as const).map((id) => (
            <button key={id} className={section === id ? 'active' : ''} aria-current={section === id} onClick={() => setSection(id)}>
              {{ models: 'Models', defaults: 'Defaults', preview: 'Preview' }[id]}
            </button>
          ))}
        </nav>
        <div className="settings-content">
          {settings?.warning && <p className="settings-warning">{settings.warning}</p>}
          {error && (
            <p className="settings-error" role="alert">
              {error}
            </p>
          )}
          {section === 'models' && models && s && (
            <section aria-label="Models">
              <h3>Removal engines</h3>
              <p className="muted">{models.engines.map((e) => e.label).join(' · ')} — Lite ships with Lacuna; LGVI comes from a model pack.</p>
              <h3>LGVI model packs</h3>
              {models.packs.length === 0 ? (
                <p className="muted">No model pack is installed. Add the folder that holds a pack's manifest.json.</p>
              ) : (
                <ul className="pack-list">
                  {models.packs.map((p) => (
                    <li key={p.dir} className="pack" data-testid="model-pack">
                      <div className="pack-head">
                        <span className="pack-name">{p.name ?? 'Unreadable pack'}</span>
                        {p.version && <span className="muted">v{p.version}</span>}
                        <VerificationBadge pack={p} />
                        {p.engines.length > 0 ? (
                          <span className="muted">provides {p.engines.join(', ')}</span>
                        ) : (
                          <span className="muted">{p.verification.state === 'failed' ? 'not used until it verifies' : 'another pack provides its engines'}</span>
                        )}
                      </div>
                      <div className="pack-meta">
                        <span className="muted">id</span> <code>{p.id ?? '—'}</code> <span className="pack-dir" title={p.dir}>
                          <bdi>{p.dir}</bdi>
                        </span>
                      </div>
                      {p.verification.state === 'failed' && (
                        <ul className="pack-problems">
                          {p.verification.problems.slice(0, 4).map((problem) => (
                            <li key={problem}>{problem}</li>
                          ))}
                          {p.verification.problems.length > 4 && <li>… and {p.verification.problems.length - 4} more</li>}
                        </ul>
                      )}
                      <div className="pack-actions">
                        <button className="small" disabled={!!busy} onClick={() => models_('Verifying…', () => client.call('models.verify', { dir: p.dir }))}>
                          Verify
                        </button>
                        {p.source === 'added' ? (
                          <button
                            className="small"
                            disabled={!!busy}
                            title="Takes the pack off the list; its files stay where they are"
                            onClick={() => models_('Removing…', () => client.call('models.remove', { dir: p.dir }))}
                          >
                            Remove from list
                          </button>
                        ) : (
                          <span className="muted">in a models folder</span>
                        )}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <div className="add-pack">
                {!native && (
                  <input aria-label="Model pack folder" placeholder="/path/to/pack folder" spellCheck={false} value={packPath} onChange={(e) => setPackPath(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void addPack(packPath)} />
                )}
                <button disabled={!!busy || (!native && !packPath.trim())} onClick={() => void addPack(packPath)}>
                  Add folder…
                </button>
              </div>
              <h3>Execution provider</h3>
              <label className="field inline">
                <span>LGVI runs on</span>
                <select aria-label="Execution provider" value={s.providers} onChange={(e) => void update({ providers: e.target.value as SettingsPatchDto['providers'] })}>
                  <option value="auto">Automatic (best available)</option>
                  {models.providers.map((p) => (
                    <option key={p.name} value={p.name} disabled={!p.available}>
                      {p.title}
                      {p.available ? '' : ' — not available'}
                    </option>
                  ))}
                </select>
              </label>
              <table className="providers">
                <tbody>
                  {models.providers.map((p) => (
                    <tr key={p.name}>
                      <td>{p.title}</td>
                      <td className={p.available ? 'ok' : 'muted'}>{p.available ? 'available' : 'not available'}</td>
                      <td className="muted">{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">Will try: {models.candidates.join(' → ') || 'none'}. A take records the provider it ran on (Takes panel, its parameters).</p>
            </section>
          )}
          {section === 'defaults' && models && s && (
            <section aria-label="Defaults">
              <label className="field">
                <span>Default removal engine (used when a request names none)</span>
                <select aria-label="Default engine" value={s.defaultEngine ?? ''} onChange={(e) => void update({ defaultEngine: e.target.value || null })}>
                  <option value="">Best installed ({models.engines[0]?.label ?? 'none'})</option>
                  {models.engines.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Render codec of new takes</span>
                <select aria-label="Render codec" value={s.renderCodec} onChange={(e) => void update({ renderCodec: e.target.value as DeliveryCodecDto })}>
                  {settings.codecs.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
              <div className="field">
                <span>Renders folder of projects not saved yet (they move beside the project when it is first saved)</span>
                <div className="add-pack">
                  <input aria-label="Renders folder" placeholder={settings.effectiveRendersDir} spellCheck={false} value={rendersPath} onChange={(e) => setRendersPath(e.target.value)} />
                  {native && (
                    <button onClick={() => void pickFolder('Renders folder').then((d) => d && setRendersPath(d))}>Choose…</button>
                  )}
                  <button disabled={!!busy || rendersPath.trim() === (s.rendersDir ?? '')} onClick={() => void update({ rendersDir: rendersPath.trim() || null })}>
                    Apply
                  </button>
                </div>
                <span className="muted">Now: {settings.effectiveRendersDir}</span>
              </div>
            </section>
          )}
          {section === 'preview' && s && (
            <section aria-label="Preview">
              <p className="muted">Image sequences and codecs the viewer cannot play are previewed through a real-time ffmpeg proxy.</p>
              <label className="field">
                <span>Proxy resolution (height)</span>
                <select aria-label="Proxy resolution" value={s.proxy.maxHeight} onChange={(e) => void update({ proxy: { maxHeight: Number(e.target.value) } })}>
                  {[...new Set([...PROXY_HEIGHTS, s.proxy.maxHeight])].sort((a, b) => a - b).map((h) => (
                    <option key={h} value={h}>
                      {h}p
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Proxies at once (each is an ffmpeg process; a viewer needs one, a seek briefly two)</span>
                <select aria-label="Proxies at once" value={s.proxy.maxConcurrent} onChange={(e) => void update({ proxy: { maxConcurrent: Number(e.target.value) } })}>
                  {[1, 2, 3, 4, 6, 8].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            </section>
          )}
        </div>
      </div>
    </Modal>
  );
}
