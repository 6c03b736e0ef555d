import { useClient } from '../clientContext';
import { useAppStore, type RemovalDraft } from '../store/appStore';
import { ChoiceRow } from './FormRows';
import { patchRemoval } from './patchRemoval';
import { runFind } from './removalRequests';

/**
 * What to remove: the words, or a matte the editor made elsewhere (white = remove; a movie, an
 * image or an image sequence's folder or pattern). Typed as a path in the browser, where there
 * is no file dialog; the app's own picker where there is one (the PathDialog pattern).
 */
export function RemoveWhat({ d }: { d: RemovalDraft }) {
  const client = useClient();
  const native = useAppStore((s) => s.info?.host.nativeDialogs ?? false);
  const pick = async () => {
    const [path] = await client.call('dialog.openMedia', {});
    if (path) patchRemoval({ mattePath: path, find: null, chosen: [] });
  };
  return (
    <>
      <div className="form-grid">
        <ChoiceRow label="Remove by" aria="What to remove">
          <label className="check">
            <input type="radio" name="remove-by" checked={d.target === 'words'} onChange={() => patchRemoval({ target: 'words' })} />
            words
          </label>
          <label className="check">
            <input type="radio" name="remove-by" checked={d.target === 'matte'} onChange={() => patchRemoval({ target: 'matte', find: null, chosen: [] })} />
            matte file
          </label>
        </ChoiceRow>
      </div>
      {d.target === 'words' ? (
        <label className="field">
          <span>What should disappear from every frame?</span>
          <textarea
            rows={2}
            value={d.expression}
            maxLength={500}
            placeholder="remove the bird on the left"
            onChange={(e) => patchRemoval({ expression: e.target.value, find: null, chosen: [] })}
            onKeyDown={(e) => e.key === 'Enter' && !e.shiftKey && (e.preventDefault(), void runFind(client))}
          />
        </label>
      ) : (
        <label className="field">
          <span>Matte (white = remove): a movie, an image, or an image sequence’s folder</span>
          <span className="inline-row">
            <input aria-label="Matte file" spellCheck={false} value={d.mattePath} placeholder="/path/to/clip_matte.mov" onChange={(e) => patchRemoval({ mattePath: e.target.value })} />
            {native && (
              <button className="small" onClick={() => void pick()}>
                Choose…
              </button>
            )}
          </span>
        </label>
      )}
    </>
  );
}
